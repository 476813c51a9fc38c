import { useMemo } from 'react';
import { messageToDiagnostic } from '../analysis/locate';
import { useStore } from '../store/store';

/** Parse diagnostics and the analyzer's findings together, in text order: what the editor marks and the status bar counts. */
export function useDiagnostics() {
  const parsed = useStore((s) => s.diagnostics);
  const problems = useStore((s) => s.problems);
  return useMemo(() => [...parsed, ...problems.map(messageToDiagnostic)].sort((a, b) => a.range.from - b.range.from), [parsed, problems]);
}
