import type { WanglaiBridge } from '../../../protocol';

declare global {
  interface Window {
    /** Present only inside the desktop app (protocol/bridge.ts). */
    wanglai?: WanglaiBridge;
  }
}

export function bridge(): WanglaiBridge | undefined {
  return window.wanglai;
}
