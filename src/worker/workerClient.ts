/**
 * A facade over a worker that answers one request at a time: newer requests supersede older ones (stale
 * results are dropped), a request that takes too long gets the worker restarted (so a pathological input
 * never freezes anything), and where workers are unavailable the same function runs on the main thread.
 */
export interface LatestOnlyClient<Req, Res> {
  /** Resolves with the result, or with `undefined` when a newer request superseded this one. */
  run(request: Req): Promise<Res | undefined>;
  dispose(): void;
}

export class WorkerTimeoutError extends Error {}

export function latestOnlyClient<Req, Res>(options: {
  create: () => Worker;
  /** Runs the same work on the main thread where workers are unavailable (load it lazily: it is often large). */
  fallback: (request: Req) => Res | Promise<Res>;
  timeoutMs: number;
  describe: string;
}): LatestOnlyClient<Req, Res> {
  let worker: Worker | undefined;
  let seq = 0;
  let pending: { id: number; resolve: (r: Res | undefined) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> } | undefined;
  const canUseWorker = typeof Worker !== 'undefined';

  const start = () => {
    const w = options.create();
    w.onmessage = (e: MessageEvent<{ id: number; result?: Res; error?: string }>) => {
      if (!pending || e.data.id !== pending.id) return; // stale
      const p = pending;
      pending = undefined;
      clearTimeout(p.timer);
      if (e.data.error !== undefined) p.reject(new Error(e.data.error));
      else p.resolve(e.data.result);
    };
    w.onerror = (e) => {
      e.preventDefault();
      const p = pending;
      pending = undefined;
      restart();
      if (p) {
        clearTimeout(p.timer);
        p.reject(new Error(`The ${options.describe} worker crashed (${e.message || 'unknown error'}); it was restarted and nothing was lost.`));
      }
    };
    return w;
  };
  const restart = () => {
    worker?.terminate();
    worker = undefined;
  };

  return {
    run(request) {
      if (!canUseWorker) {
        return (async () => options.fallback(request))();
      }
      if (pending) {
        // A newer request supersedes the one in flight: answer it as stale. The worker finishes its current job first.
        clearTimeout(pending.timer);
        pending.resolve(undefined);
        pending = undefined;
      }
      worker ??= start();
      const id = ++seq;
      return new Promise<Res | undefined>((resolve, reject) => {
        const timer = setTimeout(() => {
          if (pending?.id !== id) return;
          pending = undefined;
          restart();
          reject(new WorkerTimeoutError(`The ${options.describe} took longer than ${options.timeoutMs / 1000} s and was stopped.`));
        }, options.timeoutMs);
        pending = { id, resolve, reject, timer };
        worker!.postMessage({ id, ...request });
      });
    },
    dispose() {
      restart();
    },
  };
}
