/**
 * The analyzer runs after every keystroke on whatever the text holds: any value in any field must give messages,
 * never an exception. Bookinfo (plus a few kinds it lacks) with random fields replaced by random JSON values.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildModel } from '../model/model';
import type { Resource } from '../model/resource';
import { analyze } from './analyze';
import { BOOKINFO, designOf } from './fixtures/testutil';

const EXTRA = `
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: ext}
spec: {hosts: [api.example.com, "*.example.org"], ports: [{number: 443, name: tls, protocol: TLS}], endpoints: [{address: 1.2.3.4, labels: {v: a}}], resolution: STATIC}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: ratings}
spec: {selector: {matchLabels: {app: ratings}}, mtls: {mode: STRICT}, portLevelMtls: {"9080": {mode: DISABLE}}}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: tcp}
spec:
  hosts: [api.example.com]
  gateways: [mesh, bookinfo-gateway]
  tls: [{match: [{sniHosts: [api.example.com], port: 443, gateways: [mesh]}], route: [{destination: {host: api.example.com, port: {number: 443}}, weight: 10}]}]
  tcp: [{match: [{destinationSubnets: [10.0.0.0/8], sourceLabels: {app: x}}], route: [{destination: {host: ratings}}]}]
  http:
  - match: [{uri: {regex: "/a.*"}, headers: {x: {prefix: a}}, withoutHeaders: {y: {}}, queryParams: {q: {exact: "1"}}, ignoreUriCase: true}]
    delegate: {name: reviews}
    corsPolicy: {allowOrigins: [{regex: ".*"}]}
    rewrite: {uriRegexRewrite: {match: "^/a(.*)", rewrite: "/\\\\1"}}
    mirror: {host: reviews, subset: v1}
    mirrors: [{destination: {host: ratings}}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: tls}
spec:
  host: ratings
  trafficPolicy: {tls: {mode: DISABLE}, portLevelSettings: [{port: {number: 9080}, tls: {mode: ISTIO_MUTUAL}}]}
  subsets: [{name: v1, labels: {version: v1}, trafficPolicy: {tls: {mode: DISABLE}}}]`;

const base = designOf([BOOKINFO, EXTRA]).resources;

/** Every path of a JSON tree (objects and arrays), root excluded. */
function paths(v: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (Array.isArray(v)) v.forEach((x, i) => { out.push([...at, i]); paths(x, [...at, i], out); });
  else if (v && typeof v === 'object') for (const k of Object.keys(v)) { out.push([...at, k]); paths((v as Record<string, unknown>)[k], [...at, k], out); }
  return out;
}

function setAt(root: Record<string, unknown>, path: (string | number)[], value: unknown): void {
  let o = root as Record<string | number, unknown>;
  for (let i = 0; i < path.length - 1; i++) o = o[path[i]] as Record<string | number, unknown>;
  o[path[path.length - 1]] = value;
}

const mutation = fc.record({ resource: fc.nat(), path: fc.nat(), value: fc.jsonValue({ maxDepth: 2 }) });

describe('analyze on arbitrary field values', () => {
  it('never throws', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (ms) => {
        const resources: Resource[] = base.map((r) => ({ ...r, spec: structuredClone(r.spec) as Resource['spec'], metadata: structuredClone(r.metadata) }));
        for (const m of ms) {
          const r = resources[m.resource % resources.length];
          const holder = { spec: r.spec, metadata: r.metadata } as Record<string, unknown>;
          const all = paths(holder);
          setAt(holder, all[m.path % all.length], m.value);
          r.spec = holder.spec as Resource['spec'];
          r.metadata = (holder.metadata && typeof holder.metadata === 'object' ? holder.metadata : { name: r.name }) as Resource['metadata'];
        }
        const out = analyze(buildModel(resources));
        expect(Array.isArray(out)).toBe(true);
      }),
      { numRuns: 400, seed: 11 },
    );
  });
});
