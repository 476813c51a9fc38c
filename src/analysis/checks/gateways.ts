/**
 * Gateways: the workloads they program, the ports those workloads expose, and servers that collide.
 *
 *   IST0101 ReferencedResourceNotFound — the selector matches no workload (reftype "selector"); or a VirtualService
 *           bound to the Gateway is not exported to the namespace of its pods, so they ignore it.
 *   IST0162 GatewayPortNotDefinedOnService — a server port that no Service of the gateway pods exposes, as port or
 *           as targetPort (Istio binds a server port that is a Service port to its targetPort: 80 → 8080 is fine).
 *   IST0145 ConflictingGateways — two Gateways on the same pods declare the same port, host and bind.
 *   MC107   GatewayPortProtocolConflict — servers on one listener port of the same pods with different protocols
 *           (HTTP vs TLS vs TCP): Istio keeps the oldest Gateway's and drops the others.
 *   MC100   UnresolvedReference — the gateway pods are not in this design (it has no gateway workloads at all).
 */
import type { Resource } from '../../model/resource';
import { isExportedTo } from '../../engine/hosts';
import { parseProtocol, serverClass } from '../../engine/protocol';
import { asArray, asRecord, compareByCreation, labelsMatch, specOf, type RawGateway } from '../../engine/raw';
import type { Workload } from '../../engine/registry';
import { selectorString, type Ctx, type SvcInfo } from '../context';

interface Server {
  gw: Resource;
  index: number;
  number: number;
  protocol: string;
  cls: 'http' | 'tls' | 'tcp';
  hosts: string[];
  bind: string;
}

const gwName = (g: Resource) => `${g.namespace}/${g.name}`;

function serversOf(g: Resource): Server[] {
  const out: Server[] = [];
  asArray(specOf<RawGateway>(g).servers).forEach((s, index) => {
    const number = s?.port?.number;
    if (typeof number !== 'number') return;
    const raw = typeof s.port?.protocol === 'string' ? s.port.protocol : '';
    out.push({
      gw: g, index, number, protocol: raw, cls: serverClass(parseProtocol(raw)), bind: typeof s.bind === 'string' ? s.bind : '',
      hosts: asArray(s.hosts).map((h) => { const str = String(h).toLowerCase(); return str.slice(str.indexOf('/') + 1); }),
    });
  });
  return out;
}

/** Kubernetes Services whose selector picks workload `w`. */
function servicesOf(ctx: Ctx, w: Workload): SvcInfo[] {
  return ctx.servicesInNamespace(w.namespace).filter((s) => s.kind === 'Service' && s.selector && labelsMatch(s.selector, w.labels));
}

/** Where a server port listens on the pod: a Service port's targetPort, else the number itself (engine: listenerPortFor). */
function listenerPort(number: number, services: SvcInfo[], w: Workload): number {
  for (const s of services) {
    const p = s.ports.find((x) => x.number === number);
    if (!p) continue;
    if (typeof p.targetPort === 'number') return p.targetPort;
    const named = w.namedPorts[p.targetPort];
    if (typeof named === 'number') return named;
  }
  return number;
}

function checkSelector(ctx: Ctx, g: Resource, selector: Record<string, string>, pods: Workload[]): void {
  if (pods.length || !Object.keys(selector).length) return;
  // Gateway pods usually come with the Istio installation: only a design that models gateway workloads (in the root
  // namespace, or labelled `istio: …` as gateway deployments are) is expected to contain this one.
  const inDesign = ctx.workloads.some((w) => !w.builtin && (w.namespace === ctx.rootNamespace || w.labels.istio !== undefined));
  const path = ['spec', 'selector'];
  if (inDesign) ctx.report('IST0101', g, path, `Referenced selector not found: "${selectorString(selector)}" (no Deployment or Pod of the design has these labels, so no gateway serves this Gateway).`);
  else ctx.report('MC100', g, path, `The gateway pods (${selectorString(selector)}) are not in this design; they are assumed to exist in the cluster.`);
}

function checkPorts(ctx: Ctx, g: Resource, selector: Record<string, string>, pods: Workload[]): void {
  const services = new Set<SvcInfo>();
  const reachable = new Set<number>();
  for (const w of pods) {
    for (const s of servicesOf(ctx, w)) {
      services.add(s);
      for (const p of s.ports) {
        reachable.add(p.number);
        const t = typeof p.targetPort === 'number' ? p.targetPort : w.namedPorts[p.targetPort];
        if (typeof t === 'number') reachable.add(t);
      }
    }
  }
  if (!services.size) return; // the gateway's Service is not in this design
  for (const s of serversOf(g)) {
    if (reachable.has(s.number)) continue;
    ctx.report('IST0162', g, ['spec', 'servers', s.index, 'port', 'number'],
      `The gateway is listening on a target port (port ${s.number}) that is not defined in the Service associated with its workload instances (Pod selector ${selectorString(selector)}). If you need to access the gateway port through the gateway Service, it will not be available.`,
      { related: [...services].filter((x) => x.res).map((x) => x.key) });
  }
}

/** VirtualServices bound to this Gateway but not exported to the namespace its pods run in. */
function checkExports(ctx: Ctx, g: Resource, pods: Workload[]): void {
  const namespaces = [...new Set(pods.map((w) => w.namespace))];
  if (!namespaces.length) return;
  const name = gwName(g);
  for (const vs of ctx.virtualServices) {
    if (vs.isDelegate || !vs.gateways.includes(name)) continue;
    if (namespaces.some((ns) => isExportedTo(vs.exportTo, vs.namespace, ns))) continue;
    const i = vs.gateways.indexOf(name);
    ctx.report('IST0101', vs.res, asArray(vs.spec.exportTo).length ? ['spec', 'exportTo'] : ['spec', 'gateways', i],
      `Referenced gateway not visible: "${name}" runs in namespace ${namespaces.join(', ')}, and this VirtualService's exportTo does not include ${namespaces.length > 1 ? 'them' : 'it'}, so the gateway ignores it.`,
      { related: [g.key] });
  }
}

function conflicts(ctx: Ctx, targets: Map<string, { gws: Resource[]; pod: Workload | null }>): void {
  const reported = new Set<string>();
  const once = (key: string) => (reported.has(key) ? false : (reported.add(key), true));
  for (const { gws, pod } of targets.values()) {
    if (gws.length < 2) continue;
    const sorted = [...gws].sort(compareByCreation);
    const services = pod ? servicesOf(ctx, pod) : [];
    const servers = sorted.flatMap(serversOf);
    // Protocol classes per listener port: the first server (oldest Gateway) decides.
    const byListener = new Map<number, Server[]>();
    for (const s of servers) {
      const lp = pod ? listenerPort(s.number, services, pod) : s.number;
      let l = byListener.get(lp);
      if (!l) byListener.set(lp, (l = []));
      l.push(s);
    }
    for (const [lp, list] of byListener) {
      const first = list[0];
      for (const s of list) {
        if (s.cls === first.cls || s.gw === first.gw || !once(`MC107|${s.gw.key}|${s.index}`)) continue;
        ctx.report('MC107', s.gw, ['spec', 'servers', s.index, 'port', 'protocol'],
          `Port ${s.number}${lp !== s.number ? ` (listener ${lp})` : ''} is already a ${first.cls.toUpperCase()} listener from Gateway ${gwName(first.gw)} on the same pods; this ${s.protocol || 'unset-protocol'} server is dropped.`,
          { related: [first.gw.key] });
      }
    }
    // Same port, host and bind in two Gateways.
    const byHost = new Map<string, Server[]>();
    for (const s of servers) {
      for (const h of new Set(s.hosts)) {
        const key = `${s.number}|${h}|${s.bind}`;
        let l = byHost.get(key);
        if (!l) byHost.set(key, (l = []));
        l.push(s);
      }
    }
    const perServer = new Map<Server, { others: Set<Resource>; hosts: Set<string> }>();
    for (const [key, list] of byHost) {
      const gwsHere = new Set(list.map((s) => s.gw));
      if (gwsHere.size < 2) continue;
      const host = key.split('|')[1];
      for (const s of list) {
        let e = perServer.get(s);
        if (!e) perServer.set(s, (e = { others: new Set(), hosts: new Set() }));
        for (const o of gwsHere) if (o !== s.gw) e.others.add(o);
        e.hosts.add(host);
      }
    }
    for (const [s, e] of perServer) {
      if (!once(`IST0145|${s.gw.key}|${s.index}`)) continue;
      const sel = selectorString(asRecord(specOf<RawGateway>(s.gw).selector));
      ctx.report('IST0145', s.gw, ['spec', 'servers', s.index],
        `Conflict with gateways ${[...e.others].map(gwName).sort().join(',')} (workload selector ${sel}, port ${s.number}, hosts ${[...e.hosts].join(',')}).`,
        { related: [...e.others].map((o) => o.key) });
    }
  }
}

export function checkGateways(ctx: Ctx): void {
  const targets = new Map<string, { gws: Resource[]; pod: Workload | null }>();
  for (const g of ctx.model.ofKind('Gateway')) {
    const selector = asRecord(specOf<RawGateway>(g).selector);
    const pods = Object.keys(selector).length ? ctx.selectAnywhere(selector) : ctx.workloads.filter((w) => w.gateway && w.replicas > 0);
    checkSelector(ctx, g, selector, pods);
    checkPorts(ctx, g, selector, pods);
    checkExports(ctx, g, pods);
    // Gateways conflict on shared pods; without pods in the design, on an identical selector.
    const keys = pods.length ? pods.map((w) => `pod|${w.key}`) : [`selector|${selectorString(selector)}`];
    keys.forEach((k, i) => {
      let t = targets.get(k);
      if (!t) targets.set(k, (t = { gws: [], pod: pods[i] ?? null }));
      t.gws.push(g);
    });
  }
  conflicts(ctx, targets);
}
