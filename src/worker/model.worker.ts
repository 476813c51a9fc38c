/// <reference lib="webworker" />
import { analyzeText, type AnalysisResult } from './analyze';
import { encodeResult, type EncodedResult } from './delta';
import { applyDelta, type TextDelta } from './textDelta';

/** `rid` names this text's result; `base` is the result the main thread holds (encode against it if remembered). The
 * text comes whole, or as its change since the last one (`delta`). */
export type ModelRequest = { id: number; rid: number; base?: number } & ({ text: string } | { delta: TextDelta });
export type ModelResponse = { id: number; result: EncodedResult } | { id: number; error: string };

/** The last results made (a few: the main thread holds one of them, the one it accepted last). */
const made: { id: number; result: AnalysisResult }[] = [];
/** The last text received. */
let held = '';

self.onmessage = (e: MessageEvent<ModelRequest>) => {
  const { id, rid, base } = e.data;
  try {
    const text = (held = 'delta' in e.data ? applyDelta(held, e.data.delta) : e.data.text);
    const { shared, encoded } = encodeResult(analyzeText(text), made.at(-1)?.result, made.find((m) => m.id === base));
    made.push({ id: rid, result: shared });
    if (made.length > 3) made.shift();
    // The spans move rather than being copied (nothing here reads a sent result's spans again).
    (self as unknown as Worker).postMessage({ id, result: encoded } satisfies ModelResponse, [encoded.sourceMap.spans.buffer]);
  } catch (err) {
    (self as unknown as Worker).postMessage({ id, error: String((err as Error)?.message ?? err) } satisfies ModelResponse);
  }
};
