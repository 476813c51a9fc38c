/** "A new rule above this one": a URI match and one of this rule's destinations — how URI routes such as /v1 and /v2 are made. */
import { useState } from 'react';
import type { RuleRef } from '../model/edit';
import { useStore } from '../store/store';
import { edit } from './fields';
import { newUriMatch, STRING_MATCH_KINDS, type StringMatchKind } from './matches';
import { movedEdgeId } from './target';
import { isObj, type Obj } from './values';

const destLabel = (d: Obj) => [d.host, d.subset].filter(Boolean).join(' · ');

export function NewRule({ rule, edgeId, route }: { rule: RuleRef; edgeId: string; route: Obj[] }) {
  const dests = route.map((r) => (isObj(r.destination) ? r.destination : {})).filter((d) => typeof d.host === 'string');
  const [kind, setKind] = useState<StringMatchKind>('prefix');
  const [uri, setUri] = useState('');
  const [dest, setDest] = useState(0);
  const [error, setError] = useState<string>();
  if (rule.protocol !== 'http' || !dests.length) return null;
  const add = async () => {
    const m = newUriMatch(kind, uri);
    if (!m.ok) return setError(m.error);
    setError(undefined);
    const destination = { ...dests[Math.min(dest, dests.length - 1)] };
    const outcome = await edit({ type: 'addRoute', vs: rule.vs, protocol: 'http', index: rule.index, rule: { match: [m.value], route: [{ destination }] } });
    // This rule moved down one place: keep it selected.
    if (outcome.ok) {
      setUri('');
      useStore.getState().select({ kind: 'edge', id: movedEdgeId(edgeId, 'http', rule.index, rule.index + 1) });
    }
  };
  return (
    <div className="insp-add" role="group" aria-label="New rule above this one">
      <div className="insp-field">
        <label htmlFor="insp-new-rule-kind">New rule above: URI</label>
        <select id="insp-new-rule-kind" aria-label="New rule: how to compare the URI" value={kind} onChange={(e) => setKind(e.target.value as StringMatchKind)}>
          {STRING_MATCH_KINDS.map((k) => (
            <option key={k}>{k}</option>
          ))}
        </select>
      </div>
      <div className="insp-field">
        <label htmlFor="insp-new-rule-uri">Path</label>
        <input id="insp-new-rule-uri" aria-label="New rule URI" placeholder="/v1" value={uri} aria-invalid={error ? true : undefined} onChange={(e) => setUri(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && void add()} />
      </div>
      <div className="insp-field">
        <label htmlFor="insp-new-rule-dest">Goes to</label>
        <select id="insp-new-rule-dest" aria-label="New rule destination" value={dest} onChange={(e) => setDest(Number(e.target.value))}>
          {dests.map((d, i) => (
            <option key={i} value={i}>
              {destLabel(d)}
            </option>
          ))}
        </select>
      </div>
      <button type="button" onClick={() => void add()}>
        Add rule
      </button>
      {error ? (
        <p className="insp-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
