/** Route tables and virtual hosts as Envoy holds them (RDS), shared by sidecars and gateways. */
import type { FieldPath, ResourceKey } from '../model/resource';
import { DomainIndex } from './hosts';
import type { CompiledDest, CompiledRoute, L4Route, OmittedMatch } from './routes';
import type { Service, ServicePort } from './registry';
import type { VsInfo } from './virtualservice';

export type VhostKind = 'service' | 'virtualservice' | 'allow_any' | 'block_all' | 'blackhole' | 'gateway';

export interface VirtualHost {
  name: string;
  domains: string[];
  routes: CompiledRoute[];
  kind: VhostKind;
  service: Service | null;
  /** VirtualServices whose rules are in this vhost (several on gateways). */
  vs: VsInfo[];
  /** Gateway httpsRedirect: plaintext requests get a 301 to https. */
  requireTls: boolean;
  /** Why the vhost looks the way it does (e.g. a VirtualService that yields no route here). */
  note: string | null;
  noteRef: { resource: ResourceKey; path: FieldPath } | null;
  /** VirtualService matches not generated on this proxy/listener (gateways, port, sourceLabels…). */
  omitted: OmittedMatch[];
}

export interface RouteTable {
  /** Envoy route configuration name: `9080`, `reviews.default.svc.cluster.local:9080`, `http.8080`. */
  name: string;
  vhosts: VirtualHost[];
  index: DomainIndex<VirtualHost>;
}

export function newTable(name: string): RouteTable {
  return { name, vhosts: [], index: new DomainIndex<VirtualHost>() };
}

/** Adds a vhost; domains already taken by an earlier vhost are dropped (as Istio does). */
export function addVhost(t: RouteTable, vh: VirtualHost): void {
  const kept: string[] = [];
  for (const d of vh.domains) if (t.index.add(d, vh)) kept.push(d);
  if (kept.length === 0) return;
  vh.domains = kept;
  t.vhosts.push(vh);
}

/** An L4 (TCP / TLS passthrough) destination known to a proxy: a service port with optional VS routes. */
export interface L4Entry {
  service: Service;
  port: ServicePort;
  vs: VsInfo | null;
  routes: L4Route[] | null;
  dflt: CompiledDest;
}
