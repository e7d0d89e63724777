/**
 * Prepared Wanglai data directories. Registering hundreds of users costs minutes of scrypt (as it
 * should), which is not what the scenarios measure: each population (users, contacts,
 * conversations) is built once through the protocol into a template directory kept in
 * bench/data, and every measured server starts on a fresh copy of it.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MIGRATIONS } from '../../server/store/migrations';
import { REPO_ROOT, spawnServer, type ServerProcess } from '../server-process';
import type { BenchUser } from './wanglai-client';

export interface Population {
  users: BenchUser[];
  /** Conversation ids, in the order the builder made them. */
  conversations: string[];
}

export const BENCH_ADMIN_TOKEN = 'bench-admin-token-not-a-secret';

const DATA_ROOT = resolve(REPO_ROOT, 'bench/data');

function schemaStamp(): string {
  return createHash('sha256').update(MIGRATIONS.join('\n')).digest('hex').slice(0, 12);
}

/** The template directory of a population, built on first use. */
export async function populationTemplate(
  name: string,
  build: (server: ServerProcess) => Promise<Population>,
  log: (line: string) => void,
  /** Runs on the template directory once its server has stopped (bulk data written directly). */
  afterStop?: (dir: string, population: Population) => void,
): Promise<{ dir: string; population: Population }> {
  const dir = join(DATA_ROOT, 'templates', `${name}-${schemaStamp()}`);
  const file = join(dir, 'population.json');
  if (existsSync(file)) return { dir, population: JSON.parse(readFileSync(file, 'utf8')) as Population };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  log(`  building the ${name} population once into ${dir}`);
  const server = await spawnServer('wanglai', { env: { BENCH_WANGLAI_DATA_DIR: dir, WANGLAI_SYNC: 'normal', BENCH_TEMPLATE: '1' } });
  try {
    const population = await build(server);
    await server.close();
    afterStop?.(dir, population);
    writeFileSync(file, JSON.stringify(population));
    return { dir, population };
  } catch (error) {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** A fresh copy of a template for one measured server; remove it with the returned function. */
export function copyTemplate(dir: string): { dataDir: string; remove(): void } {
  mkdirSync(join(DATA_ROOT, 'runs'), { recursive: true });
  const dataDir = mkdtempSync(join(DATA_ROOT, 'runs', 'wanglai-'));
  cpSync(dir, dataDir, { recursive: true, filter: (source) => !source.endsWith('population.json') });
  return { dataDir, remove: () => rmSync(dataDir, { recursive: true, force: true }) };
}
