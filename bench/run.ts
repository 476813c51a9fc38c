/**
 * Benchmark runner: `npm run bench [filter]`.
 *
 * Imports every `bench/*.bench.ts` in name order (only those whose file name contains `filter`, when given). Each
 * default-exports `async () => BenchResult[]`; files run one after another, never in parallel. Prints an aligned
 * table and writes `bench/results.json`, an array of {name, value, unit}: the results of this run; with a filter,
 * they replace the same-named entries of the existing file and the others are kept.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
}

const dir = dirname(fileURLToPath(import.meta.url));

function isResult(r: unknown): r is BenchResult {
  const o = r as Partial<BenchResult> | null;
  return !!o && typeof o.name === 'string' && !!o.name && typeof o.value === 'number' && Number.isFinite(o.value) && typeof o.unit === 'string';
}

function format(value: number): string {
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function table(results: readonly BenchResult[]): string {
  const rows = [['benchmark', 'value', 'unit'], ...results.map((r) => [r.name, format(r.value), r.unit])];
  const width = [0, 1, 2].map((c) => Math.max(...rows.map((row) => row[c].length)));
  const line = (row: string[]) => `${row[0].padEnd(width[0])}  ${row[1].padStart(width[1])}  ${row[2]}`.trimEnd();
  return [line(rows[0]), `${'-'.repeat(width[0])}  ${'-'.repeat(width[1])}  ${'-'.repeat(width[2])}`, ...rows.slice(1).map(line)].join('\n');
}

async function main(filter: string | undefined) {
  const all = readdirSync(dir).filter((f) => f.endsWith('.bench.ts'));
  // A filter that names one file exactly (`ui` → ui.bench.ts) runs that file alone; otherwise every file containing it.
  const exact = all.filter((f) => f === `${filter}.bench.ts`);
  const files = (exact.length ? exact : all.filter((f) => !filter || f.includes(filter))).sort();
  if (!files.length) {
    console.error(filter ? `No bench/*.bench.ts file matches "${filter}".` : 'No bench/*.bench.ts files.');
    process.exitCode = 1;
    return;
  }
  const results: BenchResult[] = [];
  for (const file of files) {
    const started = performance.now();
    const mod = (await import(pathToFileURL(join(dir, file)).href)) as { default?: unknown };
    if (typeof mod.default !== 'function') throw new Error(`${file} must default-export an async function returning results.`);
    const out: unknown = await mod.default();
    if (!Array.isArray(out) || !out.every(isResult)) throw new Error(`${file} returned something other than an array of {name, value, unit}.`);
    const seen = new Set(results.map((r) => r.name));
    for (const r of out) if (seen.has(r.name)) throw new Error(`${file}: result name ${r.name} is used twice.`);
    results.push(...out.map(({ name, value, unit }) => ({ name, value, unit })));
    console.error(`${file}: ${out.length} results in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  console.log(table(results));
  const file = join(dir, 'results.json');
  const kept = filter && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as unknown[]).filter(isResult) : [];
  const fresh = new Map(results.map((r) => [r.name, r]));
  const merged = [...kept.map((r) => fresh.get(r.name) ?? r), ...results.filter((r) => !kept.some((k) => k.name === r.name))];
  writeFileSync(file, JSON.stringify(merged, null, 2) + '\n');
  console.error(`Wrote ${results.length} results${merged.length > results.length ? ` (and kept ${merged.length - results.length} earlier ones)` : ''} to bench/results.json.`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main(process.argv[2]);
