/**
 * Golden hashes of load-simulation results, to check that an optimisation changes nothing:
 *
 *   npx tsx scripts/sim-golden.ts /tmp/before.txt   # … change the simulator …
 *   npx tsx scripts/sim-golden.ts /tmp/after.txt && diff /tmp/before.txt /tmp/after.txt
 *
 * One line per result: every `Simulation.result()` taken by the sim, worker and CLI tests (run with
 * the setup file next to this script), then runs of the benchmark designs with most features on.
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startVitest } from 'vitest/node';
import { compileMesh, type CompiledMesh } from '../src/engine/compile';
import { generateDesign } from '../src/engine/fixtures/generate';
import { simulate, type SimSpec } from '../src/engine/sim';
import { parseDesign } from '../src/model/parse';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = process.argv[2];
if (!out) throw new Error('usage: npx tsx scripts/sim-golden.ts OUT.txt');
const raw = `${out}.raw`;
rmSync(raw, { force: true });
process.env.SIM_GOLDEN = raw;
const v = await startVitest('test', ['src/engine/sim', 'src/worker', 'src/cli/simulate.test.ts'], { root, run: true, watch: false, setupFiles: ['scripts/sim-golden.setup.ts'], reporters: ['dot'] });
const failed = v.state.getCountOfFailedTests();
await v.close();
if (failed > 0) throw new Error(`${failed} tests failed`);

const lines = readFileSync(raw, 'utf8').trim().split('\n');
rmSync(raw);
const fixture = (n: string) => readFileSync(`${root}/src/engine/fixtures/${n}`, 'utf8');
const compile = (yaml: string): CompiledMesh => compileMesh(parseDesign(yaml, { validate: false }).model);
const golden = (name: string, mesh: CompiledMesh, spec: SimSpec) => lines.push(`${name} ${createHash('sha1').update(JSON.stringify(simulate(mesh, spec))).digest('hex')}`);

const gen = generateDesign(500, 4096);
const generated = compile(gen.yaml);
golden('bench generated_500 200k', generated, { seed: 7, traffic: [{ mix: gen.requests, load: { requests: 200_000, concurrency: 64 } }] });
golden('bench generated_500 paced, errors', generated, {
  seed: 8,
  traffic: [{ mix: gen.requests.slice(0, 500), load: { requests: 50_000, concurrency: 16, qps: 2000 } }],
  upstream: { 'svc-1-v1': { latencyMs: { dist: 'lognormal', p50: 5, p99: 50 }, errorRate: 0.2 } },
});
const BOOKINFO_POLICIES = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
  - route:
    - {destination: {host: reviews, subset: v1}, weight: 90}
    - {destination: {host: reviews, subset: v3}, weight: 10}
    retries: {attempts: 3, perTryTimeout: 20ms, retryOn: 5xx}
    timeout: 100ms
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: ratings}
spec:
  host: ratings
  trafficPolicy:
    connectionPool: {tcp: {maxConnections: 2}, http: {http1MaxPendingRequests: 2, maxRequestsPerConnection: 5}}
    outlierDetection: {consecutive5xxErrors: 3, interval: 1s, baseEjectionTime: 5s}`;
golden('bench bookinfo retries, limits, outliers, phases', compile([fixture('bookinfo.yaml'), fixture('bookinfo-destination-rules.yaml'), BOOKINFO_POLICIES].join('\n---\n')), {
  seed: 3,
  upstream: { 'reviews-v3': { latencyMs: { dist: 'lognormal', p50: 8, p99: 40 }, errorRate: 0.3 }, 'ratings-v1': { errorRate: 0.4, latencyMs: { dist: 'exponential', mean: 3 } } },
  traffic: [
    {
      mix: [
        { source: { workload: 'productpage-v1' }, request: { authority: 'reviews:9080', path: '/reviews/0' }, weight: 3 },
        { source: { workload: 'productpage-v1' }, request: { authority: 'details:9080', path: '/details/0' } },
        { source: { workload: 'reviews-v2' }, request: { authority: 'ratings:9080', path: '/ratings/0' } },
      ],
      load: { requests: 100_000, concurrency: 32 },
    },
    { phase: 1, mix: [{ source: { workload: 'reviews-v2' }, request: { authority: 'ratings:9080', path: '/ratings/0' } }], load: { requests: 20_000, concurrency: 8, qps: 500, arrival: 'open', distribution: 'poisson' } },
  ],
});
lines.sort();
writeFileSync(out, `${lines.join('\n')}\n`);
console.log(`${lines.length} results → ${out}`);
