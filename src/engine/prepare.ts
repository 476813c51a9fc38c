/**
 * Input normalisation: resolves the source (workload with or without sidecar, or a gateway's
 * Service) and turns the request into a HopRequest once, so routing never re-parses it.
 */
import { gatewayProxy, sidecarProxy, type CompiledMesh } from './compile';
import type { DownstreamTls, HopRequest } from './decide';
import type { GatewayProxy } from './gateway';
import { intern, portOf, stripPort } from './hosts';
import type { Service, Workload } from './registry';
import type { SidecarProxy } from './sidecar';
import { EngineInputError, type RequestInput, type RequestProtocol } from './types';

export type ResolvedSource =
  | { kind: 'sidecar'; workload: Workload; proxy: SidecarProxy; reason: string }
  | { kind: 'plain'; workload: Workload; reason: string }
  | { kind: 'gateway'; workload: Workload; proxy: GatewayProxy; service: Service; servicePort: number; listenerPort: number };

export interface PreparedRequest {
  input: RequestInput;
  source: ResolvedSource;
  hop: HopRequest;
}

function resolveGatewaySource(c: CompiledMesh, ref: string, port: number): ResolvedSource {
  const [ns, name] = ref.includes('/') ? ref.split('/', 2) : [c.mesh.rootNamespace, ref];
  const svc = c.reg.services.find((s) => s.kind === 'Service' && s.namespace === ns && s.name === name);
  if (!svc) {
    const known = c.reg.services.filter((s) => s.endpoints.some((e) => e.workload?.gateway)).map((s) => `${s.namespace}/${s.name}`);
    throw new EngineInputError(`unknown gateway Service "${ns}/${name}"${known.length ? ` (gateway Services in the design: ${known.join(', ')})` : ''}`);
  }
  const ep = svc.endpoints.find((e) => e.workload && e.replicas > 0);
  if (!ep?.workload) throw new EngineInputError(`gateway Service ${ns}/${name} selects no running pod`);
  const sp = svc.ports.find((p) => p.number === port);
  // A port the gateway Service does not expose reaches no listener (0: connection refused).
  let listenerPort = 0;
  if (sp) {
    if (typeof sp.targetPort === 'number') listenerPort = sp.targetPort;
    else listenerPort = ep.workload.namedPorts[sp.targetPort] ?? port;
  }
  return { kind: 'gateway', workload: ep.workload, proxy: gatewayProxy(c, ep.workload), service: svc, servicePort: port, listenerPort };
}

export function resolveSource(c: CompiledMesh, input: RequestInput, port: number): ResolvedSource {
  const src = input.source ?? {};
  if (src.gateway) return resolveGatewaySource(c, src.gateway, port);
  if (!src.workload) throw new EngineInputError('the request needs "source": {"workload": …} or {"gateway": "namespace/name"}');
  const all = c.reg.workloadsByName.get(src.workload) ?? [];
  const found = src.namespace ? all.filter((w) => w.namespace === src.namespace) : all;
  if (found.length === 0) {
    const names = c.reg.workloads.filter((w) => !w.builtin).map((w) => `${w.namespace}/${w.name}`);
    throw new EngineInputError(`unknown source workload "${src.namespace ? `${src.namespace}/` : ''}${src.workload}"${names.length ? ` (workloads in the design: ${names.slice(0, 20).join(', ')}${names.length > 20 ? ', …' : ''})` : ' (the design has no Deployment or Pod)'}`);
  }
  if (found.length > 1) throw new EngineInputError(`source workload "${src.workload}" exists in several namespaces (${found.map((w) => w.namespace).join(', ')}): give "namespace"`);
  const w = found[0];
  if (w.gateway) return resolveGatewaySource(c, `${w.namespace}/${c.reg.services.find((s) => s.endpoints.some((e) => e.workload === w))?.name ?? w.name}`, port);
  const sidecar = typeof src.sidecar === 'boolean' ? src.sidecar : w.sidecar;
  const reason = typeof src.sidecar === 'boolean' ? `"sidecar": ${src.sidecar} in the request` : w.sidecarReason;
  return sidecar ? { kind: 'sidecar', workload: w, proxy: sidecarProxy(c, w), reason } : { kind: 'plain', workload: w, reason };
}

export function parseQuery(qs: string): Map<string, string> {
  const m = new Map<string, string>();
  if (!qs) return m;
  for (const part of qs.split('&')) {
    if (!part) continue;
    const i = part.indexOf('=');
    const k = i >= 0 ? part.slice(0, i) : part;
    if (!m.has(k)) m.set(intern(k), intern(i >= 0 ? part.slice(i + 1) : ''));
  }
  return m;
}

/** Builds the HopRequest for one proxy from request fields. */
export function makeHopRequest(f: {
  protocol: RequestProtocol;
  port: number;
  authority: string;
  path: string;
  method: string;
  scheme: string;
  headers: Map<string, string>;
  sni: string | null;
  downstreamTls: DownstreamTls | null;
}): HopRequest {
  const q = f.path.indexOf('?');
  const path = q >= 0 ? f.path.slice(0, q) : f.path;
  const queryString = q >= 0 ? f.path.slice(q + 1) : '';
  const headers = new Map<string, string>();
  for (const [k, v] of f.headers) headers.set(intern(k), intern(v));
  headers.set(':authority', f.authority);
  headers.set(':method', f.method);
  headers.set(':scheme', f.scheme);
  headers.set(':path', f.path);
  const host = stripPort(f.authority).toLowerCase();
  return {
    protocol: f.protocol,
    port: f.port,
    host: intern(f.protocol === 'tls' && f.sni ? f.sni.toLowerCase() : host),
    authority: f.authority,
    path: intern(path),
    pathLower: intern(path.toLowerCase()),
    queryString,
    query: parseQuery(queryString),
    method: f.method,
    scheme: f.scheme,
    headers,
    sni: f.sni ? f.sni.toLowerCase() : null,
    downstreamTls: f.downstreamTls,
  };
}

/** Validates and normalises a request once; the result can be routed any number of times. */
export function prepare(c: CompiledMesh, input: RequestInput): PreparedRequest {
  if (!input || typeof input !== 'object' || !input.request || typeof input.request !== 'object') throw new EngineInputError('the request needs a "request" object');
  const rq = input.request;
  const authority = rq.authority ?? rq.sni ?? '';
  if (!authority) throw new EngineInputError('request.authority is required (the Host header or destination name)');
  const scheme = (rq.scheme ?? 'http').toLowerCase();
  let protocol: RequestProtocol = rq.protocol ?? 'http';
  if (!['http', 'tls', 'tcp'].includes(protocol)) throw new EngineInputError(`request.protocol must be http, tls or tcp (got "${protocol}")`);
  const port = rq.port ?? portOf(authority) ?? (scheme === 'https' || protocol === 'tls' ? 443 : 80);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new EngineInputError(`request.port must be a port number (got ${JSON.stringify(rq.port)})`);
  const source = resolveSource(c, input, port);
  const tlsFromClient = scheme === 'https' || protocol === 'tls';
  const headers = new Map<string, string>();
  for (const [k, v] of Object.entries(rq.headers ?? {})) headers.set(k.toLowerCase(), String(v));
  let downstreamTls: DownstreamTls | null = null;
  if (source.kind === 'gateway') downstreamTls = tlsFromClient ? (rq.clientCertificate ? 'tls_client_cert' : 'tls') : null;
  // A sidecar cannot see inside the application's own TLS: it routes by SNI.
  else if (tlsFromClient && protocol === 'http') protocol = 'tls';
  const sni = tlsFromClient ? (rq.sni ?? stripPort(authority)) : null;
  const hop = makeHopRequest({
    protocol,
    port: source.kind === 'gateway' ? source.listenerPort : port,
    authority,
    path: rq.path ?? '/',
    method: rq.method ?? 'GET',
    scheme,
    headers,
    sni,
    downstreamTls,
  });
  return { input, source, hop };
}
