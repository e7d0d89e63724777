/**
 * Result rows, their targets, and where they are written: bench/results/latest.json, a dated
 * copy beside it, and the table between markers in docs/benchmarks.md.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * One figure. `target` is the DESIGN.md target as an expression over `value` or `ratio`
 * (`"ratio >= 0.5"`, `"value <= 10"`); informational rows carry `target: null, met: null`.
 */
export interface ResultRow {
  scenario: number;
  name: string;
  metric: string;
  value: number | null;
  unit: string;
  baseline: number | null;
  ratio: number | null;
  target: string | null;
  met: boolean | null;
  note?: string;
}

const TARGET = /^(value|ratio)\s*(<=|>=)\s*(-?\d+(?:\.\d+)?)$/;

export function isTarget(expression: string): boolean {
  return TARGET.test(expression.trim());
}

/** Whether a row meets its target; null when there is no target or no figure to judge. */
export function evaluateTarget(target: string | null, value: number | null, ratio: number | null): boolean | null {
  if (target === null) return null;
  const m = TARGET.exec(target.trim());
  if (!m) throw new Error(`not a target expression: ${target}`);
  const subject = m[1] === 'value' ? value : ratio;
  if (subject === null || !Number.isFinite(subject)) return false;
  const bound = Number(m[3]);
  return m[2] === '<=' ? subject <= bound : subject >= bound;
}

export function row(fields: Omit<ResultRow, 'met' | 'ratio' | 'baseline'> & { baseline?: number | null; ratio?: number | null }): ResultRow {
  const baseline = fields.baseline ?? null;
  const ratio = fields.ratio !== undefined ? fields.ratio : baseline !== null && fields.value !== null && baseline !== 0 ? fields.value / baseline : null;
  const finite = (n: number | null) => (n === null || !Number.isFinite(n) ? null : n);
  const out: ResultRow = {
    scenario: fields.scenario,
    name: fields.name,
    metric: fields.metric,
    value: finite(fields.value),
    unit: fields.unit,
    baseline: finite(baseline),
    ratio: finite(ratio),
    target: fields.target,
    met: null,
  };
  out.met = evaluateTarget(out.target, out.value, out.ratio);
  if (fields.note !== undefined) out.note = fields.note;
  return out;
}

/** Rows of the scenarios just run replace theirs; the other scenarios keep their last figures. */
export function mergeRows(previous: readonly ResultRow[], fresh: readonly ResultRow[], ran: readonly number[]): ResultRow[] {
  return [...previous.filter((r) => !ran.includes(r.scenario)), ...fresh].sort((a, b) => a.scenario - b.scenario);
}

export function stampFor(date: Date): string {
  return date.toISOString().slice(0, 16).replace(':', '-');
}

export async function readRows(path: string): Promise<ResultRow[]> {
  try {
    const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
    return Array.isArray(parsed) ? (parsed as ResultRow[]) : [];
  } catch {
    return [];
  }
}

export async function writeRows(dir: string, rows: readonly ResultRow[], at: Date): Promise<{ latest: string; dated: string }> {
  await mkdir(dir, { recursive: true });
  const text = JSON.stringify(rows, null, 2) + '\n';
  const latest = `${dir}/latest.json`;
  const dated = `${dir}/${stampFor(at)}.json`;
  await writeFile(latest, text);
  await writeFile(dated, text);
  return { latest, dated };
}

function formatNumber(n: number | null): string {
  if (n === null) return '—';
  const abs = Math.abs(n);
  if (Number.isInteger(n)) return n.toLocaleString('en-US');
  if (abs >= 1000) return Math.round(n).toLocaleString('en-US');
  if (abs >= 100) return n.toFixed(0);
  if (abs >= 10) return n.toFixed(1);
  if (abs >= 1) return n.toFixed(2);
  return n.toPrecision(2);
}

function formatTarget(target: string | null): string {
  if (target === null) return '';
  return target.replace('<=', '≤').replace('>=', '≥').replace(/^ratio (.) (.*)$/, '$1 $2×').replace(/^value /, '');
}

export function renderTable(rows: readonly ResultRow[]): string {
  const lines = [
    '| # | what | metric | value | unit | baseline | ratio | target | met |',
    '|---|---|---|---:|---|---:|---:|---|---|',
  ];
  for (const r of rows) {
    const met = r.met === null ? '' : r.met ? 'met' : '**not met**';
    const name = r.note ? `${r.name} (${r.note})` : r.name;
    lines.push(`| ${r.scenario} | ${name} | ${r.metric} | ${formatNumber(r.value)} | ${r.unit} | ${formatNumber(r.baseline)} | ${r.ratio === null ? '—' : formatNumber(r.ratio) + '×'} | ${formatTarget(r.target)} | ${met} |`);
  }
  return lines.join('\n');
}

/** Replaces what lies between `<!-- bench:NAME:start -->` and `<!-- bench:NAME:end -->`. */
export function replaceBetweenMarkers(document: string, name: string, content: string): string {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const from = document.indexOf(start);
  const to = document.indexOf(end);
  if (from === -1 || to === -1 || to < from) return `${document.trimEnd()}\n\n${start}\n${content}\n${end}\n`;
  return `${document.slice(0, from + start.length)}\n${content}\n${document.slice(to)}`;
}

export async function updateDoc(path: string, sections: Record<string, string>): Promise<void> {
  let text = '';
  try {
    text = await readFile(path, 'utf8');
  } catch {
    text = '';
  }
  for (const [name, content] of Object.entries(sections)) text = replaceBetweenMarkers(text, name, content);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
}
