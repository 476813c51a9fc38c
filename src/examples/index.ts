/**
 * The examples gallery: one small design per concept of the Istio networking primer, the primer in one design, and
 * the full Bookinfo mesh. Each says in two lines what it shows and suggests a request to send. Pure data.
 */
import type { RequestInput, SourceInput } from '../engine/types';
import bookinfo from './bookinfo.yaml?raw';
import canary from './canary.yaml?raw';
import circuitBreaking from './circuit-breaking.yaml?raw';
import egressTls from './egress-tls.yaml?raw';
import faultInjection from './fault-injection.yaml?raw';
import ingress from './ingress.yaml?raw';
import loadBalancing from './load-balancing.yaml?raw';
import primer from './primer.yaml?raw';
import subsetsMtls from './subsets-mtls.yaml?raw';
import uriRouting from './uri-routing.yaml?raw';

export interface SuggestedRequest {
  source: SourceInput;
  method: string;
  host: string;
  path: string;
  headers?: Record<string, string>;
}

/** Where the suggested request must end up (checked by the tests through the engine). */
export interface ExpectedOutcome {
  /** The workload that answers; one of several for a weighted split. */
  workloads?: string[];
  /** An external destination `host:port`, for traffic leaving the mesh. */
  external?: string;
  status: number;
  delayMs?: number;
}

export interface Example {
  id: string;
  title: string;
  /** Which primer concept it shows. */
  concept: string;
  /** Two short lines. */
  explanation: [string, string];
  text: string;
  request: SuggestedRequest;
  expect: ExpectedOutcome;
}

export const EXAMPLES: readonly Example[] = [
  {
    id: 'primer',
    title: 'The primer in one design',
    concept: 'Everything together',
    explanation: ['An ingress gateway, URI routes, a 90/10 canary, faults, mTLS subsets and an egress gateway.', 'Send the request as user jason: the first rule pins him to v2.'],
    text: primer,
    request: { source: { gateway: 'istio-system/istio-ingressgateway' }, method: 'GET', host: 'shop.example.com', path: '/', headers: { 'end-user': 'jason' } },
    expect: { workloads: ['my-service-v2'], status: 200 },
  },
  {
    id: 'ingress',
    title: 'Ingress gateway',
    concept: 'Ingress controller',
    explanation: ['A Gateway opens port 80 for shop.example.com on the ingress gateway.', 'The VirtualService bound to it sends that traffic to the web Service.'],
    text: ingress,
    request: { source: { gateway: 'istio-system/istio-ingressgateway' }, method: 'GET', host: 'shop.example.com', path: '/' },
    expect: { workloads: ['web-v1'], status: 200 },
  },
  {
    id: 'egress-tls',
    title: 'Egress gateway with TLS origination',
    concept: 'Egress controller',
    explanation: ['Calls to the external payment gateway leave the mesh through the egress gateway.', 'The app speaks plain HTTP; the gateway originates TLS to port 443.'],
    text: egressTls,
    request: { source: { workload: 'checkout', namespace: 'default' }, method: 'POST', host: 'api.payments.example', path: '/v1/charges' },
    expect: { external: 'api.payments.example:443', status: 200 },
  },
  {
    id: 'uri-routing',
    title: 'URI routing /v1 and /v2',
    concept: 'VirtualService routing',
    explanation: ['Rules are tried in order: /v1 goes to subset v1, /v2 to subset v2.', 'Any other path falls through to the last rule.'],
    text: uriRouting,
    request: { source: { workload: 'client', namespace: 'default' }, method: 'GET', host: 'my-service', path: '/v2' },
    expect: { workloads: ['my-service-v2'], status: 200 },
  },
  {
    id: 'canary',
    title: 'Canary 90/10',
    concept: 'Traffic splitting',
    explanation: ['90 % of requests go to v1 and 10 % to the new v2.', 'Send the request a few times, then shift the weights to roll v2 out.'],
    text: canary,
    request: { source: { workload: 'client', namespace: 'default' }, method: 'GET', host: 'my-service', path: '/' },
    expect: { workloads: ['my-service-v1', 'my-service-v2'], status: 200 },
  },
  {
    id: 'fault-injection',
    title: 'Fault injection: delay and abort',
    concept: 'Fault injection',
    explanation: ['Requests from user jason to ratings are delayed by 7 s.', 'Requests from user tester are aborted with HTTP 500.'],
    text: faultInjection,
    request: { source: { workload: 'reviews-v1', namespace: 'default' }, method: 'GET', host: 'ratings:9080', path: '/ratings/0', headers: { 'end-user': 'jason' } },
    expect: { workloads: ['ratings-v1'], status: 200, delayMs: 7000 },
  },
  {
    id: 'subsets-mtls',
    title: 'Subsets with Istio mutual TLS',
    concept: 'DestinationRule subsets',
    explanation: ['Subsets v1 and v2 select pods by their version label.', 'ISTIO_MUTUAL makes every connection to my-service use mesh certificates.'],
    text: subsetsMtls,
    request: { source: { workload: 'client', namespace: 'default' }, method: 'GET', host: 'my-service', path: '/', headers: { 'end-user': 'jason' } },
    expect: { workloads: ['my-service-v2'], status: 200 },
  },
  {
    id: 'load-balancing',
    title: 'Load balancing',
    concept: 'DestinationRule load balancing',
    explanation: ['Requests go to the catalog pod with the fewest active requests.', 'Signed-in users (x-user header) stick to one pod by consistent hashing.'],
    text: loadBalancing,
    request: { source: { workload: 'frontend', namespace: 'default' }, method: 'GET', host: 'catalog', path: '/items', headers: { 'x-user': 'ana' } },
    expect: { workloads: ['catalog-v1'], status: 200 },
  },
  {
    id: 'circuit-breaking',
    title: 'Connection pool and circuit breaking',
    concept: 'DestinationRule circuit breaker',
    explanation: ['One connection and one queued request at a time: extra requests fail fast with 503.', 'A pod that answers 5xx is ejected from the pool for 3 minutes.'],
    text: circuitBreaking,
    request: { source: { workload: 'fortio', namespace: 'default' }, method: 'GET', host: 'httpbin:8000', path: '/get' },
    expect: { workloads: ['httpbin'], status: 200 },
  },
  {
    id: 'bookinfo',
    title: 'Bookinfo',
    concept: 'A whole mesh',
    explanation: ["Istio's sample app: productpage calls details and reviews, which calls ratings.", 'The gateway serves /productpage; user jason sees reviews v2, everyone else v1.'],
    text: bookinfo,
    request: { source: { gateway: 'istio-system/istio-ingressgateway' }, method: 'GET', host: 'bookinfo.example', path: '/productpage' },
    expect: { workloads: ['productpage-v1'], status: 200 },
  },
];

export const exampleById = (id: string): Example | undefined => EXAMPLES.find((e) => e.id === id);

/** The suggested request as the engine's input. */
export function requestInput(r: SuggestedRequest): RequestInput {
  return { source: r.source, request: { protocol: 'http', method: r.method, authority: r.host, path: r.path, headers: r.headers ?? {} } };
}

/** One line: `GET shop.example.com/ from the internet, end-user: jason`. */
export function describeRequest(r: SuggestedRequest): string {
  const from = r.source.gateway ? 'from the internet' : `from ${r.source.workload}`;
  const headers = Object.entries(r.headers ?? {}).map(([k, v]) => `${k}: ${v}`);
  return [`${r.method} ${r.host}${r.path} ${from}`, ...headers].join(', ');
}
