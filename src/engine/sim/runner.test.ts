/**
 * Running in slices: progress at least every progressMs of wall-clock time, cancellation within
 * one slice, a newer job replacing an older one, and bad input answered before running. The clock
 * is a fake one, so these tests assert behaviour, not timing.
 */
import { describe, expect, it } from 'vitest';
import { get, meshOf, WEB_AND_CLIENT } from './fixtures/simutil';
import { SimJobRunner, type SimEvent } from './job';
import { runChunked } from './runner';
import { Simulation } from './simulator';
import { parseDesign } from '../../model/parse';

const YAML = WEB_AND_CLIENT;
const spec = (requests: number) => ({ traffic: [{ mix: [get('client', 'web')], load: { requests, concurrency: 4 } }] });

/** A clock that advances `step` ms per reading: one batch of events "takes" `step` ms. */
const fakeClock = (step: number) => {
  let t = 0;
  return () => (t += step);
};

describe('runChunked', () => {
  it('reports progress at least every progressMs of (fake) wall-clock time and ends with fraction 1', async () => {
    const sim = new Simulation(meshOf(YAML), spec(20_000));
    const seen: Array<{ at: number; done: number; fraction: number | null }> = [];
    const now = fakeClock(3);
    let clock = 0;
    const out = await runChunked(sim, {
      cancelled: () => false,
      sliceMs: 10,
      progressMs: 50,
      eventsPerCheck: 200,
      now: () => (clock = now()),
      yieldToLoop: async () => {},
      onProgress: (p) => seen.push({ at: clock, done: p.requestsDone, fraction: p.fraction }),
    });
    expect(out).toBe('done');
    expect(seen.length).toBeGreaterThan(3);
    for (let i = 1; i < seen.length; i++) expect(seen[i].at - seen[i - 1].at).toBeLessThanOrEqual(100);
    for (let i = 1; i < seen.length; i++) expect(seen[i].done).toBeGreaterThanOrEqual(seen[i - 1].done);
    expect(seen.at(-1)).toMatchObject({ done: 20_000, fraction: 1 });
  });

  it('stops at the next slice after a cancellation, leaving the simulation unfinished', async () => {
    const sim = new Simulation(meshOf(YAML), spec(50_000));
    let cancelled = false;
    let slicesAfterCancel = 0;
    const out = await runChunked(sim, {
      cancelled: () => cancelled,
      sliceMs: 10,
      progressMs: 0,
      eventsPerCheck: 100,
      now: fakeClock(5),
      yieldToLoop: async () => {
        if (cancelled) slicesAfterCancel++;
      },
      onProgress: (p) => {
        if (p.requestsDone > 1000) cancelled = true;
      },
    });
    expect(out).toBe('cancelled');
    expect(slicesAfterCancel).toBeLessThanOrEqual(1);
    expect(sim.isDone()).toBe(false);
    expect(sim.progress().requestsDone).toBeLessThan(50_000);
  });
});

describe('SimJobRunner', () => {
  const resources = parseDesign(YAML, { validate: false }).model.resources;

  it('answers bad input with every validation message before running', async () => {
    const events: SimEvent[] = [];
    await new SimJobRunner().run({ id: 1, version: 1, resources, spec: { traffic: [{ mix: [get('client', 'web')], load: { requests: 1e12, concurrency: 0 } }] } }, (e) => events.push(e));
    expect(events).toEqual([{ type: 'invalid', id: 1, warnings: [], errors: [
      "traffic[0].load.requests: 1e+12 is more than the simulator's limit of 100,000,000",
      'traffic[0].load.concurrency must be a whole number from 1 to 100,000 (got 0)',
    ] }]);
  });

  it('keeps the compiled design between jobs of one version and asks for it when it has another', async () => {
    const r = new SimJobRunner({ yieldToLoop: async () => {} });
    const a: SimEvent[] = [];
    await r.run({ id: 1, version: 1, resources, spec: spec(10) }, (e) => a.push(e));
    expect(a.at(-1)).toMatchObject({ type: 'done', id: 1 });
    const b: SimEvent[] = [];
    await r.run({ id: 2, version: 1, spec: spec(10) }, (e) => b.push(e));
    expect(b.at(-1)).toMatchObject({ type: 'done', id: 2 });
    const c: SimEvent[] = [];
    await r.run({ id: 3, version: 2, spec: spec(10) }, (e) => c.push(e));
    expect(c).toEqual([{ type: 'need-design', id: 3 }]);
  });

  it('a newer job makes the older one stop: only the newer one finishes', async () => {
    const r = new SimJobRunner({ sliceMs: 1, eventsPerCheck: 100, now: fakeClock(1), yieldToLoop: () => new Promise((res) => setTimeout(res, 0)) });
    const events: SimEvent[] = [];
    const first = r.run({ id: 1, version: 1, resources, spec: spec(200_000) }, (e) => events.push(e));
    await new Promise((res) => setTimeout(res, 5));
    const second = r.run({ id: 2, version: 1, spec: spec(100) }, (e) => events.push(e));
    await Promise.all([first, second]);
    expect(events.filter((e) => e.type !== 'progress').map((e) => [e.type, e.id])).toEqual(expect.arrayContaining([['cancelled', 1], ['done', 2]]));
    expect(events.some((e) => e.type === 'done' && e.id === 1)).toBe(false);
  });
});
