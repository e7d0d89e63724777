/** Starting a server under test, Wanglai ones on a fresh copy of a prepared data directory. */
import { copyTemplate } from './clients/wanglai-population';
import { spawnServer, type ServerProcess, type SpawnOptions } from './server-process';

export interface Launched {
  server: ServerProcess;
  stop(): Promise<void>;
}

export type Launcher = () => Promise<Launched>;

export function plainServer(name: string, options: SpawnOptions = {}): Launcher {
  return async () => {
    const server = await spawnServer(name, options);
    return { server, stop: () => server.close() };
  };
}

export function wanglaiFromTemplate(templateDir: string, options: { sync: 'full' | 'normal'; nodeArgs?: string[] }): Launcher {
  return async () => {
    const copy = copyTemplate(templateDir);
    try {
      const server = await spawnServer('wanglai', {
        env: { BENCH_WANGLAI_DATA_DIR: copy.dataDir, WANGLAI_SYNC: options.sync },
        ...(options.nodeArgs ? { nodeArgs: options.nodeArgs } : {}),
      });
      return {
        server,
        stop: async () => {
          await server.close();
          copy.remove();
        },
      };
    } catch (error) {
      copy.remove();
      throw error;
    }
  };
}
