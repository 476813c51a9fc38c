/**
 * Analyzer time on generated meshes of 100 and 1,000 services (the larger: ~3,100 HTTP routes, ~5,500 objects):
 * `analyze(model)` on an already parsed design, as the worker runs it after each edit. Median of several runs after
 * warm-up, in milliseconds. Goal: ≤ 300 ms for 1,000 services.
 * Run alone: npx tsx -e "import('./bench/analysis.bench.ts').then(m=>m.default()).then(console.table)"
 */
import { analyze } from '../src/analysis';
import { parseDesign } from '../src/model/parse';
import { generateMesh } from './gen';
import type { BenchResult } from './run';

const SIZES: [services: number, warmup: number, runs: number][] = [[100, 10, 15], [1000, 5, 11]];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export default async function analysisBench(): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  for (const [services, warmup, runs] of SIZES) {
    const { model } = parseDesign(generateMesh({ services, seed: 1 }), { validate: false });
    let count = 0;
    for (let i = 0; i < warmup; i++) count = analyze(model).length;
    if (count > 0) throw new Error(`generated mesh of ${services} services has ${count} analyzer messages; expected a clean design`);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      analyze(model);
      times.push(performance.now() - t0);
    }
    out.push({ name: `analysis.ms.services_${services}`, value: Math.round(median(times) * 100) / 100, unit: 'ms' });
  }
  return out;
}
