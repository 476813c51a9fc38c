/**
 * A load run drawn on the graph: per edge its rate, share of its route's split, error rate, p99 and particles; per
 * node its health (Kiali's default thresholds) and ejected endpoints. Pure: graph + result → overlay.
 */
import type { SimResult } from '../engine/sim/types';
import type { MeshGraph } from '../graph/types';
import type { Resource } from '../model/resource';

/** Kiali's health: `idle` (no traffic), `healthy`, `degraded` (orange), `failing` (red). */
export type Health = 'idle' | 'healthy' | 'degraded' | 'failing';

export interface EdgeTraffic {
  requests: number;
  rps: number;
  /** Percent of its route rule's requests, when the rule splits traffic (more than one destination). */
  share?: number;
  /** 5xx or no answer, percent. */
  errorRate: number;
  /** 4xx, percent. */
  clientErrorRate: number;
  p99: number;
  health: Health;
  /** Particles drawn along the edge (0: none), of which `errorParticles` show errors. */
  particles: number;
  errorParticles: number;
  /** Seconds a particle takes along the edge (slower for slower answers). */
  duration: number;
}

export interface NodeTraffic {
  requests: number;
  rps: number;
  errorRate: number;
  clientErrorRate: number;
  health: Health;
  /** Endpoints (pods) ejected by outlier detection at the end of the run, and those ejected at some point. */
  ejectedAtEnd: number;
  ejectedEver: number;
  /** Every pod of the node was ejected at the end. */
  allEjected: boolean;
}

/** An edge no request took. */
export const IDLE: EdgeTraffic = { requests: 0, rps: 0, errorRate: 0, clientErrorRate: 0, p99: 0, health: 'idle', particles: 0, errorParticles: 0, duration: 0 };

export interface TrafficOverlay {
  edges: Map<string, EdgeTraffic>;
  nodes: Map<string, NodeTraffic>;
}

/** Kiali's default thresholds: 5xx ≥ 0.1 % degraded, ≥ 10 % failing; 4xx ≥ 10 % degraded, ≥ 20 % failing (percent). */
export function health(requests: number, errorRate: number, clientErrorRate: number): Health {
  if (requests === 0) return 'idle';
  if (errorRate >= 10 || clientErrorRate >= 20) return 'failing';
  if (errorRate >= 0.1 || clientErrorRate >= 10) return 'degraded';
  return 'healthy';
}

/** Most particles on one edge, and over the whole canvas. */
export const MAX_PARTICLES_PER_EDGE = 4;
export const PARTICLE_BUDGET = 240;

interface Acc {
  requests: number;
  errors: number;
  clientErrors: number;
  p99: number;
}
const acc = (): Acc => ({ requests: 0, errors: 0, clientErrors: 0, p99: 0 });
const addTo = (a: Acc, b: Acc) => {
  a.requests += b.requests;
  a.errors += b.errors;
  a.clientErrors += b.clientErrors;
  // Percentiles do not add up; an edge that merges several routes shows the worst of their p99s.
  if (b.requests > 0) a.p99 = Math.max(a.p99, b.p99);
};
const pct = (n: number, d: number) => (d > 0 ? (n / d) * 100 : 0);

/** `gateway istio-ingressgateway.istio-system` → the ids of the Gateway nodes whose selector picks that workload. */
function gatewayNodesOf(resources: readonly Resource[]) {
  const byProxy = new Map<string, string[]>();
  for (const r of resources) {
    if (r.kind !== 'Gateway') continue;
    const istio = ((r.spec as { selector?: Record<string, string> })?.selector ?? {}).istio;
    if (!istio) continue;
    const proxy = `gateway istio-${istio}.istio-system`;
    byProxy.set(proxy, [...(byProxy.get(proxy) ?? []), `gw:${r.namespace}/${r.name}`]);
  }
  return byProxy;
}

/** `outbound|80|v1|my-service.default.svc.cluster.local` → `svc:my-service.default.svc.cluster.local#v1` */
export function clusterNode(cluster: string): string | undefined {
  const m = /^outbound\|\d*\|([^|]*)\|(.+)$/.exec(cluster);
  if (!m) return undefined;
  return m[1] ? `svc:${m[2]}#${m[1]}` : `svc:${m[2]}`;
}

export function trafficOverlay(graph: MeshGraph, result: SimResult, resources: readonly Resource[] = []): TrafficOverlay {
  const seconds = Math.max(result.simulatedMs, 1) / 1000;
  const byPrefix = new Map<string, MeshGraph['edges']>();
  for (const e of graph.edges) {
    const at = e.id.lastIndexOf('@');
    if (at < 0 || e.id.startsWith('entry:')) continue;
    const prefix = e.id.slice(0, at);
    byPrefix.set(prefix, [...(byPrefix.get(prefix) ?? []), e]);
  }
  const entries = graph.edges.filter((e) => e.id.startsWith('entry:'));
  const gateways = gatewayNodesOf(resources);
  const edgeAcc = new Map<string, Acc>();
  const add = (id: string, a: Acc) => {
    let x = edgeAcc.get(id);
    if (!x) edgeAcc.set(id, (x = acc()));
    addTo(x, a);
  };
  /** Per rule (`prefix` up to the rule, and the routing point): requests, for shares. */
  const ruleTotals = new Map<string, number>();

  for (const s of result.edges) {
    const tail = s.destination >= 0 ? `route/${s.destination}` : s.mirror === -1 || s.mirror === null ? 'mirror' : `mirrors/${s.mirror}`;
    const candidates = byPrefix.get(`${s.virtualService}#${s.protocol}/${s.rule}/${tail}`) ?? [];
    if (!candidates.length) continue;
    const a: Acc = { requests: s.requests, errors: s.errors, clientErrors: s.clientErrors, p99: s.latencyMs?.p99 ?? 0 };
    const gwIds = new Set(s.proxies.flatMap((p) => gateways.get(p) ?? []));
    let edge: MeshGraph['edges'][number];
    if (s.via === 'gateway') {
      const fromGateway = candidates.filter((e) => e.source.startsWith('gw:'));
      const own = fromGateway.find((e) => gwIds.has(e.source)) ?? fromGateway[0];
      if (own) edge = own;
      else {
        // The gateway enters at the service whose sidecars apply the same rule: its route edge leaves the service.
        edge = candidates.find((e) => !e.source.startsWith('gw:')) ?? candidates[0];
        const into = entries.filter((e) => e.target === edge.source);
        const entry = into.find((e) => gwIds.has(e.source)) ?? into[0];
        if (entry) add(entry.id, a);
      }
    } else edge = candidates.find((e) => !e.source.startsWith('gw:')) ?? candidates[0];
    add(edge.id, a);
    if (s.destination >= 0) {
      const rule = `${s.virtualService}#${s.protocol}/${s.rule}@${edge.source}`;
      ruleTotals.set(rule, (ruleTotals.get(rule) ?? 0) + s.requests);
    }
  }

  const maxRps = Math.max(0, ...[...edgeAcc.values()].map((a) => a.requests / seconds));
  const edges = new Map<string, EdgeTraffic>();
  const nodeIn = new Map<string, Acc>();
  const nodeOut = new Map<string, Acc>();
  const byId = new Map(graph.edges.map((e) => [e.id, e]));
  let particles = 0;
  for (const [id, a] of edgeAcc) {
    const e = byId.get(id)!;
    const m = /^(.*#(?:http|tcp|tls)\/\d+)\/route\/\d+@(.*)$/.exec(id);
    const ruleTotal = m ? ruleTotals.get(`${m[1]}@${m[2]}`) : undefined;
    const split = m && (byPrefix.get(`${m[1]}/route/1`)?.length ?? 0) > 0;
    const rps = a.requests / seconds;
    const errorRate = pct(a.errors, a.requests);
    const n = a.requests > 0 && maxRps > 0 ? Math.max(1, Math.min(MAX_PARTICLES_PER_EDGE, Math.round((MAX_PARTICLES_PER_EDGE * rps) / maxRps))) : 0;
    particles += n;
    edges.set(id, {
      requests: a.requests,
      rps,
      share: split && ruleTotal ? pct(a.requests, ruleTotal) : undefined,
      errorRate,
      clientErrorRate: pct(a.clientErrors, a.requests),
      p99: a.p99,
      health: health(a.requests, errorRate, pct(a.clientErrors, a.requests)),
      particles: n,
      errorParticles: Math.round((n * errorRate) / 100),
      duration: Math.min(6, 1.5 + Math.log10(1 + a.p99 / 10)),
    });
    for (const [map, node] of [
      [nodeIn, e.target],
      [nodeOut, e.source],
    ] as const) {
      let x = map.get(node);
      if (!x) map.set(node, (x = acc()));
      addTo(x, a);
    }
  }
  // Over the budget: thin every edge's particles alike (each keeps at least one).
  if (particles > PARTICLE_BUDGET) {
    const f = PARTICLE_BUDGET / particles;
    for (const t of edges.values()) {
      if (!t.particles) continue;
      const n = Math.max(1, Math.floor(t.particles * f));
      t.errorParticles = Math.min(n, Math.round((n * t.errorRate) / 100));
      t.particles = n;
    }
  }

  const ejected = new Map<string, { end: Set<string>; ever: Set<string> }>();
  for (const x of result.ejectedEndpoints) {
    const id = clusterNode(x.cluster);
    if (!id) continue;
    let rec = ejected.get(id);
    if (!rec) ejected.set(id, (rec = { end: new Set(), ever: new Set() }));
    rec.ever.add(x.pod);
    if (x.ejectedAtEnd) rec.end.add(x.pod);
  }
  const nodes = new Map<string, NodeTraffic>();
  for (const n of graph.nodes) {
    const a = nodeIn.get(n.id) ?? nodeOut.get(n.id);
    const ej = ejected.get(n.id);
    if (!a && !ej) continue;
    const requests = a?.requests ?? 0;
    const errorRate = pct(a?.errors ?? 0, requests);
    const clientErrorRate = pct(a?.clientErrors ?? 0, requests);
    const ejectedAtEnd = ej?.end.size ?? 0;
    nodes.set(n.id, {
      requests,
      rps: requests / seconds,
      errorRate,
      clientErrorRate,
      health: health(requests, errorRate, clientErrorRate),
      ejectedAtEnd,
      ejectedEver: ej?.ever.size ?? 0,
      allEjected: ejectedAtEnd > 0 && n.workloads !== undefined && ejectedAtEnd >= n.workloads,
    });
  }
  return { edges, nodes };
}

const fmt1 = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n >= 10 ? n.toFixed(1) : n.toFixed(n === 0 ? 0 : 2));
export const formatRps = (rps: number) => `${fmt1(rps)} rps`;
export const formatPct = (p: number) => `${p === 0 ? '0' : p < 0.1 ? '<0.1' : p.toFixed(1)}%`;
export const formatMs = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(ms >= 10_000 ? 0 : 1)} s` : `${ms >= 10 ? Math.round(ms) : ms.toFixed(1)} ms`);

/** One line for a node's chip and accessible description. */
export function nodeSummary(t: NodeTraffic): string {
  const parts = [formatRps(t.rps)];
  if (t.errorRate > 0) parts.push(`${formatPct(t.errorRate)} 5xx`);
  if (t.clientErrorRate > 0) parts.push(`${formatPct(t.clientErrorRate)} 4xx`);
  if (t.ejectedAtEnd) parts.push(`${t.ejectedAtEnd} ejected`);
  else if (t.ejectedEver) parts.push(`${t.ejectedEver} ejected during run`);
  return parts.join(' · ');
}
