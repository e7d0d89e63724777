/**
 * `npm run admin -- ...`: the administrator's client of both admin APIs — merchants and the
 * blocklist of the verification service (PROTOCOL.md §4), and linking a chat user to a
 * merchant on the chat server (§2). It only speaks HTTP; it never opens a database and never
 * writes a file: the admin token is read, never made (the server makes it at its first start).
 *
 * This file is the entry and nothing else, so it runs whenever it is loaded: a check of whether
 * it is the main module misjudged checkout paths with a space, a non-ASCII letter or a symlink
 * in them, and the CLI then did nothing and exited 0.
 */
import { EXIT, runAdminCli } from './admin-cli-run';

try {
  process.exitCode = await runAdminCli(process.argv.slice(2), process.env, { out: (text) => console.log(text), err: (text) => console.error(text) });
} catch (error) {
  console.error('error:', error);
  process.exitCode = EXIT.unreachable;
}
