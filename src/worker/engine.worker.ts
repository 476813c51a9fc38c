/// <reference lib="webworker" />
import { runTrace, type TraceRequest } from './engineCore';

self.onmessage = (e: MessageEvent<TraceRequest & { id: number }>) => {
  const { id, ...req } = e.data;
  try {
    (self as unknown as Worker).postMessage({ id, result: runTrace(req) });
  } catch (err) {
    (self as unknown as Worker).postMessage({ id, error: String((err as Error)?.message ?? err) });
  }
};
