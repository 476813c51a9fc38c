/**
 * A rule's destinations: linked weight sliders and numbers that keep the split at 100 %, removing a destination,
 * and adding one (host and subset picked from the design).
 */
import { useEffect, useMemo, useState } from 'react';
import type { RuleRef } from '../model/edit';
import type { Resource } from '../model/resource';
import { useStore, type AppState } from '../store/store';
import { edit, historyKey, IconButton, Section } from './fields';
import { destinationHosts, edgeIdAfterRemoval } from './target';
import { isObj, type Obj } from './values';
import { currentWeights, evenWeights, rebalance } from './weights';

const destLabel = (d: Obj) => {
  const dest = isObj(d.destination) ? d.destination : {};
  const port = isObj(dest.port) && dest.port.number !== undefined ? `:${dest.port.number}` : '';
  return [`${dest.host ?? '?'}${port}`, dest.subset].filter(Boolean).join(' · ');
};

export function Destinations({ rule, route, namespace, highlight }: { rule: RuleRef; route: Obj[]; namespace: string; highlight?: number }) {
  const stored = useMemo(() => currentWeights(route), [route]);
  const [draft, setDraft] = useState(stored);
  useEffect(() => setDraft(stored), [stored]);
  const labels = route.map(destLabel);
  const commit = async (weights: number[]) => {
    if (weights.length !== stored.length || weights.every((w, i) => w === stored[i])) return;
    const outcome = await edit({ type: 'setWeights', rule, weights });
    if (!outcome.ok) setDraft(stored);
  };
  const remove = async (i: number) => {
    const outcome = await edit({ type: 'removeDestination', rule, index: i });
    // The selected edge stands for one destination: follow it (or its neighbour) to its new id.
    const sel = useStore.getState().selection;
    if (outcome.ok && sel?.kind === 'edge') useStore.getState().select({ kind: 'edge', id: edgeIdAfterRemoval(sel.id, i) });
  };
  const at = [rule.vs, ['spec', rule.protocol, rule.index, 'route']] as const;
  const sum = draft.reduce((a, b) => a + b, 0);
  return (
    <Section title="Destinations" at={at}>
      {route.length === 0 ? <p className="insp-note">No destinations: this rule redirects or answers directly.</p> : null}
      <ul className="insp-dests">
        {route.map((_, i) => (
          <li key={i} className={i === highlight ? 'is-current' : undefined}>
            <div className="insp-dest-head">
              <span className="insp-dest-name" title={labels[i]}>
                {labels[i]}
              </span>
              {route.length > 1 ? (
                <IconButton label={`Remove destination ${labels[i]}`} onClick={() => void remove(i)}>
                  ×
                </IconButton>
              ) : null}
            </div>
            {route.length > 1 ? (
              <div className="insp-weight">
                <input
                  type="range"
                  min={0}
                  max={100}
                  value={draft[i] ?? 0}
                  aria-label={`Weight slider for ${labels[i]}`}
                  onChange={(e) => setDraft(rebalance(draft, i, Number(e.target.value)))}
                  onPointerUp={() => void commit(draft)}
                  onKeyUp={(e) => e.key !== 'Tab' && void commit(draft)}
                />
                <input
                  type="number"
                  min={0}
                  max={100}
                  value={draft[i] ?? 0}
                  aria-label={`Weight of ${labels[i]}`}
                  onChange={(e) => setDraft(rebalance(draft, i, Number(e.target.value)))}
                  onBlur={() => void commit(draft)}
                  onKeyDown={(e) => {
                    historyKey(e, draft.some((w, j) => w !== stored[j]));
                    if (e.key === 'Enter') void commit(draft);
                  }}
                />
                <span aria-hidden="true">%</span>
              </div>
            ) : null}
          </li>
        ))}
      </ul>
      {route.length > 1 && sum !== 100 ? <p className="insp-error">The weights add up to {sum}, not 100.</p> : null}
      {route.length > 2 ? (
        <button type="button" onClick={() => void commit(evenWeights(route.length))}>
          Split evenly
        </button>
      ) : null}
      <AddDestination rule={rule} namespace={namespace} />
    </Section>
  );
}

const HOST_KINDS = new Set(['Service', 'ServiceEntry', 'DestinationRule']);
/** The resources hosts come from: the same array while they are the same objects (the YAML typed elsewhere), worked
 * out again only when the resources change (not on every change of the store). */
let hostsFrom: readonly Resource[] | undefined;
let hostResources: Resource[] = [];
const selectHostResources = (s: Pick<AppState, 'resources'>) => {
  if (s.resources === hostsFrom) return hostResources;
  hostsFrom = s.resources;
  const next = s.resources.filter((r) => HOST_KINDS.has(r.kind));
  if (next.length !== hostResources.length || next.some((r, i) => r !== hostResources[i])) hostResources = next;
  return hostResources;
};

function AddDestination({ rule, namespace }: { rule: RuleRef; namespace: string }) {
  const resources = useStore(selectHostResources);
  const hosts = useMemo(() => destinationHosts(resources, namespace), [resources, namespace]);
  const [host, setHost] = useState('');
  const [subset, setSubset] = useState('');
  const subsets = hosts.find((h) => h.host === host)?.subsets ?? [];
  const listId = `insp-hosts-${rule.index}`;
  const add = async () => {
    if (!host.trim()) return;
    const outcome = await edit({ type: 'addDestination', rule, destination: subset ? { host: host.trim(), subset } : { host: host.trim() } });
    if (outcome.ok) {
      setHost('');
      setSubset('');
    }
  };
  return (
    <div className="insp-add">
      <div className="insp-field">
        <label htmlFor={`${listId}-host`}>Host</label>
        <input
          id={`${listId}-host`}
          list={listId}
          value={host}
          placeholder="service or external host"
          aria-label="New destination host"
          onChange={(e) => {
            setHost(e.target.value);
            setSubset('');
          }}
          onKeyDown={(e) => e.key === 'Enter' && void add()}
        />
        <datalist id={listId}>
          {hosts.map((h) => (
            <option key={h.host} value={h.host} />
          ))}
        </datalist>
      </div>
      <div className="insp-field">
        <label htmlFor={`${listId}-subset`}>Subset</label>
        <select id={`${listId}-subset`} aria-label="New destination subset" value={subset} onChange={(e) => setSubset(e.target.value)}>
          <option value="">(none)</option>
          {subsets.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </div>
      <button type="button" disabled={!host.trim()} onClick={() => void add()}>
        Add destination
      </button>
    </div>
  );
}
