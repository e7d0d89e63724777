/**
 * zod schemas of the desktop bridge (bridge.ts): the preload checks what it sends and receives
 * with them, and the main process checks every IPC argument with them again.
 */
import { z } from 'zod';
import { LIMITS } from './limits';

/** A notification title or body longer than this is cut for display, never refused. */
export const NOTIFICATION_TITLE_MAX = 256;
export const NOTIFICATION_BODY_MAX = LIMITS.messageTextMax * 2;
export const TOKEN_MAX = 512;
export const BADGE_COUNT_MAX = 1_000_000;

const conversationId = z.string().min(1).max(LIMITS.idMax);

export const storedCredentialsSchema = z.strictObject({
  serverUrl: z.string().min(1).max(LIMITS.urlMax),
  token: z.string().min(1).max(TOKEN_MAX),
  userId: z.string().min(1).max(LIMITS.idMax),
});

export const desktopNotificationSchema = z.strictObject({
  title: z.string().max(NOTIFICATION_TITLE_MAX),
  body: z.string().max(NOTIFICATION_BODY_MAX),
  conversationId: conversationId.exactOptional(),
});

export const badgeCountSchema = z.int().min(0).max(BADGE_COUNT_MAX);

export const openExternalUrlSchema = z.string().min(1).max(LIMITS.urlMax);
export const openExternalOptionsSchema = z.strictObject({ acceptRisk: z.boolean().exactOptional() }).optional();

export const openExternalResultSchema = z.discriminatedUnion('opened', [
  z.strictObject({ opened: z.literal(true) }),
  z.strictObject({ opened: z.literal(false), reason: z.enum(['invalid_url', 'blocked', 'verification_unavailable', 'no_longer_verified']) }),
]);

export const deepLinkSchema = z.strictObject({
  kind: z.literal('share'),
  url: z.string().max(LIMITS.urlMax).exactOptional(),
  text: z.string().max(LIMITS.messageTextMax * 2).exactOptional(),
});

export const notificationClickSchema = conversationId;

export const serverUrlSchema = z.string().min(1).max(LIMITS.urlMax);
