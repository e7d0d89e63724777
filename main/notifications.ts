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
   * opens without a verdict. There the body is escaped to plain text.
   */
  bodyIsMarkup: boolean;
}

export type Notifier = (notification: DesktopNotification) => void;

export function createNotifier(options: NotifierOptions): Notifier {
  // Electron drops a notification's click handler once the object is garbage-collected,
  // so each one is held until it is clicked or closed.
  const live = new Set<NotificationLike>();
  return (notification) => {
    if (!options.isSupported()) return;
    const body = cut(notification.body, BODY_SHOWN);
    const shown = options.create({ title: cut(notification.title, TITLE_SHOWN), body: options.bodyIsMarkup ? escapeMarkup(body) : body, silent: false });
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
