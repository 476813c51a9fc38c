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
  /** What to post for a request (default: the request); `fresh` when the worker was just started. */
  encode?: (request: Req, fresh: boolean) => object;
}): LatestOnlyClient<Req, Res> {
  let worker: Worker | undefined;
  let seq = 0;
  /** The request whose caller waits for an answer. */
  let pending: { id: number; resolve: (r: Res | undefined) => void; reject: (e: Error) => void } | undefined;
  /** The job the worker is working on (maybe superseded already), watched for the timeout. */
  let busy: { id: number; timer: ReturnType<typeof setTimeout> } | undefined;
  /** The newest request, waiting for the worker to finish its job: a worker works on one job at a time, so requests
   * that come faster than it answers do not queue up in it (only the newest one is ever started). */
  let queued: { id: number; request: Req } | undefined;
  const canUseWorker = typeof Worker !== 'undefined';

  const settle = (id: number, outcome: { result?: Res; error?: Error }) => {
    if (pending?.id !== id) return; // stale
    const p = pending;
    pending = undefined;
    if (outcome.error) p.reject(outcome.error);
    else p.resolve(outcome.result);
  };
  /** The worker is free (it answered, or was replaced): start the queued request, if any. */
  const next = () => {
    if (busy) clearTimeout(busy.timer);
    busy = undefined;
    const q = queued;
    queued = undefined;
    if (q) post(q.id, q.request);
  };
  const restart = () => {
    worker?.terminate();
    worker = undefined;
  };
  const start = () => {
    const w = options.create();
    w.onmessage = (e: MessageEvent<{ id: number; result?: Res; error?: string }>) => {
      const { id, result, error } = e.data;
      next();
      settle(id, error !== undefined ? { error: new Error(error) } : { result });
    };
    w.onerror = (e) => {
      e.preventDefault();
      const id = busy?.id;
      restart();
      next();
      if (id !== undefined) settle(id, { error: new Error(`The ${options.describe} worker crashed (${e.message || 'unknown error'}); it was restarted and nothing was lost.`) });
    };
    return w;
  };
  const post = (id: number, request: Req) => {
    const fresh = !worker;
    worker ??= start();
    const timer = setTimeout(() => {
      if (busy?.id !== id) return;
      restart();
      next();
      settle(id, { error: new WorkerTimeoutError(`The ${options.describe} took longer than ${options.timeoutMs / 1000} s and was stopped.`) });
    }, options.timeoutMs);
    busy = { id, timer };
    worker.postMessage({ id, ...(options.encode ? options.encode(request, fresh) : request) });
  };

  return {
    run(request) {
      if (!canUseWorker) {
        return (async () => options.fallback(request))();
      }
      // A newer request supersedes the one waiting: answer that one as stale.
      pending?.resolve(undefined);
      const id = ++seq;
      return new Promise<Res | undefined>((resolve, reject) => {
        pending = { id, resolve, reject };
        if (busy) queued = { id, request };
        else post(id, request);
      });
    },
    dispose() {
      restart();
      if (busy) clearTimeout(busy.timer);
      busy = undefined;
      queued = undefined;
    },
  };
}
