/**
 * `npm run server`: the chat server, and the embedded merchant verification service unless
 * WANGLAI_VERIFY_URL names an external one (PROTOCOL.md §1). SIGTERM / SIGINT close gracefully.
 * `--demo` adds the demo shop and demo data (server/demo-mode).
 */
// First: it reads the chain of launching processes when it loads, before one of them can die
// between the ready line (what a caller waits for) and a later read.
import { stopWhenLauncherGone } from './launcher-watch';
import { startChatServer } from './chat-server';
import type { RunningChatServer } from './chat-server';
import { ADMIN_TOKEN_STRONG_MIN, ConfigError, parseConfig, resolveAdminToken } from './config';
import { prepareDataDir } from './data-dir';
import { type DemoMode, demoEnvironment, startDemoMode } from './demo-mode/demo-mode';
import { DemoSeedError } from './demo-mode/seed-verify';
import { SERVER_USAGE, parseServerArgs } from './demo-mode/server-args';
import { LinkConfigError, createLinkServices } from './links/link-pipeline';
import type { LinkPipeline } from './links/link-pipeline';
import { DataFileError } from './store/data-file-error';
import { startVerifyServer } from './verify/verify-server';

interface Closable {
  close(): Promise<void>;
}

async function main(): Promise<void> {
  const args = parseServerArgs(process.argv.slice(2));
  if (!args.ok) {
    console.error(`wanglai: ${args.message}\n\n${SERVER_USAGE}`);
    process.exit(2);
  }
  if (args.help) {
    console.log(SERVER_USAGE);
    return;
  }
  // Messages, password hashes, the admin token and stored media are this user's alone.
  process.umask(0o077);
  // A log line written after whoever read the output has gone (a killed `npm`) fails with
  // EPIPE; unheard, it would end the process halfway through a graceful stop.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
  const running: Closable[] = [];
  let config = parseConfig(args.demo ? demoEnvironment(process.env) : process.env);
  await prepareDataDir(config.dataDir);
  let demo: DemoMode | undefined;
  if (args.demo) {
    demo = await startDemoMode(config);
    running.push(demo);
    config = demo.config;
  }
  const admin = await resolveAdminToken(config.dataDir, config.adminToken);
  // A token the operator set is a secret of theirs: it is not copied into logs.
  if (config.adminToken !== undefined) {
    console.log('wanglai: admin token from WANGLAI_ADMIN_TOKEN');
    if (config.adminToken.length < ADMIN_TOKEN_STRONG_MIN) {
      console.error(`wanglai: warning: WANGLAI_ADMIN_TOKEN has ${config.adminToken.length} characters; use ${ADMIN_TOKEN_STRONG_MIN} or more outside tests`);
    }
  } else console.log(`wanglai: admin token ${admin.token}${admin.generated ? ' (generated, stored in the data directory)' : ' (stored in the data directory)'}`);
  for (const warning of admin.warnings) console.error(`wanglai: warning: ${warning}`);

  let verifyUrl = config.verifyUrl;
  if (verifyUrl === undefined) {
    const verify = await bindingAs('WANGLAI_VERIFY_PORT', config.host, config.verifyPort, startVerifyServer({ host: config.host, port: config.verifyPort, dataDir: config.dataDir, adminToken: admin.token }));
    running.push(verify);
    verifyUrl = verify.url;
    // Not "listening on": PROTOCOL.md §1 gives that words to the chat server's line alone, and a
    // launcher taking the first line that has them would talk to this service instead.
    console.log(`wanglai: verification service ready at ${verify.url}`);
  }
  const pipeline: LinkPipeline = createLinkServices({ verifyUrl, dataDir: config.dataDir, allowHttp: config.previewAllowHttp, resolve: config.previewResolve });
  const chat: RunningChatServer = await bindingAs(
    'WANGLAI_PORT',
    config.host,
    config.port,
    startChatServer({
      host: config.host,
      port: config.port,
      dataDir: config.dataDir,
      adminToken: admin.token,
      links: pipeline.services,
      media: pipeline.media,
      sync: config.sync,
    }),
  );
  // Closed in reverse: the chat server first (it calls the pipeline), the verifier last.
  running.push(pipeline, chat);
  console.log(`wanglai: chat server listening on ${chat.url}`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`wanglai: ${signal}, shutting down`);
    void (async () => {
      for (const part of running.reverse()) await part.close();
      process.exit(0);
    })().catch((error: unknown) => {
      console.error('wanglai: shutdown failed', error);
      process.exit(1);
    });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  stopWhenLauncherGone(() => stop('the process that started the server is gone'));

  if (demo === undefined) return;
  try {
    await demo.seed({ chatUrl: chat.url, verifyUrl, adminToken: admin.token });
  } catch (error) {
    // A shutdown that interrupts seeding is not a seeding failure.
    if (!stopping) throw error;
  }
}

/**
 * A start that fails to bind names the variable to change, not a stack trace: a port in use or
 * not allowed, a host that does not resolve or is not this machine's.
 */
async function bindingAs<T>(portVariable: string, host: string, port: number, starting: Promise<T>): Promise<T> {
  try {
    return await starting;
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : '';
    const syscall = error instanceof Error && 'syscall' in error ? String(error.syscall) : '';
    // Only what binding raised: the same codes from opening files say something else.
    if (syscall !== 'listen' && syscall !== 'getaddrinfo') throw error;
    if (code === 'EADDRINUSE') throw new ConfigError(portVariable, `port ${port} is already in use on ${host}`);
    if (code === 'EACCES') throw new ConfigError(portVariable, `port ${port} needs privileges this user lacks`);
    if (code === 'EADDRNOTAVAIL') throw new ConfigError('WANGLAI_HOST', `${host} is not an address of this machine`);
    if (code === 'EINVAL') throw new ConfigError('WANGLAI_HOST', `cannot listen on ${host} (EINVAL)`);
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_FAIL') throw new ConfigError('WANGLAI_HOST', `${host} does not resolve (${code})`);
    throw error;
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof LinkConfigError || error instanceof DataFileError) console.error(`wanglai: configuration error: ${error.message}`);
  else if (error instanceof DemoSeedError) console.error(`wanglai: seeding the demo failed: ${error.message}`);
  else console.error('wanglai: failed to start', error);
  process.exit(1);
});
