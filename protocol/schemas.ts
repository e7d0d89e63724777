/**
 * zod schemas of every HTTP body and socket payload of PROTOCOL.md. The server parses every
 * value that crosses its edge with these; nothing below the edge sees an unvalidated value.
 * Unknown keys are dropped (clients may be newer than the server).
 */
import { z } from 'zod';
import { CONTROL_CHARS, LIMITS, codePointLength } from './limits';

const id = z.string().min(1).max(LIMITS.idMax);

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/gu;
/**
 * Text as stored: a lone UTF-16 surrogate (JSON can carry one) has no UTF-8 form, so SQLite
 * would keep it as U+FFFD anyway. Replacing it on the way in makes the ack, the live event and
 * history show the same text.
 */
const wellFormed = (s: string): string => s.replace(LONE_SURROGATE, '\uFFFD');
/** The same test without the global flag, whose `lastIndex` would carry from one call to the next. */
const HAS_LONE_SURROGATE = new RegExp(LONE_SURROGATE.source, 'u');
/**
 * A password is hashed as UTF-8, where every lone surrogate becomes U+FFFD: accepted, "\uD800"
 * eight times and "\uDFFF" eight times would be the same password. Refused instead.
 */
const passwordText = z.string().refine((s) => !HAS_LONE_SURROGATE.test(s), 'password must be valid Unicode text (no lone UTF-16 surrogates)');

/**
 * A string whose trimmed length, in code points, lies in [min, max]; the value is kept as sent.
 * No cap on the untrimmed length: the contract counts after trimming, and the 64 KiB frame and
 * body limits already bound the work.
 */
const trimmedText = (min: number, max: number) =>
  z
    .string()
    .refine((s) => {
      const n = codePointLength(s.trim());
      return n >= min && n <= max;
    }, `must be ${min} to ${max} characters after trimming`)
    .transform(wellFormed);

export const usernameSchema = z
  .string()
  .max(64)
  .transform((s) => s.toLowerCase())
  .pipe(z.string().regex(LIMITS.usernamePattern, 'username must be 3-32 of a-z 0-9 _ . -'));

export const passwordSchema = passwordText.refine((s) => {
  const n = codePointLength(s);
  return n >= LIMITS.passwordMin && n <= LIMITS.passwordMax;
}, `password must be ${LIMITS.passwordMin} to ${LIMITS.passwordMax} characters`);

/** A name people read (display name, group title, merchant name): trimmed, 1 to `max` code points, no control characters. */
const labelSchema = (what: string, max: number) =>
  z
    .string()
    .transform((s) => wellFormed(s.trim()))
    .pipe(
      z
        .string()
        .refine((s) => codePointLength(s) >= 1 && codePointLength(s) <= max, `${what} must be 1-${max} characters`)
        .refine((s) => !CONTROL_CHARS.test(s), `${what} must not contain control characters`),
    );

export const displayNameSchema = labelSchema('display name', LIMITS.displayNameMax);
export const groupTitleSchema = labelSchema('title', LIMITS.groupTitleMax);

export const urlStringSchema = z.string().min(1).max(LIMITS.urlMax);
/**
 * A URL to give a verdict on. No length limit of its own (PROTOCOL.md §4 refuses only a URL that
 * does not parse, and a verdict reads only the host): the request's limits bound it, 16 KiB of
 * request line and headers, 64 KiB of body or socket frame.
 */
export const verdictUrlSchema = z.string().min(1);

// ---- HTTP bodies (PROTOCOL.md §2) ----

export const registerBody = z.object({ username: usernameSchema, password: passwordSchema, displayName: displayNameSchema });
export const loginBody = z.object({
  username: z.string().min(1).max(64).transform((s) => s.toLowerCase()),
  password: z.string().min(1).max(LIMITS.passwordMax * 4).pipe(passwordText),
  // Added: a device key from an earlier answer (docs/protocol.md); one that is not valid is ignored.
  deviceKey: z.string().max(512).optional(),
});
export const verdictQuery = z.object({ url: verdictUrlSchema });
export const merchantLinkBody = z.object({ username: z.string().min(1).max(64).transform((s) => s.toLowerCase()), merchantId: id });

// ---- Socket.IO payloads (PROTOCOL.md §3) ----

export const empty = z.object({});
export const usersSearch = z.object({ query: z.string().min(1).max(LIMITS.searchQueryMax) });
/** Added (docs/protocol.md): names of people a client meets by id only, such as former members. */
export const usersGet = z.object({ userIds: z.array(id).min(1).max(LIMITS.usersGetMax) });
// The addressee reads a note beside the asker's name: no control characters, as in a name (a
// right-to-left override could make it read as something else).
export const contactsRequest = z.object({
  userId: id,
  note: z.string().max(LIMITS.contactNoteMax).refine((s) => !CONTROL_CHARS.test(s), 'the note must not contain control characters').transform(wellFormed).optional(),
});
export const contactsRespond = z.object({ requestId: id, accept: z.boolean() });
export const contactsRemove = z.object({ userId: id });
export const openDirect = z.object({ userId: id });
/** The array bound is generous so that an oversized group is answered `group_full`, not `invalid_input`. */
const userIds = z.array(id).max(LIMITS.groupMembersMax * 4);
export const groupsCreate = z.object({ title: groupTitleSchema, memberIds: userIds });
export const groupsAddMembers = z.object({ conversationId: id, userIds: userIds.min(1) });
export const groupsRemoveMember = z.object({ conversationId: id, userId: id });
export const groupsSetRole = z.object({ conversationId: id, userId: id, role: z.enum(['admin', 'member']) });
export const groupsRename = z.object({ conversationId: id, title: groupTitleSchema });
export const groupsLeave = z.object({ conversationId: id });
/**
 * A lone surrogate has no UTF-8 form: stored, it would read back as other characters (so history
 * would show another clientId than the ack) and two ids differing only there would collide.
 */
export const clientIdSchema = z
  .string()
  .min(LIMITS.clientIdMin)
  .max(LIMITS.clientIdMax)
  .refine((s) => !HAS_LONE_SURROGATE.test(s), 'clientId must be valid Unicode text (no lone UTF-16 surrogates)');
export const messagesSend = z.object({ conversationId: id, clientId: clientIdSchema, text: trimmedText(1, LIMITS.messageTextMax) });
const seq = z.int().min(0);
export const messagesHistory = z.object({
  conversationId: id,
  beforeSeq: seq.optional(),
  limit: z.int().min(1).max(LIMITS.historyLimitMax).optional(),
});
/**
 * `since` maps conversation ids to the last seq seen; bounded so one call cannot ask for
 * everything. Checked key by key rather than with zod's record, which leaves a `__proto__` key
 * (an own key after JSON.parse) out unchecked: here it is a key like any other, its value is
 * checked, and it is answered like any id that is not the caller's. The result has no prototype.
 */
const SINCE_MAX = 10_000;
const sinceSchema = z
  .custom<object>((raw) => typeof raw === 'object' && raw !== null && !Array.isArray(raw), 'since must be an object')
  .transform((raw, ctx) => {
    const entries = Object.entries(raw);
    if (entries.length > SINCE_MAX) {
      ctx.addIssue({ code: 'custom', message: 'too many conversations' });
      return z.NEVER;
    }
    const since = Object.create(null) as Record<string, number>;
    for (const [key, value] of entries) {
      // By hand, the same rules as `id` and `seq`: up to 10,000 entries, cheaply.
      if (key.length < 1 || key.length > LIMITS.idMax || typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
        ctx.addIssue({ code: 'custom', message: 'since maps conversation ids to seqs (integers ≥ 0)' });
        return z.NEVER;
      }
      since[key] = value;
    }
    return since;
  });
/**
 * `onlyNamed` (added to the contract): leave out the conversations `since` does not name, so that
 * a client in more conversations than one frame can name (64 KiB, about 1,400 ids) catches up in
 * several calls without each call counting the others from the member's join.
 */
export const messagesSync = z.object({ since: sinceSchema, onlyNamed: z.boolean().optional() });
export const messagesRead = z.object({ conversationId: id, seq });
export const typing = z.object({ conversationId: id });
export const productsShare = z.object({ conversationId: id, clientId: clientIdSchema, url: urlStringSchema });
export const linksVerdict = z.object({ url: verdictUrlSchema });

/** Every client-to-server event with the schema of its payload. */
export const clientEventSchemas = {
  'users:search': usersSearch,
  'users:get': usersGet,
  'contacts:list': empty,
  'contacts:request': contactsRequest,
  'contacts:respond': contactsRespond,
  'contacts:remove': contactsRemove,
  'conversations:list': empty,
  'conversations:openDirect': openDirect,
  'groups:create': groupsCreate,
  'groups:addMembers': groupsAddMembers,
  'groups:removeMember': groupsRemoveMember,
  'groups:setRole': groupsSetRole,
  'groups:rename': groupsRename,
  'groups:leave': groupsLeave,
  'messages:send': messagesSend,
  'messages:history': messagesHistory,
  'messages:sync': messagesSync,
  'messages:read': messagesRead,
  typing,
  'products:share': productsShare,
  'links:verdict': linksVerdict,
} as const;

export type ClientEventName = keyof typeof clientEventSchemas;
export type ClientPayload<E extends ClientEventName> = z.output<(typeof clientEventSchemas)[E]>;

// ---- Verification service (PROTOCOL.md §4) ----

export const merchantStatusSchema = z.enum(['verified', 'pending', 'suspended']);
const domainList = z.array(z.string().min(1).max(253)).min(1).max(100);
/** Shown to customers beside the badge: the rules of a display name. */
const merchantNameSchema = labelSchema('name', 128);
export const merchantCreateBody = z.object({ name: merchantNameSchema, domains: domainList, status: merchantStatusSchema });
export const merchantPatchBody = z.object({
  name: merchantNameSchema.optional(),
  domains: domainList.optional(),
  status: merchantStatusSchema.optional(),
});
export const verdictsBody = z.object({ urls: z.array(z.string()).max(LIMITS.verdictBatchMax) });
export const blocklistBody = z.object({ domain: z.string().min(1).max(253), reason: z.string().trim().min(1).max(200) });
