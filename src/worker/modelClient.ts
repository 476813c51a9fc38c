import type { LocatedMessage } from '../analysis/types';
import type { AnalysisResult } from './analyze';
import { decodeResult, type EncodedResult } from './delta';
import { DeltaTracker, type TextEdit } from './textDelta';
import { latestOnlyClient } from './workerClient';

/** What changed since the text the worker holds (it gets that, not the whole text, on each keystroke). */
const sent = new DeltaTracker();

const parser = latestOnlyClient<{ text: string; rid: number; base?: number }, EncodedResult>({
  create: () => new Worker(new URL('./model.worker.ts', import.meta.url), { type: 'module', name: 'meshcraft-model' }),
  fallback: async ({ text }) => (await import('./analyze')).analyzeText(text),
  timeoutMs: 8000,
  describe: 'design parser',
  encode: ({ text, ...rest }, fresh) => {
    if (fresh) sent.forget();
    const delta = sent.take(text);
    return delta ? { ...rest, delta } : { ...rest, text };
  },
});

/** The last result accepted: the worker sends what did not change since as indexes into it (see delta.ts). */
let accepted: { id: number; result: AnalysisResult } | undefined;
let rid = 0;

export const modelClient = {
  /** The design's text changed (from `prevLength` characters to `nextLength`) by these edits, if known. */
  noteEdit(prevLength: number, nextLength: number, edits: readonly TextEdit[] | undefined) {
    sent.note(prevLength, nextLength, edits);
  },
  async run({ text }: { text: string }): Promise<AnalysisResult | undefined> {
    const id = ++rid;
    let encoded: EncodedResult | undefined;
    try {
      encoded = await parser.run({ text, rid: id, base: accepted?.id });
    } catch (e) {
      sent.forget(); // whatever the worker holds now, the next text goes whole
      throw e;
    }
    if (!encoded) return undefined;
    const result = decodeResult(encoded, accepted);
    accepted = { id, result };
    return result;
  },
};

/** The analyzer, in a worker of its own: the canvas does not wait for it. */
export const analysisClient = latestOnlyClient<{ text: string }, LocatedMessage[]>({
  create: () => new Worker(new URL('./analysis.worker.ts', import.meta.url), { type: 'module', name: 'meshcraft-analyzer' }),
  fallback: async ({ text }) => (await import('./analyzeProblems')).analyzeProblems(text),
  timeoutMs: 15000,
  describe: 'analyzer',
});
