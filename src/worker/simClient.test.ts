/**
 * The simulation facade: the main-thread fallback where workers are unavailable (Node), the worker
 * protocol against an in-thread stand-in worker running the same job runner, stale runs dropped,
 * cancellation answered at once, a worker that does not stop restarted.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SimJobRunner, type SimCommand, type SimEvent } from '../engine/sim/job';
import { parseDesign } from '../model/parse';
import { WEB_AND_CLIENT } from '../engine/sim/fixtures/simutil';
import { createSimClient } from './simClient';
import type { SimProgress, SimSpec } from '../engine/sim/types';

const YAML = WEB_AND_CLIENT;
const resources = parseDesign(YAML, { validate: false }).model.resources;
const spec = (requests: number): SimSpec => ({ traffic: [{ mix: [{ source: { workload: 'client' }, request: { authority: 'web' } }], load: { requests, concurrency: 4 } }] });

/** A stand-in Worker: runs the real job runner in this thread, delivering messages asynchronously. */
class FakeWorker {
  onmessage: ((e: MessageEvent<SimEvent>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  terminated = false;
  received: SimCommand[] = [];
  private readonly runner = new SimJobRunner({ sliceMs: 2, eventsPerCheck: 500 });
  constructor(private readonly hang = false) {}
  postMessage(cmd: SimCommand): void {
    this.received.push(cmd);
    if (this.hang) return;
    setTimeout(() => void this.runner.handle(cmd, (e) => !this.terminated && this.onmessage?.({ data: e } as MessageEvent<SimEvent>)), 0);
  }
  terminate(): void {
    this.terminated = true;
  }
}

afterEach(() => {
  vi.useRealTimers();
});

describe('main-thread fallback (no Worker in Node)', () => {
  it('runs a simulation with progress and returns the result; the design is not modified', async () => {
    const before = JSON.stringify(resources);
    const client = createSimClient();
    expect(client.usesWorker).toBe(false);
    const progress: SimProgress[] = [];
    const out = await client.start({ resources, spec: spec(20_000) }, (p) => progress.push(p)).done;
    expect(out.status).toBe('done');
    if (out.status === 'done') expect(out.result.total.count).toBe(20_000);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)?.fraction).toBe(1);
    expect(JSON.stringify(resources)).toBe(before);
  });

  it('answers bad input with validation messages', async () => {
    const out = await createSimClient().start({ resources, spec: { traffic: [{ mix: spec(1).traffic[0].mix, load: { requests: 10, concurrency: 0 } }] } }).done;
    expect(out).toEqual({ status: 'invalid', errors: ['traffic[0].load.concurrency must be a whole number from 1 to 100,000 (got 0)'], warnings: [] });
  });

  it('a newer run supersedes the one in flight, whose late progress is dropped', async () => {
    const client = createSimClient();
    const oldProgress: SimProgress[] = [];
    const a = client.start({ resources, spec: spec(2_000_000) }, (p) => oldProgress.push(p));
    const b = client.start({ resources, spec: spec(100) });
    expect(await a.done).toEqual({ status: 'superseded' });
    const outB = await b.done;
    expect(outB.status).toBe('done');
    const seen = oldProgress.length;
    await new Promise((r) => setTimeout(r, 20));
    expect(oldProgress.length).toBe(seen);
  });

  it('cancel answers at once and the run stops (no more progress)', async () => {
    const client = createSimClient();
    const progress: SimProgress[] = [];
    const run = client.start({ resources, spec: spec(5_000_000) }, (p) => {
      progress.push(p);
      if (progress.length === 2) run.cancel();
    });
    expect(await run.done).toEqual({ status: 'cancelled' });
    const n = progress.length;
    await new Promise((r) => setTimeout(r, 30));
    expect(progress.length).toBe(n);
    expect(progress.at(-1)!.requestsDone).toBeLessThan(5_000_000);
    // The client is usable afterwards.
    expect((await client.start({ resources, spec: spec(10) }).done).status).toBe('done');
  });
});

describe('worker path (stand-in worker)', () => {
  it('sends the design once per version and runs jobs in the worker', async () => {
    const w = new FakeWorker();
    const client = createSimClient({ worker: true, create: () => w as unknown as Worker });
    expect((await client.start({ resources, spec: spec(50) }).done).status).toBe('done');
    expect((await client.start({ resources, spec: spec(60) }).done).status).toBe('done');
    const runs = w.received.filter((c) => c.type === 'run');
    expect(runs.map((c) => c.type === 'run' && c.resources !== undefined)).toEqual([true, false]);
  });

  it('drops messages of a superseded run and tells the worker to cancel it', async () => {
    const w = new FakeWorker();
    const client = createSimClient({ worker: true, create: () => w as unknown as Worker });
    const a = client.start({ resources, spec: spec(2_000_000) });
    const b = client.start({ resources, spec: spec(30) });
    expect(await a.done).toEqual({ status: 'superseded' });
    const out = await b.done;
    expect(out.status === 'done' && out.result.total.count).toBe(30);
    expect(w.received.some((c) => c.type === 'cancel' && c.id === a.id)).toBe(true);
  });

  it('restarts a worker that has not confirmed a cancellation within the grace period', async () => {
    vi.useFakeTimers();
    const workers: FakeWorker[] = [];
    const client = createSimClient({ worker: true, cancelGraceMs: 500, create: () => (workers.push(new FakeWorker(workers.length === 0)), workers.at(-1) as unknown as Worker) });
    const run = client.start({ resources, spec: spec(1000) });
    run.cancel();
    expect(await run.done).toEqual({ status: 'cancelled' });
    expect(workers[0].terminated).toBe(false);
    vi.advanceTimersByTime(500);
    expect(workers[0].terminated).toBe(true);
    // The next run gets a fresh worker and the design again.
    const next = client.start({ resources, spec: spec(10) });
    expect(workers).toHaveLength(2);
    const cmd = workers[1].received[0];
    expect(cmd.type === 'run' && cmd.resources).toBe(resources);
    await vi.runAllTimersAsync();
    expect((await next.done).status).toBe('done');
  });
});
