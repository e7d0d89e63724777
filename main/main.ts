/**
 * The Electron main process entry, bundled to dist/main/main.cjs. It hands the real Electron
 * modules to the shell (lifecycle.ts), which holds the logic and is tested against a fake.
 */
import path from 'node:path';
import { BrowserWindow, Menu, Notification, Tray, app, ipcMain, nativeImage, protocol, safeStorage, screen, session, shell } from 'electron';
import type { Bitmap } from './icons';
import { startShell } from './lifecycle';

function image(bitmap: Bitmap, scaleFactor: number): Electron.NativeImage {
  return nativeImage.createFromBitmap(bitmap.buffer, { width: bitmap.width, height: bitmap.height, scaleFactor });
}

startShell(
  {
    app,
    protocol,
    defaultSession: () => session.defaultSession,
    ipcMain,
    createWindow: (options) => new BrowserWindow(options),
    workAreas: () => screen.getAllDisplays().map((display) => display.workArea),
    openExternal: (url) => shell.openExternal(url, { activate: true }),
    secretBox: safeStorage,
    notifications: {
      isSupported: () => Notification.isSupported(),
      create: (options) => new Notification(options),
    },
    createTray: (bitmap, scaleFactor) => new Tray(image(bitmap, scaleFactor)),
    image,
    setApplicationMenu: (template) => Menu.setApplicationMenu(Menu.buildFromTemplate(template)),
    buildMenu: (template) => Menu.buildFromTemplate(template),
  },
  {
    argv: process.argv,
    env: process.env,
    platform: process.platform,
    preloadPath: path.join(__dirname, 'preload.cjs'),
    rendererDir: path.join(__dirname, '..', 'renderer'),
    defaultApp: process.defaultApp === true,
    execPath: process.execPath,
    log: console,
  },
);
