import type { DesktopNotification } from '../protocol';

const TITLE_SHOWN = 80;
const BODY_SHOWN = 240;

/** What the notifier needs of Electron's Notification class. */
export interface NotificationLike {
  on(event: 'click' | 'close', listener: () => void): unknown;
  show(): void;
}

export interface NotifierOptions {
  isSupported(): boolean;
  create(options: { title: string; body: string; silent: boolean }): NotificationLike;
  /** Bring the window to the front and tell the page which conversation was clicked. */
  onClick(conversationId: string | undefined): void;
  /**
   * Linux notification servers read the body as markup (links, formatting) and Electron passes
   * it through unescaped: a message `<a href="https://phish">订单</a>` would become a link that
   * opens without a verdict. Some (dunst) read the title as markup too, and a title is a display
   * name or group title anyone can choose. There neither may hold markup.
   */
  readsMarkup: boolean;
}

export type Notifier = (notification: DesktopNotification) => void;

export function createNotifier(options: NotifierOptions): Notifier {
  // Electron drops a notification's click handler once the object is garbage-collected,
  // so each one is held until it is clicked or closed.
  const live = new Set<NotificationLike>();
  return (notification) => {
    if (!options.isSupported()) return;
    const title = cut(notification.title, TITLE_SHOWN);
    // Cut before escaping, so that the cut never splits an entity.
    const body = cut(notification.body, BODY_SHOWN);
    const shown = options.create({
      title: options.readsMarkup ? plainTitle(title) : title,
      body: options.readsMarkup ? escapeBodyMarkup(body) : body,
      silent: false,
    });
    live.add(shown);
    shown.on('click', () => {
      live.delete(shown);
      options.onClick(notification.conversationId);
    });
    shown.on('close', () => live.delete(shown));
    shown.show();
  };
}

/** Cut to a number of code points, so that a Chinese or emoji text is never split in half. */
function cut(text: string, max: number): string {
  const points = [...text];
  return points.length <= max ? text : `${points.slice(0, max - 1).join('')}…`;
}

/**
 * Servers differ in what they decode: GNOME Shell keeps only `&amp; &quot; &apos; &lt; &gt;` in
 * a body (`&#39;` shows as typed), and quotes carry markup only inside a tag, so only the three
 * characters that make a tag or an entity are escaped.
 */
const BODY_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

function escapeBodyMarkup(text: string): string {
  return text.replace(/[&<>]/g, (c) => BODY_ESCAPES[c] ?? c);
}

/**
 * No escape works in a title: GNOME Shell escapes it again (any entity shows as typed) while
 * dunst reads it as markup. The full-width forms (＆ ＜ ＞) look alike and are markup to neither.
 */
const TITLE_LOOKALIKES: Readonly<Record<string, string>> = { '&': '\uFF06', '<': '\uFF1C', '>': '\uFF1E' };

function plainTitle(text: string): string {
  return text.replace(/[&<>]/g, (c) => TITLE_LOOKALIKES[c] ?? c);
}
