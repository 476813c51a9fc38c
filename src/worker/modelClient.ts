import type { AnalysisResult } from './analyze';
import { latestOnlyClient } from './workerClient';

export const modelClient = latestOnlyClient<{ text: string }, AnalysisResult>({
  create: () => new Worker(new URL('./model.worker.ts', import.meta.url), { type: 'module', name: 'meshcraft-model' }),
  fallback: async ({ text }) => (await import('./analyze')).analyzeText(text),
  timeoutMs: 8000,
  describe: 'design parser',
});
