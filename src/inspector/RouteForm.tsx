/** The form for a selected route edge: its VirtualService rule (name, order, matches, destinations, behaviour). */
import type { GraphEdge } from '../graph/types';
import type { RuleRef } from '../model/edit';
import type { Resource } from '../model/resource';
import { useStore } from '../store/store';
import { Destinations } from './Destinations';
import { edit, Note, Section, TextField } from './fields';
import { Matches } from './Matches';
import { NewRule } from './NewRule';
import { RuleFields } from './RuleFields';
import { movedEdgeId } from './target';
import { isObj, text, type Obj } from './values';

export function RouteForm({ edge, rule, destination, mirror, vs }: { edge: GraphEdge; rule: RuleRef; destination?: number; mirror: boolean; vs: Resource }) {
  const rules = ((vs.spec as Obj)[rule.protocol] ?? []) as Obj[];
  const obj = rules[rule.index];
  if (!isObj(obj)) return <Note>This rule is no longer in the YAML.</Note>;
  const route = (Array.isArray(obj.route) ? obj.route : []) as Obj[];
  const matches = (Array.isArray(obj.match) ? obj.match : []) as Obj[];
  const move = async (direction: 'up' | 'down') => {
    const to = rule.index + (direction === 'up' ? -1 : 1);
    const outcome = await edit({ type: 'moveRoute', rule, direction });
    if (outcome.ok) useStore.getState().select({ kind: 'edge', id: movedEdgeId(edge.id, rule.protocol, rule.index, to) });
  };
  const remove = async () => {
    const outcome = await edit({ type: 'removeRoute', rule });
    if (outcome.ok) useStore.getState().select(undefined);
  };
  const gateways = ((vs.spec as Obj).gateways ?? ['mesh']) as string[];
  return (
    <>
      <div className="insp-rule-bar">
        <span className="insp-rule-pos">
          {rule.protocol} rule {rule.index + 1} of {rules.length}
        </span>
        <button type="button" aria-label="Move rule up" title="Move rule up (it is tried earlier)" disabled={rule.index === 0} onClick={() => void move('up')}>
          ↑
        </button>
        <button type="button" aria-label="Move rule down" title="Move rule down (it is tried later)" disabled={rule.index === rules.length - 1} onClick={() => void move('down')}>
          ↓
        </button>
        <button type="button" className="insp-danger" onClick={() => void remove()}>
          Delete rule
        </button>
      </div>
      <Note>
        {vs.name}: hosts {((vs.spec as Obj).hosts as string[] | undefined)?.join(', ') ?? '—'} · via {gateways.join(', ')}
        {mirror ? ' · this edge is the rule’s mirror' : ''}
      </Note>
      <div className="insp-grid">
        <TextField
          label="Rule name"
          value={obj.name}
          parse={text({ pattern: [/^[-\w.]+$/, 'Use letters, digits, "-", "_" and "."'] })}
          at={[rule.vs, ['spec', rule.protocol, rule.index, 'name']]}
          onCommit={(v) => edit({ type: 'setField', key: rule.vs, path: ['spec', rule.protocol, rule.index, 'name'], value: v })}
          wide
        />
      </div>
      <Destinations rule={rule} route={route} namespace={vs.namespace} highlight={destination} />
      <Matches rule={rule} matches={matches} />
      <NewRule rule={rule} edgeId={edge.id} route={route} />
      {rule.protocol === 'http' ? <RuleFields rule={rule} obj={obj} /> : <Section title="Behaviour"><Note>Fault injection, retries, timeouts, mirroring, redirects and rewrites apply to http rules only.</Note></Section>}
    </>
  );
}
