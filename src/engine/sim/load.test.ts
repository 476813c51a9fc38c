/**
 * Arrivals over simulated time (fortio-like closed loops, qps pacing, durations, open-loop
 * arrivals, phases), the latency histogram, the time series, the upstream model, and validation
 * of absurd input before anything runs.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { get, meshOf, run, WEB_AND_CLIENT } from './fixtures/simutil';
import { Histogram } from './histogram';
import { EventQueue, MAX_LANES } from './queue';
import { Simulation, simulate } from './simulator';
import { SimInputError, validateSimSpec } from './validate';
import type { SimSpec } from './types';

const mesh = () => meshOf(WEB_AND_CLIENT);
const req = get('client', 'web');

describe('arrivals', () => {
  it('a closed loop sends the next request only after the answer: 100 requests of 10 ms on one connection take ~1 s', () => {
    const r = run(mesh(), req, { requests: 100 }, { upstream: { web: { latencyMs: 10 } } });
    expect(r.simulatedMs).toBeGreaterThan(1000);
    expect(r.simulatedMs).toBeLessThan(1000 + 100 * 2 + 5);
  });

  it('concurrency C runs C connections in parallel', () => {
    const r = run(mesh(), req, { requests: 100, concurrency: 10 }, { upstream: { web: { latencyMs: 10 } } });
    expect(r.simulatedMs).toBeLessThan(130);
  });

  it('qps paces the sends: 100 requests at 50 qps take ~2 s of simulated time', () => {
    const r = run(mesh(), req, { requests: 100, qps: 50, concurrency: 2 });
    expect(r.simulatedMs).toBeGreaterThan(1970);
    expect(r.simulatedMs).toBeLessThan(2030);
    // Evenly spaced: every 20 ms bucket... the time series holds the same number of requests per unit of time.
    const b = r.timeSeries.buckets.slice(1, -1);
    const rates = b.map((x) => x.requests);
    expect(Math.max(...rates) - Math.min(...rates)).toBeLessThanOrEqual(1);
  });

  it('durationMs stops sending after that much simulated time', () => {
    const r = run(mesh(), req, { durationMs: 1000, qps: 100 });
    expect(r.total.count).toBe(100);
  });

  it('open arrivals keep coming whatever is in flight (a closed loop would wait)', () => {
    const slow = { upstream: { web: { latencyMs: 500 } } };
    const open = run(mesh(), req, { durationMs: 1000, qps: 100, arrival: 'open' }, slow);
    const closed = run(mesh(), req, { durationMs: 1000, qps: 100 }, slow);
    expect(open.total.count).toBe(100);
    expect(closed.total.count).toBe(2);
  });

  it('poisson spacing keeps the rate on average', () => {
    const r = run(mesh(), req, { durationMs: 10_000, qps: 100, arrival: 'open', distribution: 'poisson' });
    // Poisson(1000): σ ≈ 31.6, ±4σ ≈ ±127.
    expect(Math.abs(r.total.count - 1000)).toBeLessThanOrEqual(127);
  });

  it('a later phase starts when the earlier one has finished, with the proxy state carried over', () => {
    const first = { mix: [req], load: { requests: 50, concurrency: 5 } };
    const other = { mix: [req], load: { requests: 30, concurrency: 3 } };
    const later = { mix: [req], load: { requests: 20 }, phase: 1 };
    const r = simulate(mesh(), { upstream: { web: { latencyMs: 10 } }, traffic: [first, later, other] });
    expect(r.groups.map((g) => g.count)).toEqual([50, 20, 30]);
    expect(r.groups[1].startMs).toBeGreaterThanOrEqual(Math.max(r.groups[0].endMs, r.groups[2].endMs));
    expect(r.groups[2].startMs).toBe(0);
    // One proxy: phase 1 reuses the connections phase 0 opened (keep-alive), it opens none.
    const cx = 'cluster.outbound|80||web.default.svc.cluster.local.upstream_cx_total';
    const phase0 = simulate(mesh(), { upstream: { web: { latencyMs: 10 } }, traffic: [first, other] });
    expect(r.stats['sidecar client.default'][cx]).toBe(phase0.stats['sidecar client.default'][cx]);
  });
});

describe('results', () => {
  it('latency percentiles come from the histogram: a fixed 40 ms upstream gives p50 = p99 ≈ 41 ms (plus four 0.25 ms hops)', () => {
    const r = run(mesh(), req, { requests: 200 }, { upstream: { web: { latencyMs: 40 } } });
    const l = r.total.latencyMs;
    expect(l.p50).toBeCloseTo(41, 0);
    expect(l.p99).toBeCloseTo(41, 0);
    expect(l.max).toBeGreaterThanOrEqual(41);
  });

  it('a lognormal upstream has the p50 and p99 it was given (within the histogram resolution)', () => {
    const r = run(mesh(), req, { requests: 20_000, concurrency: 20 }, { upstream: { web: { latencyMs: { dist: 'lognormal', p50: 20, p99: 200 } } }, network: { hopMs: 0, connectMs: 0 } });
    expect(r.total.latencyMs.p50 / 20).toBeGreaterThan(0.95);
    expect(r.total.latencyMs.p50 / 20).toBeLessThan(1.05);
    expect(r.total.latencyMs.p99 / 200).toBeGreaterThan(0.85);
    expect(r.total.latencyMs.p99 / 200).toBeLessThan(1.15);
  });

  it('the time series accounts for every request, by status class', () => {
    const r = run(mesh(), req, { requests: 3000, concurrency: 4 }, { upstream: { web: { errorRate: 0.2, latencyMs: { dist: 'exponential', mean: 5 } } } });
    const b = r.timeSeries.buckets;
    expect(b.length).toBeLessThanOrEqual(120);
    expect(b.reduce((s, x) => s + x.requests, 0)).toBe(3000);
    expect(b.reduce((s, x) => s + x.s5xx, 0)).toBe(r.total.statusCounts['503']);
    expect(b.reduce((s, x) => s + x.s2xx, 0)).toBe(r.total.statusCounts['200']);
  });

  it('statusSequence advances per attempt to the workload and its last status repeats', () => {
    const r = run(mesh(), req, { requests: 10 }, { upstream: { web: { statusSequence: [500, 502, 200] } } });
    expect(r.total.statusCounts).toEqual({ 500: 1, 502: 1, 200: 8 });
  });

  it('an application behind a sidecar that refuses connections answers 503 through its sidecar', () => {
    const r = run(mesh(), req, { requests: 10 }, { upstream: { web: { behavior: 'connect_refused' } } });
    expect(r.total.statusCounts).toEqual({ 503: 10 });
  });

  it('maxConcurrency queues requests in the pod: one slot and 10 ms each makes waits grow with concurrency', () => {
    const r = run(mesh(), req, { requests: 200, concurrency: 8 }, { upstream: { web: { latencyMs: 10, maxConcurrency: 1 } } });
    // Two pods, one slot each: 8 clients share 2 slots → about 4 × 10 ms per request.
    expect(r.total.latencyMs.p50).toBeGreaterThan(35);
  });
});

describe('validation before running', () => {
  const base = (load: object, extra: object = {}): SimSpec => ({ traffic: [{ mix: [req], load }], ...extra }) as SimSpec;
  const errors = (s: unknown) => validateSimSpec(s).errors;

  it('rejects a count of 10^12 with the limit in the message', () => {
    expect(errors(base({ requests: 1e12 }))).toEqual(['traffic[0].load.requests: 1e+12 is more than the simulator\'s limit of 100,000,000']);
  });

  it('rejects concurrency 0', () => {
    expect(errors(base({ requests: 10, concurrency: 0 }))).toEqual(['traffic[0].load.concurrency must be a whole number from 1 to 100,000 (got 0)']);
  });

  it('rejects a negative latency, naming the workload', () => {
    expect(errors(base({ requests: 10 }, { upstream: { web: { latencyMs: -5 } } }))).toEqual(['upstream["web"].latencyMs must not be negative (got -5)']);
  });

  it('rejects a negative latency wherever one is given: distribution fields, per-pod overrides, external hosts, network times', () => {
    const spec = base(
      { requests: 10 },
      {
        upstream: { web: { latencyMs: { dist: 'uniform', min: -1, max: 5 }, pods: { 0: { latencyMs: -2 } } } },
        external: { 'api.example.com:443': { latencyMs: { dist: 'exponential', mean: -3 } } },
        network: { hopMs: -1, connectMs: -4 },
      },
    );
    expect(errors(spec)).toEqual([
      'upstream["web"].latencyMs.min must not be negative (got -1)',
      'upstream["web"].pods["0"].latencyMs must not be negative (got -2)',
      'external["api.example.com:443"].latencyMs.mean must not be negative (got -3)',
      'network.connectMs must not be negative (got -4)',
      'network.hopMs must not be negative (got -1)',
    ]);
    expect(() => new Simulation(mesh(), spec)).toThrow(SimInputError);
  });

  it('rejects absurd concurrency and durations with the limit in the message', () => {
    expect(errors(base({ requests: 10, concurrency: 1e9 }))).toEqual(["traffic[0].load.concurrency: 1e+9 is more than the simulator's limit of 100,000"]);
    expect(errors(base({ durationMs: 1e15 }))).toEqual(["traffic[0].load.durationMs: 1e+15 ms is more than the simulator's limit of 2,592,000,000 ms"]);
  });

  it('rejects a load without an amount, rates outside 0–1, bad statuses, open arrivals without qps, and huge qps × duration', () => {
    expect(errors(base({}))).toEqual(['traffic[0].load needs "requests" or "durationMs" (how much traffic to send)']);
    expect(errors(base({ requests: 1 }, { upstream: { web: { errorRate: 2, status: 42 } } }))).toEqual([
      'upstream["web"].status must be a whole number from 100 to 599 (got 42)',
      'upstream["web"].errorRate must be a share from 0 to 1 (got 2)',
    ]);
    expect(errors(base({ durationMs: 1000, arrival: 'open' }))).toEqual(['traffic[0].load: open arrivals need a "qps" above 0']);
    expect(errors(base({ durationMs: 86_400_000 * 20, qps: 1_000_000 }))[0]).toMatch(/more than the simulator's limit/);
    expect(errors({})).toEqual(['traffic must be a non-empty array of groups ({mix: [requests…], load: {…}})']);
  });

  it('creating a simulation throws SimInputError with every message, including unknown source workloads', () => {
    let err: unknown;
    try {
      new Simulation(mesh(), { traffic: [{ mix: [get('nobody', 'web')], load: { requests: 10 } }] });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SimInputError);
    expect((err as SimInputError).errors[0]).toMatch(/^traffic\[0\]\.mix\[0\]: unknown source workload "nobody"/);
    expect(() => new Simulation(mesh(), base({ requests: 0 }))).toThrow(/traffic\[0\]\.load\.requests must be a whole number from 1 to 100,000,000 \(got 0\)/);
  });

  it('warns about upstream keys that match no workload', () => {
    const r = run(mesh(), req, { requests: 1 }, { upstream: { wbe: { status: 500 } } });
    expect(r.warnings).toEqual(['upstream["wbe"] matches no workload in the design']);
  });
});

describe('building blocks', () => {
  it('the event queue pops in time order, ties in insertion order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 300 }), (times) => {
        const q = new EventQueue();
        times.forEach((t, i) => {
          q.at = t;
          q.push(1, i, 0);
        });
        const out: Array<[number, number]> = [];
        while (q.pop()) out.push([q.t, q.ea]);
        const want = times.map((t, i) => [t, i] as [number, number]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        expect(out).toEqual(want);
      }),
    );
  });

  it('events pushed into lanes and into the heap pop in one time order, ties in insertion order', () => {
    // Up to 5 delays ask for lanes (the 5th gets none, -1: the heap); pushes that would go back in
    // a lane's time fall back to the heap; pops interleave with pushes.
    const op = fc.record({ t: fc.integer({ min: 0, max: 40 }), lane: fc.integer({ min: -1, max: MAX_LANES }), pops: fc.integer({ min: 0, max: 2 }) });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const q = new EventQueue();
        const pending: Array<[number, number]> = [];
        const out: Array<[number, number]> = [];
        const want: Array<[number, number]> = [];
        let now = 0;
        const pop = () => {
          if (!q.pop()) return;
          out.push([q.t, q.ea]);
          now = q.t;
          pending.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
          want.push(pending.shift()!);
        };
        ops.forEach(({ t, lane, pops }, i) => {
          q.at = now + t;
          if (lane >= 0) q.pushInOrder(q.laneFor(lane), 1, i, 0);
          else q.push(1, i, 0);
          pending.push([now + t, i]);
          for (let k = 0; k < pops; k++) pop();
        });
        while (pending.length > 0) pop();
        expect(q.pop()).toBe(false);
        expect(out).toEqual(want);
      }),
    );
  });

  it('histogram quantiles are within 2% of the exact order statistic', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.001, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 400 }), fc.double({ min: 0, max: 1, noNaN: true }), (xs, q) => {
        const h = new Histogram();
        for (const x of xs) h.add(x);
        const sorted = [...xs].sort((a, b) => a - b);
        const exact = sorted[Math.max(0, Math.ceil(q * xs.length) - 1)];
        const got = h.quantile(q);
        expect(Math.abs(got - exact)).toBeLessThanOrEqual(exact * 0.02 + 0.001);
      }),
    );
  });
});
