import type { MenuItemConstructorOptions } from 'electron';

export interface TrayLike {
  setToolTip(text: string): void;
  setContextMenu(menu: unknown): void;
  on(event: 'click', listener: () => void): unknown;
  destroy(): void;
}

export interface TrayOptions {
  create(): TrayLike;
  buildMenu(template: MenuItemConstructorOptions[]): unknown;
  show(): void;
  quit(): void;
}

export function trayMenuTemplate(show: () => void, quit: () => void): MenuItemConstructorOptions[] {
  return [
    { label: 'Show Wanglai', click: show },
    { type: 'separator' },
    { label: 'Quit Wanglai', click: quit },
  ];
}

/** A tray icon whose click and menu bring the window back; its tooltip carries the unread count. */
export function createTray(options: TrayOptions): TrayLike {
  const tray = options.create();
  tray.setToolTip('Wanglai');
  tray.setContextMenu(options.buildMenu(trayMenuTemplate(options.show, options.quit)));
  tray.on('click', options.show);
  return tray;
}
