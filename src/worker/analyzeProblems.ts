import { analyze, locate, type LocatedMessage } from '../analysis';
import { IncrementalParser } from '../model/incremental';
import { MAX_DESIGN_BYTES } from './analyze';

/** The analyzer's findings for a text (empty while it does not parse). Runs in a worker of its own, so the canvas
 * never waits for it. */
const analysisParser = new IncrementalParser();

export function analyzeProblems(text: string): LocatedMessage[] {
  if (text.length > MAX_DESIGN_BYTES) return [];
  const parsed = analysisParser.parse(text);
  if (parsed.diagnostics.some((d) => d.severity === 'error' && d.source !== 'schema')) return [];
  return locate(analyze(parsed.model), parsed);
}
