import { describe, expect, it } from 'vitest';
import { bookinfo, explained, fixture, get, meshOf, meshWith } from './fixtures/testutil';
import { trace } from './trace';

const pa = (mode: string, ns = 'default', extra = '') => `
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: pa-${ns}${extra ? '-w' : ''}, namespace: ${ns}}
spec:
${extra}  mtls: {mode: ${mode}}`;
const drTls = (mode: string) => `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: ratings-tls}
spec:
  host: ratings
  trafficPolicy: {tls: {mode: ${mode}}}`;
/** A client without sidecar in namespace legacy. */
const legacy = `
apiVersion: v1
kind: Namespace
metadata: {name: legacy}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: sleep, namespace: legacy}
spec:
  template:
    metadata: {labels: {app: sleep}}`;
const noSidecarRatings = fixture('bookinfo.yaml').replace(/app: ratings\n        version: v1\n    spec:/, 'app: ratings\n        version: v1\n      annotations: {sidecar.istio.io/inject: "false"}\n    spec:');

describe('sidecar injection', () => {
  it('sidecar defaults from the namespace injection label', () => {
    const t = get(bookinfo(legacy), 'sleep', 'ratings.default:9080');
    expect(explained(t)).toMatch(/without sidecar \(namespace legacy has no injection label\)/);
    expect(t.hops[0].proxy).toBe('inbound ratings-v1.default');
  });

  it('"sidecar" in the request overrides the default', () => {
    const c = bookinfo();
    const t = trace(c, { source: { workload: 'productpage-v1', sidecar: false }, request: { authority: 'ratings:9080' } });
    expect(t.hops[0].proxy).toBe('inbound ratings-v1.default');
    expect(explained(t)).toMatch(/"sidecar": false in the request/);
    expect(get(c, 'productpage-v1', 'ratings:9080').hops[0].proxy).toBe('sidecar productpage-v1.default');
  });
});

describe('PeerAuthentication × clients', () => {
  it('sidecar client with auto mTLS → STRICT server: OK over Istio mTLS', () => {
    const t = get(bookinfo(pa('STRICT')), 'productpage-v1', 'ratings:9080');
    expect(t.status).toBe(200);
    expect(t.hops[0].upstreamTls).toBe('Istio mTLS');
  });

  it('client without sidecar → STRICT server: connection reset, no HTTP response', () => {
    const t = get(bookinfo(legacy, pa('STRICT')), 'sleep', 'ratings.default:9080');
    expect([t.status, t.outcome]).toEqual([null, 'connection_reset']);
  });

  it('client without sidecar → PERMISSIVE server: plaintext accepted', () => {
    expect(get(bookinfo(legacy, pa('PERMISSIVE')), 'sleep', 'ratings.default:9080').status).toBe(200);
  });

  it('sidecar client → server without sidecar: auto mTLS sends plaintext', () => {
    const t = get(meshOf(noSidecarRatings), 'productpage-v1', 'ratings:9080');
    expect([t.status, t.hops[0].upstreamTls]).toEqual([200, 'plaintext']);
  });

  it('DestinationRule tls DISABLE → STRICT server: 503 UC (reset before headers)', () => {
    const t = get(bookinfo(pa('STRICT'), drTls('DISABLE')), 'productpage-v1', 'ratings:9080');
    expect([t.status, t.flags]).toEqual([503, ['UC']]);
  });

  it('DestinationRule ISTIO_MUTUAL → server without sidecar: TLS handshake fails, 503 UF retried (URX)', () => {
    const t = get(meshOf(noSidecarRatings, drTls('ISTIO_MUTUAL')), 'productpage-v1', 'ratings:9080');
    expect([t.status, t.flags, t.upstreamAttempts]).toEqual([503, ['UF', 'URX'], 3]);
  });

  it('namespace-level DISABLE: auto mTLS infers it and sends plaintext', () => {
    const t = get(bookinfo(pa('DISABLE')), 'productpage-v1', 'ratings:9080');
    expect([t.status, t.hops[0].upstreamTls]).toEqual([200, 'plaintext']);
  });

  it('workload-level DISABLE is unknown to clients: auto mTLS still sends mTLS and fails', () => {
    const t = get(bookinfo(pa('DISABLE', 'default', '  selector: {matchLabels: {app: ratings}}\n')), 'productpage-v1', 'ratings:9080');
    expect(t.status).toBe(503);
    expect(t.flags).toContain('UF');
  });

  it('…which a DestinationRule tls DISABLE fixes', () => {
    const t = get(bookinfo(pa('DISABLE', 'default', '  selector: {matchLabels: {app: ratings}}\n'), drTls('DISABLE')), 'productpage-v1', 'ratings:9080');
    expect(t.status).toBe(200);
  });

  it('workload policy beats namespace policy beats mesh policy', () => {
    const mesh = pa('STRICT', 'istio-system');
    expect(get(bookinfo(legacy, mesh), 'sleep', 'ratings.default:9080').outcome).toBe('connection_reset');
    expect(get(bookinfo(legacy, mesh, pa('PERMISSIVE')), 'sleep', 'ratings.default:9080').status).toBe(200);
    const wl = pa('STRICT', 'default', '  selector: {matchLabels: {app: ratings}}\n');
    expect(get(bookinfo(legacy, pa('PERMISSIVE'), wl), 'sleep', 'ratings.default:9080').outcome).toBe('connection_reset');
  });

  it('portLevelMtls overrides the mode for a workload (container) port', () => {
    const wl = pa('STRICT', 'default', '  selector: {matchLabels: {app: ratings}}\n  portLevelMtls: {"9080": {mode: PERMISSIVE}}\n');
    expect(get(bookinfo(legacy, wl), 'sleep', 'ratings.default:9080').status).toBe(200);
  });

  it('a selector policy in the root namespace is ignored', () => {
    const rootSel = pa('STRICT', 'istio-system', '  selector: {matchLabels: {app: ratings}}\n');
    expect(get(bookinfo(legacy, rootSel), 'sleep', 'ratings.default:9080').status).toBe(200);
  });

  it('UNSET inherits from the next level', () => {
    const wl = pa('UNSET', 'default', '  selector: {matchLabels: {app: ratings}}\n');
    expect(get(bookinfo(legacy, pa('STRICT'), wl), 'sleep', 'ratings.default:9080').outcome).toBe('connection_reset');
  });

  it('enableAutoMtls false without a DestinationRule: plaintext, which STRICT rejects', () => {
    const t = get(meshWith({ enableAutoMtls: false }, fixture('bookinfo.yaml'), pa('STRICT')), 'productpage-v1', 'ratings:9080');
    expect([t.status, t.flags]).toEqual([503, ['UC']]);
  });
});
