/**
 * Routing engine benchmarks (single thread): route decisions per second on Bookinfo and on a
 * generated 500-service design (fast path, prepared requests), and full traces per second.
 * Run alone: npx tsx -e "import('./bench/engine.bench.ts').then(m=>m.default()).then(console.table)"
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseDesign } from '../src/model/parse';
import { compileMesh, type CompiledMesh } from '../src/engine/compile';
import { newDecision } from '../src/engine/decide';
import { generateDesign } from '../src/engine/fixtures/generate';
import { prepare, type PreparedRequest } from '../src/engine/prepare';
import { createRng } from '../src/engine/rng';
import { route } from '../src/engine/route';
import { trace } from '../src/engine/trace';
import type { RequestInput } from '../src/engine/types';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../src/engine/fixtures/${name}`, import.meta.url)), 'utf8');

const BOOKINFO_VS = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
  - match: [{headers: {end-user: {exact: jason}}}]
    route: [{destination: {host: reviews, subset: v2}}]
  - route:
    - {destination: {host: reviews, subset: v1}, weight: 50}
    - {destination: {host: reviews, subset: v3}, weight: 50}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ratings}
spec:
  hosts: [ratings]
  http:
  - match: [{headers: {end-user: {exact: jason}}}]
    fault: {delay: {fixedDelay: 7s, percentage: {value: 100}}}
    route: [{destination: {host: ratings, subset: v1}}]
  - route: [{destination: {host: ratings, subset: v1}}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: details}
spec:
  hosts: [details]
  http:
  - route: [{destination: {host: details, subset: v1}}]`;

function bookinfoRequests(n: number): RequestInput[] {
  const rng = createRng(3);
  const from = ['productpage-v1', 'reviews-v1', 'reviews-v2', 'reviews-v3'];
  const to = ['reviews:9080', 'ratings:9080', 'details:9080', 'productpage:9080', 'reviews.default:9080', 'www.example.com'];
  const paths = ['/', '/reviews/0', '/ratings/0?x=1', '/details/0', '/productpage'];
  return Array.from({ length: n }, () => ({
    source: { workload: from[rng.nextInt(from.length)] },
    request: { protocol: 'http' as const, method: 'GET', authority: to[rng.nextInt(to.length)], path: paths[rng.nextInt(paths.length)], headers: (rng.nextInt(3) === 0 ? { 'end-user': 'jason' } : {}) as Record<string, string> },
  }));
}

const compile = (yaml: string): CompiledMesh => compileMesh(parseDesign(yaml, { validate: false }).model);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function decisionsPerSecond(c: CompiledMesh, inputs: RequestInput[], total: number, runs: number): number {
  const reqs: PreparedRequest[] = inputs.map((i) => prepare(c, i));
  const mask = reqs.length - 1; // power of two
  const d = newDecision();
  const rng = createRng(1);
  for (let i = 0; i < 200_000; i++) route(c, reqs[i & mask], rng, d); // warm-up (JIT)
  const rates: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    for (let i = 0; i < total; i++) route(c, reqs[i & mask], rng, d);
    rates.push(total / ((performance.now() - t0) / 1000));
  }
  return median(rates);
}

function tracesPerSecond(c: CompiledMesh, inputs: RequestInput[], total: number, runs: number): number {
  for (let i = 0; i < 500; i++) trace(c, inputs[i % inputs.length], { seed: i });
  const rates: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    for (let i = 0; i < total; i++) trace(c, inputs[i % inputs.length], { seed: i });
    rates.push(total / ((performance.now() - t0) / 1000));
  }
  return median(rates);
}

export default async function (): Promise<Array<{ name: string; value: number; unit: string }>> {
  const bookinfo = compile([fixture('bookinfo.yaml'), fixture('bookinfo-destination-rules.yaml'), BOOKINFO_VS].join('\n---\n'));
  const bookinfoReqs = bookinfoRequests(4096);
  const gen = generateDesign(500, 4096);
  const generated = compile(gen.yaml);
  return [
    { name: 'engine.decisions_per_s.bookinfo', value: Math.round(decisionsPerSecond(bookinfo, bookinfoReqs, 3_000_000, 5)), unit: 'decisions/s' },
    { name: 'engine.decisions_per_s.generated_500', value: Math.round(decisionsPerSecond(generated, gen.requests, 3_000_000, 5)), unit: 'decisions/s' },
    { name: 'engine.traces_per_s.bookinfo', value: Math.round(tracesPerSecond(bookinfo, bookinfoReqs, 3000, 5)), unit: 'traces/s' },
  ];
}
