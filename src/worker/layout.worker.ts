/// <reference lib="webworker" />
import ELK from 'elkjs/lib/elk.bundled.js';
import { fromElk, toElk } from '../graph/layout';
import type { MeshGraph } from '../graph/types';

const elk = new ELK();

self.onmessage = async (e: MessageEvent<{ id: number; graph: MeshGraph }>) => {
  const { id, graph } = e.data;
  try {
    const result = await elk.layout(toElk(graph) as Parameters<typeof elk.layout>[0]);
    (self as unknown as Worker).postMessage({ id, result: fromElk(graph, result as never) });
  } catch (err) {
    (self as unknown as Worker).postMessage({ id, error: String((err as Error)?.message ?? err) });
  }
};
