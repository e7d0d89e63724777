/** The machine a run was measured on, for docs/benchmarks.md. */
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { execFileSync } from 'node:child_process';

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
  fdLimit: string;
  /** 1-minute load average when the run started: other work on a shared machine shows here. */
  load: number;
}

function fdLimit(): string {
  try {
    return execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${platform()} ${release()}`,
    fdLimit: fdLimit(),
    load: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}

export function renderMachine(m: MachineInfo, at: Date, quick: boolean): string {
  return [
    `- Run: ${at.toISOString().slice(0, 16).replace('T', ' ')} UTC, ${quick ? '`--quick`' : 'full'} run`,
    `- CPU: ${m.cpu}, ${m.cores} cores`,
    `- Memory: ${m.memoryGiB} GiB`,
    `- Node: ${m.node} on ${m.os}`,
    `- Open file limit (ulimit -n): ${m.fdLimit}`,
    `- Load average at the start: ${m.load}`,
  ].join('\n');
}
