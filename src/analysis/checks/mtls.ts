/**
 * Mutual TLS: what clients send (DestinationRule `tls`, else auto mTLS) against what servers accept
 * (PeerAuthentication), with the engine's precedence rules (src/engine/tls.ts, destinationrule.ts).
 *
 *   MC105 StrictMtlsWithTlsDisabled — a DestinationRule sets `tls.mode: DISABLE` for pods whose PeerAuthentication
 *         is STRICT: sidecar clients send plaintext, the server resets the connection, callers get 503.
 *   MC106 MtlsDisabledButClientsSendMtls — a PeerAuthentication disables mTLS on a workload (or port) but clients
 *         still send Istio mTLS: auto mTLS only learns namespace- and mesh-level DISABLE, or a DestinationRule
 *         says ISTIO_MUTUAL. The server's plaintext-only listener cannot take it: 503.
 *
 * istioctl's IST0113 MTLSPolicyConflict is retired (it predates PeerAuthentication); these are our codes.
 */
import type { ResourceKey } from '../../model/resource';
import { resolvePolicy, type MergedDr, type SubsetDef } from '../../engine/destinationrule';
import { labelsMatch, specOf, type RawTrafficPolicy } from '../../engine/raw';
import type { Workload } from '../../engine/registry';
import { effectivePeerAuth, inferredNamespaceMode } from '../../engine/tls';
import { resourceLabel, shortHost, type Ctx, type DrInfo, type PortInfo, type SvcInfo } from '../context';

function merged(dr: DrInfo): MergedDr {
  const subsets = new Map<string, SubsetDef>();
  for (const s of dr.subsets) {
    if (!subsets.has(s.name)) subsets.set(s.name, { name: s.name, labels: s.labels ?? {}, policy: s.policy, resource: dr.res.key, path: ['spec', 'subsets', s.index] });
  }
  return { host: dr.host, namespace: dr.namespace, keys: [dr.res.key], subsets, policy: dr.spec.trafficPolicy ?? null, policyResource: dr.res.key };
}

const tlsModes = (p: RawTrafficPolicy | null | undefined): string[] =>
  p ? [p.tls?.mode, ...(Array.isArray(p.portLevelSettings) ? p.portLevelSettings.map((x) => x?.tls?.mode) : [])].filter((m): m is string => typeof m === 'string').map((m) => m.toUpperCase()) : [];

const targetPort = (p: PortInfo, w: Workload): number => (typeof p.targetPort === 'number' ? p.targetPort : w.namedPorts[p.targetPort] ?? p.number);

const kubeServices = (ctx: Ctx, host: string): SvcInfo[] => ctx.servicesFor(host).filter((s) => s.kind === 'Service' && s.res !== null);

function strictWithDisable(ctx: Ctx): void {
  if (!ctx.pa.list.length) return;
  for (const dr of ctx.drs) {
    const modes = [...tlsModes(dr.spec.trafficPolicy), ...dr.subsets.flatMap((s) => tlsModes(s.policy))];
    if (!modes.includes('DISABLE')) continue;
    const m = merged(dr);
    const found = new Map<string, { path: (string | number)[]; workloads: Set<string>; pas: Set<ResourceKey>; ports: Set<number>; host: string }>();
    for (const svc of kubeServices(ctx, dr.host)) {
      const pods = ctx.endpointsOf(svc).filter((w) => w.sidecar);
      for (const p of svc.ports) {
        for (const subset of [null, ...m.subsets.values()]) {
          const tls = resolvePolicy(m, p.number, subset).tls;
          if (!tls || String(tls.value.mode ?? '').toUpperCase() !== 'DISABLE') continue;
          for (const w of subset ? pods.filter((x) => labelsMatch(subset.labels, x.labels)) : pods) {
            const pa = effectivePeerAuth(ctx.pa, w, targetPort(p, w));
            if (pa.mode !== 'STRICT' || !pa.resource) continue;
            const key = tls.path.join('/');
            let e = found.get(key);
            if (!e) found.set(key, (e = { path: [...tls.path, 'mode'], workloads: new Set(), pas: new Set(), ports: new Set(), host: svc.host }));
            e.workloads.add(`${w.namespace}/${w.name}`);
            e.pas.add(pa.resource);
            e.ports.add(p.number);
          }
        }
      }
    }
    for (const e of found.values()) {
      const pas = [...e.pas].map((k) => ctx.model.byKey.get(k)).filter((r) => r !== undefined).map(resourceLabel);
      ctx.report('MC105', dr.res, e.path,
        `tls.mode DISABLE makes sidecar clients send plaintext to ${e.host} (port ${[...e.ports].join(', ')}), but ${pas.join(', ')} require${pas.length > 1 ? '' : 's'} mTLS (STRICT) on ${[...e.workloads].join(', ')}: the server resets those connections and callers get 503.`,
        { related: [...e.pas] });
    }
  }
}

function hasDisable(ctx: Ctx): boolean {
  return ctx.pa.list.some((r) => {
    const s = specOf<{ mtls?: { mode?: unknown }; portLevelMtls?: Record<string, { mode?: unknown }> }>(r);
    return s.mtls?.mode === 'DISABLE' || Object.values(s.portLevelMtls ?? {}).some((x) => x?.mode === 'DISABLE');
  });
}

function disabledButMtls(ctx: Ctx): void {
  if (!hasDisable(ctx)) return;
  const reported = new Set<string>();
  for (const svc of ctx.services) {
    if (svc.kind !== 'Service' || !svc.res) continue;
    const pods = ctx.endpointsOf(svc).filter((w) => w.sidecar);
    if (!pods.length) continue;
    const drs = ctx.drsFor(svc.host);
    const dr = drs.find((d) => d.namespace === svc.namespace) ?? drs[0];
    const m = dr ? merged(dr) : null;
    for (const p of svc.ports) {
      for (const w of pods) {
        const pa = effectivePeerAuth(ctx.pa, w, targetPort(p, w));
        if (pa.mode !== 'DISABLE' || !pa.resource) continue;
        const tls = m ? resolvePolicy(m, p.number, null).tls : null;
        let why: string;
        if (tls) {
          if (String(tls.value.mode ?? '').toUpperCase() !== 'ISTIO_MUTUAL') continue;
          why = `DestinationRule ${dr!.namespace}/${dr!.res.name} sets tls.mode ISTIO_MUTUAL`;
        } else {
          if (!ctx.enableAutoMtls || inferredNamespaceMode(ctx.pa, svc.namespace).mode === 'DISABLE') continue;
          why = 'auto mTLS only knows namespace- and mesh-level PeerAuthentication, so clients keep sending Istio mTLS';
        }
        const key = `${pa.resource}|${pa.path.join('/')}|${svc.key}`;
        if (reported.has(key)) continue;
        reported.add(key);
        const res = ctx.model.byKey.get(pa.resource);
        if (!res) continue;
        const fixHint = tls ? 'set tls.mode DISABLE there' : `add a DestinationRule for ${shortHost(svc.host, svc.namespace)} with trafficPolicy.tls.mode DISABLE${pa.level === 'workload port' ? ` for port ${p.number}` : ''}`;
        ctx.report('MC106', res, pa.path,
          `mTLS is disabled on ${w.namespace}/${w.name} port ${targetPort(p, w)}, but sidecar clients of ${svc.host} still send Istio mTLS (${why}): the server cannot accept it and callers get 503. To serve plaintext, ${fixHint}.`,
          { related: [svc.key, ...(dr ? [dr.res.key] : [])] });
      }
    }
  }
}

export function checkMtls(ctx: Ctx): void {
  strictWithDisable(ctx);
  disabledButMtls(ctx);
}
