/// <reference lib="webworker" />
import { analyzeProblems } from './analyzeProblems';

self.onmessage = (e: MessageEvent<{ id: number; text: string }>) => {
  const { id, text } = e.data;
  try {
    (self as unknown as Worker).postMessage({ id, result: analyzeProblems(text) });
  } catch (err) {
    (self as unknown as Worker).postMessage({ id, error: String((err as Error)?.message ?? err) });
  }
};
