/// <reference lib="webworker" />
import { analyzeText } from './analyze';

export type ModelRequest = { id: number; text: string };
export type ModelResponse = { id: number; result: ReturnType<typeof analyzeText> } | { id: number; error: string };

self.onmessage = (e: MessageEvent<ModelRequest>) => {
  const { id, text } = e.data;
  try {
    (self as unknown as Worker).postMessage({ id, result: analyzeText(text) } satisfies ModelResponse);
  } catch (err) {
    (self as unknown as Worker).postMessage({ id, error: String((err as Error)?.message ?? err) } satisfies ModelResponse);
  }
};
