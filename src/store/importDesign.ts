/**
 * Paste, drop and open: YAML from outside becomes the design (replace) or joins it (merge). Reading the incoming
 * text happens in a worker of its own (parsing a large paste must not block the page).
 */
import type { AnalysisResult } from '../worker/analyze';
import { latestOnlyClient } from '../worker/workerClient';
import { useStore } from './store';

export interface ImportCandidate {
  text: string;
  /** Where it came from: `clipboard`, or the file names. */
  source: string;
  /** Resource keys it defines, in order. */
  keys: string[];
  /** Count of each kind, e.g. `{VirtualService: 3}`. */
  kinds: Record<string, number>;
  /** Keys that the current design defines too. */
  clashes: string[];
  /** Errors that would keep it from showing (first few), with their line. */
  errors: string[];
}

const importClient = latestOnlyClient<{ text: string }, AnalysisResult>({
  create: () => new Worker(new URL('../worker/model.worker.ts', import.meta.url), { type: 'module', name: 'meshcraft-import' }),
  fallback: async ({ text }) => (await import('../worker/analyze')).analyzeText(text),
  timeoutMs: 8000,
  describe: 'import reader',
});

const readable = (key: string) => {
  const [kind, ns, name] = key.split('/');
  return `${kind} ${ns ? `${ns}/` : ''}${name}`;
};

export async function prepareImport(text: string, source: string): Promise<ImportCandidate | undefined> {
  const result = await importClient.run({ text });
  if (!result) return undefined;
  const current = new Set(useStore.getState().resources.map((r) => r.key as string));
  const keys = result.resources.map((r) => r.key as string);
  const kinds: Record<string, number> = {};
  for (const r of result.resources) kinds[r.kind] = (kinds[r.kind] ?? 0) + 1;
  const errors = result.problem ? [result.problem] : result.diagnostics.filter((d) => d.severity === 'error').slice(0, 3).map((d) => `Line ${d.range.line}: ${d.message}`);
  return { text, source, keys: keys.map(readable), kinds, clashes: keys.filter((k) => current.has(k)).map(readable), errors };
}

/** The design's text with the candidate appended as further documents. */
export function mergedText(current: string, incoming: string): string {
  const head = current.replace(/\s+$/, '');
  const tail = incoming.replace(/^\s*---\s*\n/, '');
  return head ? `${head}\n---\n${tail}` : tail;
}

export function applyImport(candidate: ImportCandidate, mode: 'replace' | 'merge') {
  const { text, setText } = useStore.getState();
  setText(mode === 'replace' ? candidate.text : mergedText(text, candidate.text), 'remote');
}

/** Several files become one multi-document text. */
export function joinFiles(texts: string[]): string {
  return texts.map((t) => t.replace(/\s+$/, '')).join('\n---\n') + '\n';
}

export function downloadDesign(text: string, filename = 'meshcraft-design.yaml') {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/yaml' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
