import type { LocatedMessage } from '../analysis/types';
import type { AnalysisResult } from './analyze';
import { latestOnlyClient } from './workerClient';

export const modelClient = latestOnlyClient<{ text: string }, AnalysisResult>({
  create: () => new Worker(new URL('./model.worker.ts', import.meta.url), { type: 'module', name: 'meshcraft-model' }),
  fallback: async ({ text }) => (await import('./analyze')).analyzeText(text),
  timeoutMs: 8000,
  describe: 'design parser',
});

/** The analyzer, in a worker of its own: the canvas does not wait for it. */
export const analysisClient = latestOnlyClient<{ text: string }, LocatedMessage[]>({
  create: () => new Worker(new URL('./analysis.worker.ts', import.meta.url), { type: 'module', name: 'meshcraft-analyzer' }),
  fallback: async ({ text }) => (await import('./analyzeProblems')).analyzeProblems(text),
  timeoutMs: 15000,
  describe: 'analyzer',
});
