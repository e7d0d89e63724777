/**
 * `npm run server`: the chat server, and the embedded merchant verification service unless
 * WANGLAI_VERIFY_URL names an external one (PROTOCOL.md §1). SIGTERM / SIGINT close gracefully.
 */
import { startChatServer } from './chat-server';
import type { RunningChatServer } from './chat-server';
import { ConfigError, parseConfig, resolveAdminToken } from './config';
import { LinkConfigError, createLinkServices } from './links/link-pipeline';
import type { LinkPipeline } from './links/link-pipeline';
import { startVerifyServer } from './verify/verify-server';

interface Closable {
  close(): Promise<void>;
}

async function main(): Promise<void> {
  const config = parseConfig(process.env);
  const admin = await resolveAdminToken(config.dataDir, config.adminToken);
  console.log(`wanglai: admin token ${admin.token}${admin.generated ? ' (generated, stored in the data directory)' : ''}`);

  const running: Closable[] = [];
  let verifyUrl = config.verifyUrl;
  if (verifyUrl === undefined) {
    const verify = await startVerifyServer({ host: config.host, port: config.verifyPort, dataDir: config.dataDir, adminToken: admin.token });
    running.push(verify);
    verifyUrl = verify.url;
    console.log(`wanglai: verification service listening on ${verify.url}`);
  }
  const pipeline: LinkPipeline = createLinkServices({ verifyUrl, dataDir: config.dataDir, allowHttp: config.previewAllowHttp, resolve: config.previewResolve });
  const chat: RunningChatServer = await startChatServer({
    host: config.host,
    port: config.port,
    dataDir: config.dataDir,
    adminToken: admin.token,
    links: pipeline.services,
    media: pipeline.media,
    sync: config.sync,
  });
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
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof LinkConfigError) console.error(`wanglai: configuration error: ${error.message}`);
  else console.error('wanglai: failed to start', error);
  process.exit(1);
});
