/** Which canvas nodes and edges a traced request went through, to light them up. Pure. */
import type { Trace } from '../engine/types';
import type { MeshGraph } from './types';

export interface LitPath {
  nodes: Set<string>;
  edges: Set<string>;
}

const samePath = (a: readonly (string | number)[], b: readonly (string | number)[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export function tracePath(graph: MeshGraph, trace: Trace, source?: { workload?: string; namespace?: string }): LitPath {
  const nodes = new Set<string>();
  const edges = new Set<string>();
  for (const step of trace.explanation) {
    if (step.kind !== 'destination' || !step.resource || !step.path) continue;
    const routePath = step.path[step.path.length - 1] === 'destination' ? step.path.slice(0, -1) : step.path;
    const hop = trace.hops[step.hop];
    const fromGateway = hop?.proxy.startsWith('gateway');
    for (const e of graph.edges) {
      if (!e.origins.some((o) => o.resource === step.resource && samePath(o.path, routePath))) continue;
      edges.add(e.id);
      nodes.add(e.source);
      nodes.add(e.target);
      if (fromGateway) {
        // A gateway that shares the rule with the sidecars enters at the service: light its entry edge too.
        for (const entry of graph.edges) {
          if (entry.id.startsWith('entry:') && entry.target === e.source && entry.origins.some((o) => o.resource === step.resource)) {
            edges.add(entry.id);
            nodes.add(entry.source);
          }
        }
      }
    }
  }
  const d = trace.destination;
  if (d) {
    const svc = `svc:${d.service}`;
    if (graph.nodes.some((n) => n.id === svc)) nodes.add(svc);
    if (d.subset && graph.nodes.some((n) => n.id === `${svc}#${d.subset}`)) nodes.add(`${svc}#${d.subset}`);
  }
  if (source?.workload) {
    const id = `wl:${source.namespace ?? 'default'}/${source.workload}`;
    if (graph.nodes.some((n) => n.id === id)) nodes.add(id);
  }
  return { nodes, edges };
}
