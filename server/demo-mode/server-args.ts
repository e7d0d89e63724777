/** The command-line flags of `server/main.ts` (`npm run server -- …`); the rest is environment. */

export const SERVER_USAGE = `usage: npm run server [-- options]    (node --import tsx server/main.ts [options])

  --demo    demo mode: its own data directory (WANGLAI_DATA_DIR, default ./data-demo), a local
            demo shop, and demo users, contacts, a group, merchants and messages seeded once
  --help    show this text

environment: WANGLAI_HOST, WANGLAI_PORT, WANGLAI_DATA_DIR, WANGLAI_VERIFY_URL, ... (protocol/PROTOCOL.md §1)`;

export type ServerArgs = { ok: true; demo: boolean; help: false } | { ok: true; help: true } | { ok: false; message: string };

export function parseServerArgs(args: readonly string[]): ServerArgs {
  let demo = false;
  for (const arg of args) {
    if (arg === '--demo') demo = true;
    else if (arg === '--help' || arg === '-h') return { ok: true, help: true };
    else return { ok: false, message: `unknown option "${arg}"` };
  }
  return { ok: true, demo, help: false };
}
