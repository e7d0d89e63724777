/**
 * The sandboxed preload: bundled into one CommonJS file (scripts/build-main.ts), it exposes the
 * typed bridge as `window.wanglai` and nothing else — never ipcRenderer itself.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge-client';

contextBridge.exposeInMainWorld('wanglai', createBridge(ipcRenderer, process.platform));
