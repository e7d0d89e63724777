export interface BadgeTargets {
  /** app.setBadgeCount: the dock (macOS) or Unity launcher (Linux); false where unsupported. */
  setAppBadge(count: number): boolean;
  /** The tray's tooltip, when there is a tray. */
  setTrayTooltip?(text: string): void;
  /** Windows: BrowserWindow.setOverlayIcon with the unread dot, or null to clear it. */
  setOverlay?(showDot: boolean, description: string): void;
}

export function unreadLabel(count: number): string {
  if (count === 0) return 'Wanglai';
  return `Wanglai — ${count > 999 ? '999+' : count} unread`;
}

/** One place that shows the unread count everywhere the platform has a place for it. */
export function createBadge(targets: BadgeTargets): (count: number) => void {
  let last = -1;
  return (count) => {
    if (count === last) return;
    last = count;
    targets.setAppBadge(count);
    targets.setTrayTooltip?.(unreadLabel(count));
    targets.setOverlay?.(count > 0, count > 0 ? unreadLabel(count) : '');
  };
}
