/**
 * Load simulator benchmarks (single thread): simulated requests per second on the generated
 * 500-service design (its 4,096 varied requests as the traffic mix, 64 connections) and on
 * Bookinfo, and the wall-clock time of one 1,000,000-request run (creating the simulation and
 * running it; compiling the design is not included, building the result is reported apart), and
 * the total a user waits for (creating, running and building the result).
 * On a shared machine wall-clock time includes waiting for a core; the process CPU time of the
 * same run is reported next to it.
 * Run alone: npm run bench sim
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileMesh, type CompiledMesh } from '../src/engine/compile';
import { generateDesign } from '../src/engine/fixtures/generate';
import { Simulation } from '../src/engine/sim';
import type { SimSpec } from '../src/engine/sim/types';
import { parseDesign } from '../src/model/parse';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../src/engine/fixtures/${name}`, import.meta.url)), 'utf8');
const compile = (yaml: string): CompiledMesh => compileMesh(parseDesign(yaml, { validate: false }).model);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const BOOKINFO_VS = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
  - route:
    - {destination: {host: reviews, subset: v1}, weight: 90}
    - {destination: {host: reviews, subset: v3}, weight: 10}`;

interface Run {
  ms: number;
  cpuMs: number;
  resultMs: number;
  totalMs: number;
  requests: number;
}

function timeRun(mesh: CompiledMesh, spec: SimSpec): Run {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const sim = new Simulation(mesh, spec);
  while (!sim.step(1 << 16));
  const t1 = performance.now();
  const c = process.cpuUsage(c0);
  const r = sim.result();
  const t2 = performance.now();
  return { ms: t1 - t0, cpuMs: (c.user + c.system) / 1000, resultMs: t2 - t1, totalMs: t2 - t0, requests: r.requests };
}

export default async function (): Promise<Array<{ name: string; value: number; unit: string }>> {
  const gen = generateDesign(500, 4096);
  const generated = compile(gen.yaml);
  const bookinfo = compile([fixture('bookinfo.yaml'), fixture('bookinfo-destination-rules.yaml'), BOOKINFO_VS].join('\n---\n'));

  const genSpec = (seed: number): SimSpec => ({ seed, traffic: [{ mix: gen.requests, load: { requests: 1_000_000, concurrency: 64 } }] });
  const bookSpec = (seed: number): SimSpec => ({
    seed,
    upstream: { 'reviews-v3': { latencyMs: { dist: 'lognormal', p50: 8, p99: 40 } } },
    traffic: [{
      mix: [
        { source: { workload: 'productpage-v1' }, request: { authority: 'reviews:9080', path: '/reviews/0' }, weight: 3 },
        { source: { workload: 'productpage-v1' }, request: { authority: 'details:9080', path: '/details/0' } },
        { source: { workload: 'reviews-v2' }, request: { authority: 'ratings:9080', path: '/ratings/0' } },
      ],
      load: { requests: 1_000_000, concurrency: 32 },
    }],
  });

  // Warm-up (JIT, lazily built route tables), then three timed runs each.
  timeRun(generated, { ...genSpec(99), traffic: [{ ...genSpec(99).traffic[0], load: { requests: 200_000, concurrency: 64 } }] });
  timeRun(bookinfo, { ...bookSpec(99), traffic: [{ ...bookSpec(99).traffic[0], load: { requests: 200_000, concurrency: 32 } }] });
  const g = [1, 2, 3].map((s) => timeRun(generated, genSpec(s)));
  const b = [1, 2, 3].map((s) => timeRun(bookinfo, bookSpec(s)));
  const gMs = median(g.map((r) => r.ms));
  const bMs = median(b.map((r) => r.ms));
  return [
    { name: 'sim.run_ms.1m_requests_generated_500', value: Math.round(gMs), unit: 'ms' },
    { name: 'sim.cpu_ms.1m_requests_generated_500', value: Math.round(median(g.map((r) => r.cpuMs))), unit: 'ms' },
    { name: 'sim.requests_per_s.generated_500', value: Math.round(1_000_000 / (gMs / 1000)), unit: 'requests/s' },
    { name: 'sim.result_ms.generated_500', value: Math.round(median(g.map((r) => r.resultMs))), unit: 'ms' },
    { name: 'sim.total_ms.1m_requests_generated_500', value: Math.round(median(g.map((r) => r.totalMs))), unit: 'ms' },
    { name: 'sim.run_ms.1m_requests_bookinfo', value: Math.round(bMs), unit: 'ms' },
    { name: 'sim.cpu_ms.1m_requests_bookinfo', value: Math.round(median(b.map((r) => r.cpuMs))), unit: 'ms' },
    { name: 'sim.requests_per_s.bookinfo', value: Math.round(1_000_000 / (bMs / 1000)), unit: 'requests/s' },
  ];
}
