/**
 * A gateway → service entry edge: the VirtualServices bound to that gateway (their hosts and gateways), and the
 * rules that then apply at the service, each one click away.
 */
import type { GraphEdge } from '../graph/types';
import { summarizeRule } from '../graph/matchSummary';
import type { Resource, ResourceKey } from '../model/resource';
import { useStore } from '../store/store';
import { edit, Note, Section, TextField } from './fields';
import { formatList, HOST, list, type Obj } from './values';

export function EntryForm({ edge, virtualServices }: { edge: GraphEdge; virtualServices: ResourceKey[] }) {
  const resources = useStore((s) => s.resources);
  const graph = useStore((s) => s.graph);
  return (
    <>
      <Note>Requests for these hosts enter at the gateway and are routed by the service’s own rules below.</Note>
      {virtualServices.map((key) => {
        const vs = resources.find((r) => r.key === key) as Resource | undefined;
        if (!vs) return null;
        const spec = vs.spec as Obj;
        const rules = ((spec.http ?? []) as Obj[]).map((rule, i) => ({ rule, i }));
        return (
          <Section key={key} title={`VirtualService ${vs.name}`} at={[key, ['spec']]}>
            <div className="insp-grid">
              <TextField label="Hosts" name={`Hosts of VirtualService ${vs.name}`} value={spec.hosts} format={formatList} parse={list(HOST)} at={[key, ['spec', 'hosts']]} onCommit={(v) => edit({ type: 'setField', key, path: ['spec', 'hosts'], value: v })} wide />
              <TextField label="Gateways" name={`Gateways of VirtualService ${vs.name}`} value={spec.gateways} format={formatList} parse={list([/^[-a-z0-9./]+$/, 'a gateway name, namespace/name or mesh'])} at={[key, ['spec', 'gateways']]} onCommit={(v) => edit({ type: 'setField', key, path: ['spec', 'gateways'], value: v })} wide hint="mesh = the sidecars; empty = mesh only" />
            </div>
            <ol className="insp-rules">
              {rules.map(({ rule, i }) => {
                const target = graph.edges.find((e) => e.origins[0]?.resource === key && e.origins[0]?.path[1] === 'http' && e.origins[0]?.path[2] === i);
                const text = `${typeof rule.name === 'string' ? rule.name + ': ' : ''}${summarizeRule(rule.match as Obj[] | undefined, 'http')}`;
                return (
                  <li key={i}>
                    {target ? (
                      <button type="button" className="insp-link" onClick={() => useStore.getState().select({ kind: 'edge', id: target.id })}>
                        {text}
                      </button>
                    ) : (
                      text
                    )}
                  </li>
                );
              })}
            </ol>
          </Section>
        );
      })}
      {edge.match ? <Note>Hosts on this edge: {edge.match}</Note> : null}
    </>
  );
}
