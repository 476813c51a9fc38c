/**
 * The load simulator from the UI: runs in a Web Worker with progress events (at least every
 * 100 ms), cancellation (the caller is answered at once; the worker stops within one ~20 ms slice,
 * and is restarted if it has not stopped after a grace period), and latest-only semantics (a new
 * run supersedes the one in flight; its late messages are dropped). Where workers are unavailable
 * (tests, old browsers) the same jobs run on the main thread in ~8 ms slices that yield to the
 * event loop, so the page stays responsive. The design is never modified: the worker gets a copy.
 */
import type { Resource } from '../model/resource';
import type { SimCommand, SimEvent, SimJob } from '../engine/sim/job';
import type { SimProgress, SimResult, SimSpec } from '../engine/sim/types';

export interface SimRunInput {
  resources: readonly Resource[];
  meshConfig?: Record<string, unknown> | null;
  spec: SimSpec;
}

export type SimOutcome =
  | { status: 'done'; result: SimResult }
  | { status: 'invalid'; errors: string[]; warnings: string[] }
  | { status: 'cancelled' }
  /** A newer run replaced this one. */
  | { status: 'superseded' }
  | { status: 'failed'; error: string };

export interface SimRun {
  readonly id: number;
  /** Settles once: with the result, or as cancelled / superseded / invalid / failed. Never rejects. */
  readonly done: Promise<SimOutcome>;
  cancel(): void;
}

export interface SimClient {
  start(input: SimRunInput, onProgress?: (p: SimProgress) => void): SimRun;
  /** Cancels the run in flight, if any. */
  cancel(): void;
  dispose(): void;
  readonly usesWorker: boolean;
}

export interface SimClientOptions {
  /** Creates the worker (default: `sim.worker.ts` as a module worker). */
  create?: () => Worker;
  /** false runs on the main thread even where workers exist (default: workers when available). */
  worker?: boolean;
  /** A cancelled worker that has not confirmed within this time is terminated and restarted (default 1000 ms). */
  cancelGraceMs?: number;
}

interface Active {
  id: number;
  job: SimJob;
  resources: readonly Resource[];
  resolve: (o: SimOutcome) => void;
  onProgress?: (p: SimProgress) => void;
}

const defaultCreate = () => new Worker(new URL('./sim.worker.ts', import.meta.url), { type: 'module', name: 'meshcraft-sim' });

export function createSimClient(options: SimClientOptions = {}): SimClient {
  const useWorker = options.worker ?? typeof Worker !== 'undefined';
  const grace = options.cancelGraceMs ?? 1000;
  let worker: Worker | undefined;
  let seq = 0;
  let version = 0;
  /** The resources whose version the worker holds (undefined: it holds none, e.g. after a restart). */
  let held: readonly Resource[] | undefined;
  let current: Active | undefined;
  /** Cancelled runs not yet confirmed by the worker: id → restart timer. */
  const stopping = new Map<number, ReturnType<typeof setTimeout>>();
  let inline: Promise<import('../engine/sim/job').SimJobRunner> | undefined;

  const settle = (o: SimOutcome) => {
    const a = current;
    current = undefined;
    a?.resolve(o);
  };

  const restart = () => {
    worker?.terminate();
    worker = undefined;
    held = undefined;
    for (const t of stopping.values()) clearTimeout(t);
    stopping.clear();
  };

  const onEvent = (e: SimEvent) => {
    const t = stopping.get(e.id);
    if (t !== undefined && (e.type === 'cancelled' || e.type === 'done' || e.type === 'error' || e.type === 'invalid')) {
      clearTimeout(t);
      stopping.delete(e.id);
    }
    const a = current;
    if (!a || e.id !== a.id) return; // stale: a superseded or cancelled run
    switch (e.type) {
      case 'progress':
        a.onProgress?.(e.progress);
        return;
      case 'done':
        return settle({ status: 'done', result: e.result });
      case 'invalid':
        return settle({ status: 'invalid', errors: e.errors, warnings: e.warnings });
      case 'cancelled':
        return settle({ status: 'cancelled' });
      case 'error':
        return settle({ status: 'failed', error: e.error });
      case 'need-design':
        held = a.resources;
        return send({ type: 'run', ...a.job, resources: a.resources });
    }
  };

  const ensureWorker = (): Worker => {
    if (worker) return worker;
    const w = (options.create ?? defaultCreate)();
    w.onmessage = (ev: MessageEvent<SimEvent>) => onEvent(ev.data);
    w.onerror = (ev) => {
      ev.preventDefault?.();
      restart();
      settle({ status: 'failed', error: `The simulation worker crashed (${ev.message || 'unknown error'}); it was restarted.` });
    };
    worker = w;
    return w;
  };

  const send = (cmd: SimCommand) => {
    if (useWorker) {
      ensureWorker().postMessage(cmd);
      return;
    }
    inline ??= import('../engine/sim/job').then((m) => new m.SimJobRunner({ sliceMs: 8, progressMs: 50 }));
    void inline.then((runner) => runner.handle(cmd, onEvent));
  };

  const cancelRun = (id: number) => {
    if (!current || current.id !== id) return;
    settle({ status: 'cancelled' });
    send({ type: 'cancel', id });
    if (useWorker && grace > 0 && worker) stopping.set(id, setTimeout(restart, grace));
  };

  return {
    usesWorker: useWorker,
    start(input, onProgress) {
      if (current) {
        const old = current.id;
        settle({ status: 'superseded' });
        send({ type: 'cancel', id: old });
      }
      const id = ++seq;
      const fresh = held !== input.resources;
      if (fresh) {
        version++;
        held = input.resources;
      }
      const job: SimJob = { id, version, meshConfig: input.meshConfig ?? null, spec: input.spec };
      let resolve!: (o: SimOutcome) => void;
      const done = new Promise<SimOutcome>((r) => (resolve = r));
      current = { id, job, resources: input.resources, resolve, onProgress };
      send({ type: 'run', ...job, resources: fresh ? input.resources : undefined });
      return { id, done, cancel: () => cancelRun(id) };
    },
    cancel() {
      if (current) cancelRun(current.id);
    },
    dispose() {
      if (current) settle({ status: 'cancelled' });
      restart();
    },
  };
}
