/**
 * The inspector for a selected route: its destinations and their weights. Changing a weight rebalances the others
 * so the split stays 100 %, and writes only those numbers into the YAML (one undo step).
 */
import { Panel } from '@xyflow/react';
import { useEffect, useMemo, useState } from 'react';
import type { RuleRef } from '../model/edit';
import type { ResourceKey } from '../model/resource';
import { announce, runCommand } from '../store/edit';
import { useStore } from '../store/store';

interface Dest {
  label: string;
  weight: number;
}

/** Set destination `i` to `value` and let the others absorb the difference, last first (Kiali's convention). */
export function rebalance(weights: number[], i: number, value: number): number[] {
  const out = [...weights];
  out[i] = Math.max(0, Math.min(100, Math.round(value)));
  let excess = out.reduce((a, b) => a + b, 0) - 100;
  for (let j = out.length - 1; j >= 0 && excess !== 0; j--) {
    if (j === i) continue;
    const next = Math.max(0, Math.min(100, out[j] - excess));
    excess -= out[j] - next;
    out[j] = next;
  }
  return out;
}

export function RouteInspector() {
  const selection = useStore((s) => s.selection);
  const graph = useStore((s) => s.graph);
  const resources = useStore((s) => s.resources);
  const stale = useStore((s) => s.stale);
  const edge = selection?.kind === 'edge' ? graph.edges.find((e) => e.id === selection.id) : undefined;
  const origin = edge?.origins.find((o) => o.path.length === 3 && (o.path[1] === 'http' || o.path[1] === 'tcp' || o.path[1] === 'tls'));
  const rule: RuleRef | undefined = origin ? { vs: origin.resource, protocol: origin.path[1] as RuleRef['protocol'], index: origin.path[2] as number } : undefined;
  const vs = rule && resources.find((r) => r.key === rule.vs);
  const spec = vs?.spec as { http?: any[]; tcp?: any[]; tls?: any[] } | undefined;
  const ruleObj = rule && spec?.[rule.protocol]?.[rule.index];
  const dests: Dest[] = useMemo(() => {
    const route = (ruleObj?.route ?? []) as { destination?: { host?: string; subset?: string }; weight?: number }[];
    return route.map((d) => ({ label: [d.destination?.host, d.destination?.subset].filter(Boolean).join(' · '), weight: route.length === 1 ? 100 : (d.weight ?? 0) }));
  }, [ruleObj]);
  const [draft, setDraft] = useState<number[]>([]);
  useEffect(() => setDraft(dests.map((d) => d.weight)), [dests]);
  if (!edge || !rule || !ruleObj) return null;

  const commit = async (weights: number[]) => {
    if (weights.every((w, i) => w === dests[i]?.weight)) return;
    announce(await runCommand({ type: 'setWeights', rule, weights }));
  };
  const name = (ruleObj.name as string | undefined) ?? `${rule.protocol}[${rule.index}]`;
  return (
    <Panel position="bottom-left" className="inspector" aria-label="Route inspector">
      <div className="inspector-head">
        <strong>Route “{name}”</strong>
        <span className="inspector-sub">{(rule.vs as ResourceKey).replace(/^VirtualService\//, 'VirtualService ')}</span>
      </div>
      {stale ? <div className="inspector-note">Edits are paused while the YAML has errors.</div> : null}
      {dests.length > 1 ? (
        <>
          <table className="weights">
            <tbody>
              {dests.map((d, i) => (
                <tr key={i}>
                  <th scope="row">{d.label}</th>
                  <td>
                    <input
                      type="range"
                      min={0}
                      max={100}
                      value={draft[i] ?? 0}
                      aria-label={`Weight slider for ${d.label}`}
                      disabled={stale}
                      onChange={(e) => setDraft(rebalance(draft, i, Number(e.target.value)))}
                      onPointerUp={() => void commit(draft)}
                      onKeyUp={() => void commit(draft)}
                    />
                  </td>
                  <td>
                    <input
                      type="number"
                      min={0}
                      max={100}
                      value={draft[i] ?? 0}
                      aria-label={`Weight of ${d.label}`}
                      disabled={stale}
                      onChange={(e) => setDraft(rebalance(draft, i, Number(e.target.value)))}
                      onBlur={() => void commit(draft)}
                      onKeyDown={(e) => e.key === 'Enter' && void commit(draft)}
                    />
                    %
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="button" disabled={stale} onClick={() => void commit(rebalance(dests.map(() => Math.floor(100 / dests.length)), dests.length - 1, 100 - Math.floor(100 / dests.length) * (dests.length - 1)))}>
            Split evenly
          </button>
        </>
      ) : (
        <div className="inspector-note">All traffic of this rule goes to {dests[0]?.label ?? 'nowhere (redirect or direct response)'}.</div>
      )}
    </Panel>
  );
}
