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
   * name or group title anyone can choose. There both are escaped to plain text.
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
    // Cut before escaping, so that the cut never splits an escape.
    const shownText = (text: string, max: number): string => (options.readsMarkup ? escapeMarkup(cut(text, max)) : cut(text, max));
    const shown = options.create({ title: shownText(notification.title, TITLE_SHOWN), body: shownText(notification.body, BODY_SHOWN), silent: false });
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

const MARKUP_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeMarkup(text: string): string {
  return text.replace(/[&<>"']/g, (c) => MARKUP_ESCAPES[c] ?? c);
}
