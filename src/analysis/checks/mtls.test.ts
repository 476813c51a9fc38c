/**
 * MC105 / MC106: client TLS against server PeerAuthentication, as the istio.io authentication-policy task and its
 * "503 errors after setting destination rule" troubleshooting entry describe; each next to the design that works.
 */
import { describe, expect, it } from 'vitest';
import { bookinfo, bookinfoWith, summary } from '../fixtures/testutil';

const pa = (name: string, mode: string, selector = '', extra = '') => `
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: ${name}}
spec:
  ${selector ? `selector: {matchLabels: ${selector}}` : ''}
  mtls: {mode: ${mode}}
  ${extra}`;
const ratingsDr = (policy: string, subsets = '[{name: v1, labels: {version: v1}}]') => ({
  'DestinationRule/ratings': `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: ratings}
spec: {host: ratings, trafficPolicy: ${policy}, subsets: ${subsets}}`,
});

describe('MC105 STRICT PeerAuthentication with a DestinationRule that disables TLS', () => {
  it('reports tls.mode DISABLE towards STRICT pods', () => {
    const ms = bookinfoWith(ratingsDr('{tls: {mode: DISABLE}}'), pa('default', 'STRICT'));
    expect(summary(ms)).toEqual(['Error MC105 DestinationRule default/ratings ["spec","trafficPolicy","tls","mode"]']);
    expect(ms[0].message).toBe('tls.mode DISABLE makes sidecar clients send plaintext to ratings.default.svc.cluster.local (port 9080), but PeerAuthentication default/default requires mTLS (STRICT) on default/ratings-v1: the server resets those connections and callers get 503.');
    expect(ms[0].related).toEqual(['PeerAuthentication/default/default']);
  });

  it('is quiet with PERMISSIVE, or with ISTIO_MUTUAL', () => {
    expect(bookinfoWith(ratingsDr('{tls: {mode: DISABLE}}'), pa('default', 'PERMISSIVE'))).toEqual([]);
    expect(bookinfoWith(ratingsDr('{tls: {mode: ISTIO_MUTUAL}}'), pa('default', 'STRICT'))).toEqual([]);
  });

  it('follows port-level and workload-level precedence', () => {
    const portLevel = bookinfoWith(ratingsDr('{portLevelSettings: [{port: {number: 9080}, tls: {mode: DISABLE}}]}'), pa('default', 'STRICT'));
    expect(summary(portLevel)).toEqual(['Error MC105 DestinationRule default/ratings ["spec","trafficPolicy","portLevelSettings",0,"tls","mode"]']);
    // The workload policy of ratings overrides the namespace's STRICT.
    expect(bookinfoWith(ratingsDr('{tls: {mode: DISABLE}}'), pa('default', 'STRICT'), pa('ratings', 'PERMISSIVE', '{app: ratings}'))).toEqual([]);
  });
});

describe('MC106 mTLS disabled on a workload while clients still send it', () => {
  it('reports a workload-level DISABLE without a DestinationRule (auto mTLS does not know it)', () => {
    const ms = bookinfo(pa('ratings', 'DISABLE', '{app: ratings}'));
    expect(summary(ms)).toEqual(['Error MC106 PeerAuthentication default/ratings ["spec","mtls","mode"]']);
    expect(ms[0].message).toContain('add a DestinationRule for ratings with trafficPolicy.tls.mode DISABLE');
  });

  it('is quiet with the DestinationRule the istio.io task adds, or with a namespace-level DISABLE', () => {
    expect(bookinfoWith(ratingsDr('{tls: {mode: DISABLE}}'), pa('ratings', 'DISABLE', '{app: ratings}'))).toEqual([]);
    expect(bookinfo(pa('default', 'DISABLE'))).toEqual([]);
  });

  it('reports a DestinationRule that insists on ISTIO_MUTUAL towards DISABLE pods', () => {
    const ms = bookinfoWith(ratingsDr('{tls: {mode: ISTIO_MUTUAL}}'), pa('default', 'DISABLE'));
    expect(summary(ms)).toEqual(['Error MC106 PeerAuthentication default/default ["spec","mtls","mode"]']);
    expect(ms[0].message).toContain('DestinationRule default/ratings sets tls.mode ISTIO_MUTUAL');
  });

  it('port-level DISABLE needs a port-level DestinationRule', () => {
    const portPa = pa('ratings', 'STRICT', '{app: ratings}', 'portLevelMtls: {"9080": {mode: DISABLE}}');
    expect(summary(bookinfo(portPa))).toEqual(['Error MC106 PeerAuthentication default/ratings ["spec","portLevelMtls","9080","mode"]']);
    expect(bookinfoWith(ratingsDr('{portLevelSettings: [{port: {number: 9080}, tls: {mode: DISABLE}}]}'), portPa)).toEqual([]);
  });
});
