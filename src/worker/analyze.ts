/** What the model worker computes for one version of the text. Pure: also runs on the main thread as a fallback. */
import { deriveGraph } from '../graph/derive';
import type { MeshGraph } from '../graph/types';
import { IncrementalParser } from '../model/incremental';
import type { Diagnostic, Resource } from '../model/resource';
import { packSourceMap, type PackedSourceMap } from '../model/sourcemap';

/** Designs larger than this are not parsed live: a clear message instead of a frozen tab. */
export const MAX_DESIGN_BYTES = 2 * 1024 * 1024;

export interface AnalysisResult {
  resources: Resource[];
  /** Each YAML document's range (from, to): with the resources, what a canvas edit needs to splice the text. */
  documents: Int32Array;
  diagnostics: Diagnostic[];
  /** Packed: it crosses postMessage on every keystroke (`unpackSourceMap` on the other side, when needed). */
  sourceMap: PackedSourceMap;
  graph: MeshGraph;
  /** True when the text could be read as a design (valid YAML of objects with kind and name, not too large). */
  ok: boolean;
  /** A one-line reason when not ok. */
  problem?: string;
  parseMs: number;
}

/** Keeps the last parse's documents: an edit re-parses only the documents it touched. */
const parser = new IncrementalParser();

export function analyzeText(text: string): AnalysisResult {
  const t0 = performance.now();
  if (text.length > MAX_DESIGN_BYTES) {
    const mb = (text.length / 1024 / 1024).toFixed(1);
    const problem = `This design is ${mb} MB; Meshcraft reads designs up to ${MAX_DESIGN_BYTES / 1024 / 1024} MB. Nothing was changed on the canvas.`;
    return { resources: [], documents: new Int32Array(0), diagnostics: [], sourceMap: packSourceMap(new Map()), graph: { nodes: [], edges: [] }, ok: false, problem, parseMs: 0 };
  }
  const parsed = parser.parse(text);
  // Text that is not YAML, or YAML that is not a set of objects, keeps the last good canvas; schema errors do not
  // (the canvas shows what it can while a value is being typed).
  const broken = parsed.diagnostics.filter((d) => d.severity === 'error' && d.source !== 'schema');
  const graph = broken.length ? { nodes: [], edges: [] } : deriveGraph(parsed.model);
  const problem = broken.length ? `Line ${broken[0].range.line}, column ${broken[0].range.column}: ${broken[0].message}` : undefined;
  return {
    resources: [...parsed.model.resources],
    documents: Int32Array.from(parsed.documents.flatMap((d) => [d.from, d.to])),
    diagnostics: parsed.diagnostics,
    sourceMap: parsed.packedSourceMap,
    graph,
    ok: broken.length === 0,
    problem,
    parseMs: performance.now() - t0,
  };
}

