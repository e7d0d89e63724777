/** Numeric rules of PROTOCOL.md, shared so that clients can check before they send. */
export const LIMITS = {
  usernamePattern: /^[a-z0-9_.-]{3,32}$/,
  passwordMin: 8,
  passwordMax: 128,
  displayNameMax: 64,
  idMax: 64,
  searchQueryMax: 64,
  searchResultsMax: 20,
  contactNoteMax: 140,
  groupTitleMax: 64,
  groupMembersMax: 500,
  messageTextMax: 4000,
  clientIdMin: 8,
  clientIdMax: 64,
  historyLimitDefault: 50,
  historyLimitMax: 100,
  syncMessagesMax: 1000,
  linksPerMessage: 3,
  verdictBatchMax: 100,
  usersGetMax: 100,
  urlMax: 2048,
  httpBodyMax: 64 * 1024,
  socketFrameMax: 64 * 1024,
  mediaBytesMax: 1024 * 1024,
} as const;

/** Length in Unicode code points, so that a Chinese or emoji text counts as people count it. */
export function codePointLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/**
 * C0/C1 control characters, the line and paragraph separators (a line break in a one-line name)
 * and the bidirectional embedding/override/isolate controls.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

/** Bidirectional embedding, override and isolate controls: text carrying them gets no links (DESIGN.md §3.1). */
export const BIDI_OVERRIDES = /[\u202a-\u202e\u2066-\u2069]/u;

/** Directional marks (LRM, RLM, ALM): common in Arabic and Hebrew text, never part of a URL. */
export const BIDI_MARKS = /[\u200e\u200f\u061c]/u;
