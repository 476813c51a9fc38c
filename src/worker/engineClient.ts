import type { Trace } from '../engine/types';
import type { Resource } from '../model/resource';
import type { TraceRequest } from './engineCore';
import { latestOnlyClient } from './workerClient';

const client = latestOnlyClient<TraceRequest, Trace>({
  create: () => new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'meshcraft-engine' }),
  fallback: async (req) => (await import('./engineCore')).runTrace(req),
  timeoutMs: 10000,
  describe: 'routing engine',
});

/** The design version the worker has compiled; it only gets the resources again when they change. */
let sent: { resources: Resource[]; version: number } | undefined;
let version = 0;

export async function traceRequest(resources: Resource[], input: TraceRequest['input'], seed: number): Promise<Trace | undefined> {
  const fresh = sent?.resources !== resources;
  if (fresh) sent = { resources, version: ++version };
  try {
    return await client.run({ version: sent!.version, resources: fresh ? resources : undefined, input, seed });
  } catch (e) {
    const message = (e as Error).message;
    // A restarted worker has lost the compiled design: send it again.
    if (/not sent/.test(message)) return client.run({ version: sent!.version, resources, input, seed });
    if (/crashed|longer than/.test(message)) sent = undefined;
    throw e;
  }
}
