import { isAppUrl } from './app-protocol';

type RequestHandler = (webContents: unknown, permission: string, callback: (granted: boolean) => void, details: { requestingUrl?: string }) => void;
type CheckHandler = (webContents: unknown, permission: string, requestingOrigin: string, details: { requestingUrl?: string }) => boolean;

/** The session surface the policy needs; a real Session satisfies it. */
export interface PermissionSession {
  setPermissionRequestHandler(handler: RequestHandler | null): void;
  setPermissionCheckHandler(handler: CheckHandler | null): void;
}

/** Notifications are the one permission, and only our own page gets it. */
export function permissionGranted(permission: string, requestingUrl: string | undefined): boolean {
  return permission === 'notifications' && requestingUrl !== undefined && isAppUrl(requestingUrl);
}

export function installPermissionPolicy(session: PermissionSession): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(permissionGranted(permission, details.requestingUrl));
  });
  session.setPermissionCheckHandler(
    (_contents, permission, requestingOrigin, details) =>
      permissionGranted(permission, requestingOrigin) && (details.requestingUrl === undefined || isAppUrl(details.requestingUrl)),
  );
}
