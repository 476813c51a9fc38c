/**
 * Request templates derived from a design: where requests can come from, and one request per VirtualService route
 * match that would take that route. Pure.
 */
import { summarizeHttpMatch } from '../graph/matchSummary';
import type { MeshModel } from '../model/model';
import type { RequestInput, SourceInput } from './types';

export interface SourceChoice {
  label: string;
  source: SourceInput;
}

export interface RequestPreset {
  label: string;
  input: RequestInput;
}

/** Gateways first ("from the internet"), then every workload of the design. */
export function sourceChoices(model: MeshModel): SourceChoice[] {
  const out: SourceChoice[] = [];
  const seen = new Set<string>();
  for (const gw of model.ofKind('Gateway')) {
    const istio = (gw.spec.selector as Record<string, string> | undefined)?.istio;
    if (!istio || /egress/.test(istio)) continue;
    const service = `istio-system/istio-${istio}`;
    if (seen.has(service)) continue;
    seen.add(service);
    out.push({ label: `Internet → ${service}`, source: { gateway: service } });
  }
  for (const d of model.ofKind('Deployment')) {
    const labels = (d.spec.template?.metadata?.labels ?? {}) as Record<string, string>;
    if (labels.istio && /gateway/.test(labels.istio)) continue;
    out.push({ label: `${d.namespace}/${d.name}`, source: { workload: d.name, namespace: d.namespace } });
  }
  return out;
}

type StringMatch = { exact?: string; prefix?: string; regex?: string } | undefined;
/** A value that satisfies a string match (regexes: none is guessed). */
const sample = (m: StringMatch, fallback: string): string | undefined => (m?.exact ?? (m?.prefix !== undefined ? m.prefix : m?.regex !== undefined ? undefined : fallback));

export function requestPresets(model: MeshModel, limit = 40): RequestPreset[] {
  const sources = sourceChoices(model);
  // Prefer a pure client (a workload no Service selects) as the caller of mesh routes.
  const selected = (ns: string | undefined, labels: Record<string, string>) =>
    model.ofKind('Service').some((svc) => svc.namespace === ns && svc.spec.selector && Object.entries(svc.spec.selector).every(([k, v]) => labels[k] === v));
  const client =
    sources.find((s) => {
      const d = s.source.workload && model.ofKind('Deployment').find((x) => x.name === s.source.workload && x.namespace === s.source.namespace);
      return d && !selected(d.namespace, (d.spec.template?.metadata?.labels ?? {}) as Record<string, string>);
    }) ?? sources.find((s) => s.source.workload);
  const ingressGateways = new Set(
    model
      .ofKind('Gateway')
      .filter((g) => !/egress/.test((g.spec.selector as Record<string, string> | undefined)?.istio ?? 'egress'))
      .flatMap((g) => [`${g.namespace}/${g.name}`]),
  );
  const out: RequestPreset[] = [];
  for (const vs of model.ofKind('VirtualService')) {
    const gateways = vs.spec.gateways?.length ? vs.spec.gateways : ['mesh'];
    const hosts = vs.spec.hosts ?? [];
    const external = hosts.find((h) => h.includes('.') && !h.startsWith('*'));
    const meshHost = hosts.find((h) => !h.startsWith('*'));
    const ingress = gateways.some((g) => ingressGateways.has(g.includes('/') ? g : `${vs.namespace}/${g}`)) ? sources.find((s) => s.source.gateway) : undefined;
    const via = ingress && external ? { source: ingress.source, authority: external, port: 80, from: 'internet' } : client && meshHost ? { source: client.source, authority: meshHost, port: undefined, from: client.label } : undefined;
    if (!via) continue;
    (vs.spec.http ?? []).forEach((rule, i) => {
      const matches = (rule.match?.length ? rule.match : [{}]) as Record<string, any>[];
      matches.forEach((m, j) => {
        if (m.gateways?.length && !m.gateways.includes('mesh') && via.from !== 'internet') return;
        const path = sample(m.uri, '/');
        if (path === undefined) return;
        const headers: Record<string, string> = {};
        for (const [h, v] of Object.entries((m.headers ?? {}) as Record<string, StringMatch>)) {
          const value = sample(v, 'x');
          if (value === undefined) return;
          headers[h] = value;
        }
        const query = Object.entries((m.queryParams ?? {}) as Record<string, StringMatch>).map(([q, v]) => `${q}=${encodeURIComponent(sample(v, 'x') ?? 'x')}`);
        const what = summarizeHttpMatch(m) || 'everything else';
        out.push({
          label: `${vs.name} · ${rule.name ?? `http[${i}]`}${matches.length > 1 ? `.match[${j}]` : ''} — ${what} (from ${via.from})`,
          input: {
            source: via.source,
            request: { protocol: 'http', method: m.method?.exact ?? 'GET', authority: via.authority, port: m.port ?? via.port, path: (path || '/') + (query.length ? `?${query.join('&')}` : ''), headers },
          },
        });
      });
    });
    if (out.length >= limit) break;
  }
  return out.slice(0, limit);
}
