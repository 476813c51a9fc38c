/** The analyzer's findings: counts by level, a filter, and a click that reveals the YAML and selects the element. */
import { useMemo, useState } from 'react';
import type { Level, LocatedMessage } from '../analysis/types';
import { elementAt } from '../graph/lookup';
import { announce, applyFix } from '../store/edit';
import { useStore } from '../store/store';

const LEVELS: Level[] = ['Error', 'Warning', 'Info'];

export function levelCounts(problems: readonly LocatedMessage[]): Record<Level, number> {
  const counts: Record<Level, number> = { Error: 0, Warning: 0, Info: 0 };
  for (const p of problems) counts[p.level]++;
  return counts;
}

function show(p: LocatedMessage) {
  const { graph, revealRange, select } = useStore.getState();
  revealRange(p.range.from, p.range.to);
  select(elementAt(graph, p.key, p.path));
}

export function ProblemsPanel() {
  const problems = useStore((s) => s.problems);
  const [filter, setFilter] = useState<Level | 'All'>('All');
  const counts = useMemo(() => levelCounts(problems), [problems]);
  const shown = filter === 'All' ? problems : problems.filter((p) => p.level === filter);
  return (
    <div className="problems-panel">
      <div className="problems-filter" role="group" aria-label="Filter problems">
        {(['All', ...LEVELS] as const).map((l) => (
          <button key={l} type="button" aria-pressed={filter === l} onClick={() => setFilter(l)}>
            {l === 'All' ? `All ${problems.length}` : `${l}s ${counts[l]}`}
          </button>
        ))}
      </div>
      {shown.length === 0 ? (
        <div className="problems-empty">{problems.length ? `No ${filter.toLowerCase()} problems.` : 'No problems found: the analyzer has nothing to say about this design.'}</div>
      ) : (
        <ul className="problems-list" aria-label="Problems">
          {shown.map((p, i) => (
            <li key={`${p.code}-${p.key}-${i}`} className={`problem level-${p.level.toLowerCase()}`}>
              <button type="button" className="problem-main" onClick={() => show(p)} title="Show in the YAML and on the canvas">
                <span className="problem-level">{p.level}</span>
                <span className="problem-code">{p.code}</span>
                <span className="problem-message">{p.message}</span>
                <span className="problem-where">
                  {p.resource} · line {p.line}
                </span>
              </button>
              {p.fix ? (
                <button type="button" className="problem-fix" onClick={async () => announce(await applyFix(p.fix!))}>
                  Fix: {p.fix.title}
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
