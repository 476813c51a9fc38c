import type { LocatedMessage } from '../analysis/types';
import type { AnalysisResult } from './analyze';
import { decodeResult, type EncodedResult } from './delta';
import { latestOnlyClient } from './workerClient';

const parser = latestOnlyClient<{ text: string; rid: number; base?: number }, EncodedResult>({
  create: () => new Worker(new URL('./model.worker.ts', import.meta.url), { type: 'module', name: 'meshcraft-model' }),
  fallback: async ({ text }) => (await import('./analyze')).analyzeText(text),
  timeoutMs: 8000,
  describe: 'design parser',
});

/** The last result accepted: the worker sends what did not change since as indexes into it (see delta.ts). */
let accepted: { id: number; result: AnalysisResult } | undefined;
let rid = 0;

export const modelClient = {
  async run({ text }: { text: string }): Promise<AnalysisResult | undefined> {
    const id = ++rid;
    const encoded = await parser.run({ text, rid: id, base: accepted?.id });
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
