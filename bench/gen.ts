/**
 * A deterministic, realistic mesh design for benchmarks and large-input tests.
 *
 * Per service: a Service, 2–3 Deployments (one per version), a DestinationRule with a subset per version and a
 * VirtualService with a few match rules and a weighted default route (some call other services, some carry
 * timeouts, retries, faults or mirrors). Across the mesh: Namespaces with sidecar injection, a few ingress Gateways
 * (with the VirtualServices bound to them), ServiceEntries for external APIs, and TLS egress through an egress
 * gateway. Block and flow style are mixed, leaning on flow style: ~45 lines per service.
 *
 * Same options → same text, byte for byte (a seeded PRNG, no clock, no Math.random).
 */

export interface MeshOptions {
  services: number;
  seed: number;
}

const NAMESPACES = ['shop', 'billing', 'identity', 'search', 'media', 'ops'];
const NOUNS = ['cart', 'catalog', 'checkout', 'payments', 'reviews', 'ratings', 'inventory', 'shipping', 'users', 'auth', 'search', 'recommend', 'images', 'notify', 'orders', 'pricing', 'ledger', 'profile', 'session', 'gateway-api'];
const EXTERNAL = ['api.stripe.example', 'api.maps.example', 'smtp.mailer.example', 'cdn.assets.example', 'api.tax.example', 'auth.idp.example', 'queue.events.example', 'api.geo.example'];

/** mulberry32: small, fast, good enough for test data. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)],
    chance: (p: number) => next() < p,
  };
}

interface Svc {
  name: string;
  namespace: string;
  versions: string[];
  port: number;
  grpc: boolean;
}

export function generateMesh({ services, seed }: MeshOptions): string {
  if (!Number.isInteger(services) || services < 1) throw new RangeError(`services must be a positive integer, got ${services}`);
  const r = prng(seed);
  const out: string[] = [];
  const doc = (lines: string[]) => out.push('---', ...lines);

  const nsCount = Math.min(NAMESPACES.length, Math.max(1, Math.ceil(services / 20)));
  const namespaces = NAMESPACES.slice(0, nsCount);
  const svcs: Svc[] = [];
  for (let i = 0; i < services; i++) {
    const noun = NOUNS[i % NOUNS.length];
    const round = Math.floor(i / NOUNS.length);
    svcs.push({
      name: round ? `${noun}-${round}` : noun,
      namespace: namespaces[i % namespaces.length],
      versions: r.chance(0.6) ? ['v1', 'v2'] : ['v1', 'v2', 'v3'],
      port: r.pick([80, 8080, 9080]),
      grpc: r.chance(0.15),
    });
  }
  const gatewayCount = Math.max(1, Math.ceil(services / 40));
  const entryCount = Math.max(1, Math.min(EXTERNAL.length, Math.ceil(services / 15)));
  const externals = EXTERNAL.slice(0, entryCount);

  out.push(`# Generated mesh: ${services} services, seed ${seed}.`);
  for (const ns of namespaces) {
    doc(['apiVersion: v1', 'kind: Namespace', 'metadata:', `  name: ${ns}`, '  labels:', '    istio-injection: enabled']);
  }
  const gateways: string[] = [];
  for (let g = 0; g < gatewayCount; g++) {
    const name = g === 0 ? 'public-gateway' : `public-gateway-${g}`;
    gateways.push(name);
    doc([
      'apiVersion: networking.istio.io/v1',
      'kind: Gateway',
      'metadata:',
      `  name: ${name}`,
      '  namespace: istio-system',
      'spec:',
      '  selector:',
      '    istio: ingressgateway',
      '  servers:',
      '  - port: {number: 80, name: http, protocol: HTTP}',
      `    hosts: ["*.site${g}.example.com"]`,
      '  - port: {number: 443, name: https, protocol: HTTPS}',
      `    hosts: ["*.site${g}.example.com"]`,
      `    tls: {mode: SIMPLE, credentialName: site${g}-cert}`,
    ]);
  }

  svcs.forEach((s, i) => {
    const app = s.name;
    const ns = s.namespace;
    doc([
      'apiVersion: v1',
      'kind: Service',
      `metadata: {name: ${app}, namespace: ${ns}, labels: {app: ${app}}}`,
      `spec: {selector: {app: ${app}}, ports: [{name: ${s.grpc ? 'grpc' : 'http'}, port: ${s.port}, targetPort: 8080${s.grpc ? ', appProtocol: grpc' : ''}}]}`,
    ]);
    for (const v of s.versions) {
      const labels = `{app: ${app}, version: ${v}}`;
      doc([
        'apiVersion: apps/v1',
        'kind: Deployment',
        `metadata: {name: ${app}-${v}, namespace: ${ns}, labels: ${labels}}`,
        `spec: {replicas: ${r.int(1, 3)}, selector: {matchLabels: ${labels}}, template: {metadata: {labels: ${labels}}, spec: {containers: [{name: ${app}, image: "registry.example/${app}:${v.slice(1)}.${r.int(0, 9)}.0"}]}}}`,
      ]);
    }
    const policy: string[] = [];
    if (r.chance(0.6)) policy.push('tls: {mode: ISTIO_MUTUAL}');
    if (r.chance(0.25)) policy.push(`connectionPool: {http: {http1MaxPendingRequests: ${r.int(1, 10) * 10}}}`);
    if (r.chance(0.25)) policy.push(`outlierDetection: {consecutive5xxErrors: ${r.int(3, 7)}, interval: 10s}`);
    doc([
      'apiVersion: networking.istio.io/v1',
      'kind: DestinationRule',
      `metadata: {name: ${app}, namespace: ${ns}}`,
      'spec:',
      `  host: ${app}`,
      ...(policy.length ? [`  trafficPolicy: {${policy.join(', ')}}`] : []),
      `  subsets: [${s.versions.map((v) => `{name: ${v}, labels: {version: ${v}}}`).join(', ')}]`,
    ]);

    const latest = s.versions[s.versions.length - 1];
    const exposed = i % 5 === 0;
    const gateway = gateways[i % gateways.length];
    const http: string[] = [
      `  - match: [{headers: {end-user: {exact: tester-${r.int(1, 99)}}}}]`,
      `    route: [{destination: {host: ${app}, subset: ${latest}}}]`,
    ];
    const next = svcs[(i + 1 + r.int(0, 3)) % svcs.length];
    if (next !== s && r.chance(0.5)) {
      const host = next.namespace === ns ? next.name : `${next.name}.${next.namespace}.svc.cluster.local`;
      http.push(`  - match: [{uri: {prefix: /api/${next.name}}}]`, `    route: [{destination: {host: ${host}, subset: v1}}]`, `    timeout: ${r.int(1, 5)}s`);
    } else {
      http.push(`  - match: [{uri: {exact: /v1/status}}, {uri: {prefix: /healthz}}]`, `    route: [{destination: {host: ${app}, subset: v1}}]`);
    }
    if (r.chance(0.15)) {
      http.push(
        `  - match: [{uri: {prefix: /test/fault}}]`,
        `    fault: {delay: {percentage: {value: ${r.int(1, 50)}}, fixedDelay: ${r.int(1, 3)}s}, abort: {percentage: {value: ${r.int(1, 20)}}, httpStatus: 503}}`,
        `    route: [{destination: {host: ${app}, subset: v1}}]`,
      );
    }
    const weights = s.versions.length === 2 ? r.pick([[90, 10], [80, 20], [50, 50], [100, 0]]) : r.pick([[80, 15, 5], [60, 30, 10], [34, 33, 33]]);
    http.push('  - route:');
    s.versions.forEach((v, k) => http.push(`    - {destination: {host: ${app}, subset: ${v}}, weight: ${weights[k]}}`));
    if (r.chance(0.4)) http.push(`    retries: {attempts: ${r.int(1, 3)}, perTryTimeout: 2s, retryOn: 5xx}`);
    if (r.chance(0.1)) http.push(`    mirror: {host: ${app}, subset: ${latest}}`);
    doc([
      'apiVersion: networking.istio.io/v1',
      'kind: VirtualService',
      'metadata:',
      `  name: ${app}`,
      `  namespace: ${ns}`,
      'spec:',
      exposed ? `  hosts: [${app}, ${app}.site${gateways.indexOf(gateway)}.example.com]` : `  hosts: [${app}]`,
      ...(exposed ? [`  gateways: [istio-system/${gateway}, mesh]`] : []),
      '  http:',
      ...http,
    ]);
  });

  externals.forEach((host, e) => {
    const tls = e % 2 === 0;
    doc([
      'apiVersion: networking.istio.io/v1',
      'kind: ServiceEntry',
      'metadata:',
      `  name: ${host.split('.').slice(0, 2).join('-')}`,
      '  namespace: istio-system',
      'spec:',
      `  hosts: [${host}]`,
      tls ? '  ports: [{number: 443, name: tls, protocol: TLS}]' : '  ports: [{number: 80, name: http, protocol: HTTP}]',
      '  location: MESH_EXTERNAL',
      '  resolution: DNS',
    ]);
    if (!tls) {
      doc([
        'apiVersion: networking.istio.io/v1',
        'kind: VirtualService',
        'metadata:',
        `  name: ${host.split('.').slice(0, 2).join('-')}`,
        '  namespace: istio-system',
        'spec:',
        `  hosts: [${host}]`,
        '  http:',
        `  - timeout: ${r.int(2, 10)}s`,
        `    retries: {attempts: ${r.int(2, 4)}, perTryTimeout: 1s}`,
        `    route: [{destination: {host: ${host}}}]`,
      ]);
    }
  });

  doc([
    'apiVersion: networking.istio.io/v1',
    'kind: Gateway',
    'metadata:',
    '  name: egress-gateway',
    '  namespace: istio-system',
    'spec:',
    '  selector: {istio: egressgateway}',
    '  servers:',
    '  - port: {number: 443, name: tls, protocol: TLS}',
    `    hosts: [${externals[0]}]`,
    '    tls: {mode: PASSTHROUGH}',
  ]);
  doc([
    'apiVersion: networking.istio.io/v1',
    'kind: DestinationRule',
    'metadata: {name: egress-gateway, namespace: istio-system}',
    'spec:',
    '  host: istio-egressgateway.istio-system.svc.cluster.local',
    '  subsets: [{name: external-tls}]',
  ]);
  doc([
    'apiVersion: networking.istio.io/v1',
    'kind: VirtualService',
    'metadata: {name: external-tls-via-egress, namespace: istio-system}',
    'spec:',
    `  hosts: [${externals[0]}]`,
    '  gateways: [mesh, egress-gateway]',
    '  tls:',
    `  - match: [{gateways: [mesh], port: 443, sniHosts: [${externals[0]}]}]`,
    '    route: [{destination: {host: istio-egressgateway.istio-system.svc.cluster.local, subset: external-tls, port: {number: 443}}}]',
    `  - match: [{gateways: [egress-gateway], port: 443, sniHosts: [${externals[0]}]}]`,
    `    route: [{destination: {host: ${externals[0]}, port: {number: 443}}}]`,
  ]);
  return out.join('\n') + '\n';
}
