/**
 * Port protocols (Istio protocol selection): explicit `protocol` on ServiceEntry/Gateway ports;
 * `appProtocol` or the `<protocol>[-suffix]` port name on Kubernetes Service ports; otherwise
 * auto-detected (sniffed) HTTP.
 */

export type Protocol =
  | 'HTTP'
  | 'HTTP2'
  | 'GRPC'
  | 'GRPC-WEB'
  | 'HTTPS'
  | 'TLS'
  | 'TCP'
  | 'MONGO'
  | 'MYSQL'
  | 'REDIS'
  | 'UDP'
  | 'UNSUPPORTED';

/** How a sidecar treats a port: L7 HTTP, TLS passthrough (SNI), opaque TCP, or auto-detected. */
export type PortClass = 'http' | 'tls' | 'tcp' | 'auto' | 'udp';

const KNOWN: Record<string, Protocol> = {
  http: 'HTTP',
  http_proxy: 'HTTP',
  http2: 'HTTP2',
  grpc: 'GRPC',
  'grpc-web': 'GRPC-WEB',
  https: 'HTTPS',
  tls: 'TLS',
  tcp: 'TCP',
  mongo: 'MONGO',
  mysql: 'MYSQL',
  redis: 'REDIS',
  udp: 'UDP',
};

/** Istio protocol.Parse: case-insensitive; anything unknown is UNSUPPORTED. */
export function parseProtocol(s: unknown): Protocol {
  // Schema-invalid designs reach the engine too (the editor shows the error): anything but a string is unsupported.
  if (typeof s !== 'string' || !s) return 'UNSUPPORTED';
  return KNOWN[s.toLowerCase()] ?? 'UNSUPPORTED';
}

/** Istio kube.ConvertProtocol for a Kubernetes Service port. */
export function kubePortProtocol(name: string | undefined, k8sProtocol: string | undefined, appProtocol: string | undefined): Protocol {
  if ((k8sProtocol ?? '').toUpperCase() === 'UDP') return 'UDP';
  let n = name ?? '';
  if (appProtocol) {
    n = appProtocol;
    if (n === 'kubernetes.io/h2c') return 'HTTP2';
    if (n === 'kubernetes.io/ws' || n === 'kubernetes.io/wss') return 'HTTP';
  }
  if (n.toLowerCase().startsWith('grpc-web')) return 'GRPC-WEB';
  const i = n.indexOf('-');
  if (i >= 0) n = n.slice(0, i);
  return parseProtocol(n);
}

export function portClass(p: Protocol): PortClass {
  switch (p) {
    case 'HTTP':
    case 'HTTP2':
    case 'GRPC':
    case 'GRPC-WEB':
      return 'http';
    case 'HTTPS':
    case 'TLS':
      return 'tls';
    case 'UNSUPPORTED':
      return 'auto';
    case 'UDP':
      return 'udp';
    default:
      // MONGO, MYSQL, REDIS (their filters are off by default) and TCP are opaque TCP to routing.
      return 'tcp';
  }
}

/** Gateway server protocols: plaintext HTTP, TLS-based (HTTPS/TLS), or TCP. Used for merge conflicts. */
export function serverClass(p: Protocol): 'http' | 'tls' | 'tcp' {
  const c = portClass(p);
  return c === 'http' ? 'http' : c === 'tls' ? 'tls' : 'tcp';
}
