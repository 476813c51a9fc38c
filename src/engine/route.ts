/**
 * The fast path: one routing decision for a prepared request at its first proxy. No explanation,
 * no allocation per call (the decision object is reused), RE2 matchers precompiled, hosts indexed.
 * A load simulator calls this per request and models upstream behaviour itself.
 */
import { plainDest, type CompiledMesh } from './compile';
import { decideGateway, decideSidecar, newDecision, type Decision } from './decide';
import type { PreparedRequest } from './prepare';
import type { Rng } from './rng';

const scratch = new WeakMap<CompiledMesh, Decision>();

/** Routes at the first proxy. Returns `out` (or a per-mesh scratch object, overwritten by the next call). */
export function route(c: CompiledMesh, req: PreparedRequest, rng: Rng, out?: Decision): Decision {
  let d = out;
  if (d === undefined) {
    d = scratch.get(c);
    if (d === undefined) scratch.set(c, (d = newDecision()));
  }
  const s = req.source;
  if (s.kind === 'sidecar') decideSidecar(s.proxy, req.hop, rng, d, null);
  else if (s.kind === 'gateway') decideGateway(s.proxy, req.hop, rng, d, null);
  else {
    // No sidecar: no Envoy routing; kube-proxy sends to the Service (or the external address).
    const dest = plainDest(c, s.workload, req.hop.host, req.hop.port);
    d.kind = dest ? 'tcp' : 'passthrough';
    d.routeType = 'none';
    d.listenerPort = req.hop.port;
    d.table = null;
    d.vhost = null;
    d.route = null;
    d.dest = dest;
    d.l4 = null;
    d.l4Entry = null;
    d.chain = null;
    d.servicePort = null;
    d.detail = '';
  }
  return d;
}

/** The Envoy cluster a decision sends to (built-in names for built-in paths), or null. */
export function decisionCluster(d: Decision): string | null {
  switch (d.kind) {
    case 'route':
    case 'tcp':
      return d.dest ? d.dest.cluster : null;
    case 'passthrough':
      return 'PassthroughCluster';
    case 'blackhole':
      return 'BlackHoleCluster';
    default:
      return null;
  }
}
