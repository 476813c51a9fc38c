/**
 * What-if on the last run: a canary slider per weighted route and a 50 % abort toggle per route that took traffic.
 * A change re-runs the last load on a copy of the design (the YAML is untouched); "Apply to design" writes the
 * changes through the canvas edit path (one undo step per change).
 */
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { rebalance } from '../inspector/weights';
import { announce, runCommand } from '../store/edit';
import type { LoadRun } from '../store/load';
import { useStore } from '../store/store';
import { isEmpty, NO_WHAT_IF, rulesOf, whatIfCommands, type RuleInfo, type WhatIf } from './whatIf';

const RERUN_DELAY_MS = 150;
let rerunTimer: ReturnType<typeof setTimeout> | undefined;

function change(next: WhatIf, now = false) {
  useStore.getState().setWhatIf(next);
  clearTimeout(rerunTimer);
  rerunTimer = setTimeout(() => void useStore.getState().runLoad(true), now ? 0 : RERUN_DELAY_MS);
}

/** Resolves when the text has been parsed again after an edit (or after 2 s). */
const reparsed = () =>
  new Promise<void>((resolve) => {
    const stop = useStore.subscribe(
      (s) => s.resources,
      () => (stop(), clearTimeout(t), resolve()),
    );
    const t = setTimeout(() => (stop(), resolve()), 2000);
  });

async function applyToDesign(w: WhatIf) {
  const commands = whatIfCommands(useStore.getState().resources, w);
  for (const c of commands) {
    const out = await runCommand(c);
    announce(out);
    if (!out.ok) return;
    await reparsed();
  }
  useStore.getState().setWhatIf(NO_WHAT_IF);
}

const Canary = memo(function Canary({ rule, weights }: { rule: RuleInfo; weights: number[] }) {
  const [draft, setDraft] = useState(weights);
  useEffect(() => setDraft(weights), [weights]);
  const set = (i: number, v: number) => {
    const next = rebalance(draft, i, v);
    setDraft(next);
    const w = useStore.getState().whatIf;
    const designed = next.every((x, j) => x === rule.dests[j].weight);
    const { [rule.id]: _, ...others } = w.weights;
    change({ ...w, weights: designed ? others : { ...others, [rule.id]: next } });
  };
  return (
    <fieldset className="whatif-rule">
      <legend>{rule.name}</legend>
      {rule.dests.map((d, i) => (
        <label key={i} className="whatif-weight">
          <span className="whatif-dest">{d.label}</span>
          <input type="range" min={0} max={100} value={draft[i] ?? 0} onChange={(e) => set(i, Number(e.target.value))} aria-label={`What-if weight of ${d.label} in ${rule.name}`} />
          <output className="num">{draft[i] ?? 0}%</output>
          {draft[i] !== d.weight ? <span className="load-note">(design {d.weight}%)</span> : null}
        </label>
      ))}
    </fieldset>
  );
});

export const WhatIfPanel = memo(function WhatIfPanel({ run }: { run: LoadRun }) {
  const resources = useStore((s) => s.resources);
  const whatIf = useStore((s) => s.whatIf);
  const running = useStore((s) => s.loadStatus === 'running');
  const [applying, setApplying] = useState(false);
  const busy = useRef(false);
  // Rules that took traffic in the last run (a large design lists only what the load exercised).
  const rules = useMemo(() => {
    const used = new Set(run.result.edges.filter((e) => e.requests > 0 && e.destination >= 0).map((e) => `${e.virtualService}#${e.protocol}/${e.rule}`));
    return rulesOf(resources, used);
  }, [resources, run]);
  const weighted = rules.filter((r) => r.dests.length > 1);
  const faultable = rules.filter((r) => r.ref.protocol === 'http');
  if (!rules.length) return null;
  const apply = async () => {
    if (busy.current) return;
    busy.current = true;
    setApplying(true);
    try {
      await applyToDesign(whatIf);
    } finally {
      busy.current = false;
      setApplying(false);
    }
  };
  return (
    <section className="load-card whatif" aria-label="What-if">
      <h3>What-if</h3>
      <p className="load-note whatif-note" aria-live="polite">
        {isEmpty(whatIf) ? 'Move a weight or inject a fault: the last load re-runs on a copy of the design.' : running ? 'Re-running…' : 'Showing the what-if run; the YAML is unchanged.'}
      </p>
      {weighted.map((r) => (
        <Canary key={r.id} rule={r} weights={whatIf.weights[r.id] ?? r.dests.map((d) => d.weight)} />
      ))}
      <div className="whatif-faults" role="group" aria-label="Fault injection">
        {faultable.map((r) => {
          const on = whatIf.aborts[r.id] ?? r.aborts;
          return (
            <label key={r.id} className="whatif-fault">
              <input
                type="checkbox"
                checked={on}
                onChange={(e) => {
                  const { [r.id]: _, ...others } = whatIf.aborts;
                  change({ ...whatIf, aborts: e.target.checked === r.aborts ? others : { ...others, [r.id]: e.target.checked } }, true);
                }}
                aria-label={`Abort 50% of ${r.name} with 503`}
              />
              <span title={`${r.ref.vs} ${r.ref.protocol}[${r.ref.index}]`}>
                abort 50% on <b>{r.named ? r.name.split(' · ').pop() : r.name.replace(' · ', ' ')}</b>
                {whatIf.aborts[r.id] !== undefined ? <em className="load-note"> (what-if)</em> : r.aborts ? <em className="load-note"> (in design)</em> : null}
              </span>
            </label>
          );
        })}
      </div>
      <div className="load-actions">
        <button type="button" disabled={isEmpty(whatIf) || applying} onClick={() => void apply()}>
          Apply to design
        </button>
        <button type="button" disabled={isEmpty(whatIf)} onClick={() => change(NO_WHAT_IF, true)}>
          Reset what-if
        </button>
      </div>
    </section>
  );
});
