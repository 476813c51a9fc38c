import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDesign, type ParseResult } from './parse';
import type { FieldPath, ResourceKey } from './resource';
import { findSpan, lineCol } from './sourcemap';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const key = (k: string) => k as ResourceKey;

/** The source text of a field, and where it starts (1-based line/column). */
function field(r: ParseResult, text: string, k: string, path: FieldPath) {
  const hit = findSpan(r.sourceMap, key(k), path);
  if (!hit || hit.path.length !== path.length) throw new Error(`no span for ${k} ${path.join('.')}`);
  return { text: text.slice(hit.span.from, hit.span.to), ...lineCol(r.lineStarts, hit.span.from), keyText: text.slice(hit.span.keyFrom, hit.span.from) };
}

/** Diagnostics reduced to what a user sees: code, message, where, and the text it underlines. */
const diags = (r: ParseResult, text: string) =>
  r.diagnostics.map((d) => ({ severity: d.severity, code: d.code, message: d.message, line: d.range.line, column: d.range.column, text: text.slice(d.range.from, d.range.to) }));

describe('parseDesign: every kind the model understands', () => {
  const text = fixture('all-kinds.yaml');
  const r = parseDesign(text);
  const get = (k: string) => r.model.byKey.get(key(k))!;

  it('reads all twelve objects with their keys, in order, without diagnostics', () => {
    expect(r.diagnostics).toEqual([]);
    expect(r.model.resources.map((x) => x.key)).toEqual([
      'Namespace//shop',
      'Service/shop/web',
      'Deployment/shop/web-v1',
      'Pod/shop/debug',
      'Gateway/shop/web-gateway',
      'VirtualService/shop/web',
      'DestinationRule/shop/web',
      'ServiceEntry/shop/geo-api',
      'Sidecar/shop/default',
      'PeerAuthentication/istio-system/default',
      'PeerAuthentication/shop/web-permissive',
      'ConfigMap/istio-system/istio',
    ]);
    expect(r.model.resources.every((x) => x.known)).toBe(true);
    expect(r.model.resources.map((x) => x.doc)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(r.documents).toHaveLength(12);
  });

  it('Namespace: cluster-scoped (empty namespace), labels kept', () => {
    const ns = r.model.ofKind('Namespace')[0];
    expect(ns.namespace).toBe('');
    expect(ns.name).toBe('shop');
    expect(ns.metadata.labels).toEqual({ 'istio-injection': 'enabled' });
    expect(ns.spec).toEqual({});
  });

  it('Service: ports with names and appProtocol, selector', () => {
    const svc = r.model.ofKind('Service')[0];
    expect(svc.spec.selector).toEqual({ app: 'web' });
    expect(svc.spec.ports).toEqual([
      { name: 'http-web', port: 80, targetPort: 8080 },
      { name: 'metrics', port: 9090, appProtocol: 'http' },
    ]);
  });

  it('Deployment and Pod: replicas and pod labels', () => {
    const d = r.model.ofKind('Deployment')[0];
    expect(d.spec.replicas).toBe(3);
    expect(d.spec.template.metadata?.labels).toEqual({ app: 'web', version: 'v1' });
    const pod = r.model.ofKind('Pod')[0];
    expect(pod.metadata.labels).toEqual({ app: 'debug' });
    expect(pod.spec.containers.map((c) => c.image)).toEqual(['busybox:1.36']);
  });

  it('Istio networking kinds in v1, v1beta1 and v1alpha3 are all known under their plain kind', () => {
    expect(get('VirtualService/shop/web').apiVersion).toBe('networking.istio.io/v1beta1');
    expect(get('DestinationRule/shop/web').apiVersion).toBe('networking.istio.io/v1alpha3');
    expect(r.model.ofKind('VirtualService')[0].spec.http?.[0].route?.[0]).toEqual({ destination: { host: 'web', subset: 'v1' }, weight: 100 });
    expect(r.model.ofKind('DestinationRule')[0].spec).toEqual({ host: 'web', trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } }, subsets: [{ name: 'v1', labels: { version: 'v1' } }] });
    expect(r.model.ofKind('Gateway')[0].spec.servers?.[0].tls).toEqual({ mode: 'SIMPLE', credentialName: 'web-cert' });
    expect(r.model.ofKind('ServiceEntry')[0].spec).toEqual({
      hosts: ['api.geo.example'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], resolution: 'DNS', location: 'MESH_EXTERNAL',
    });
    expect(r.model.ofKind('Sidecar')[0].spec).toEqual({ egress: [{ hosts: ['./*', 'istio-system/*'] }], outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } });
  });

  it('PeerAuthentication in security v1 and v1beta1', () => {
    expect(r.model.ofKind('PeerAuthentication').map((p) => [p.key, p.apiVersion, p.spec.mtls?.mode])).toEqual([
      ['PeerAuthentication/istio-system/default', 'security.istio.io/v1', 'STRICT'],
      ['PeerAuthentication/shop/web-permissive', 'security.istio.io/v1beta1', 'PERMISSIVE'],
    ]);
  });

  it('ConfigMap istio-system/istio: spec is `data`, the mesh config text verbatim', () => {
    const cm = get('ConfigMap/istio-system/istio');
    expect(cm.spec).toEqual({ mesh: 'accessLogFile: /dev/stdout\noutboundTrafficPolicy:\n  mode: ALLOW_ANY', meshNetworks: 'networks: {}' });
    expect(field(r, text, cm.key, ['data', 'mesh'])).toMatchObject({ line: 158, column: 9 });
  });

  it('the same VirtualService in v1, v1beta1 and v1alpha3 parses alike', () => {
    const vs = (v: string) => `apiVersion: networking.istio.io/${v}\nkind: VirtualService\nmetadata: {name: r}\nspec:\n  hosts: [r]\n  http:\n  - route:\n    - destination: {host: r}\n    timeout: 1s\n`;
    const parsed = ['v1', 'v1beta1', 'v1alpha3'].map((v) => parseDesign(vs(v)));
    for (const p of parsed) {
      expect(p.diagnostics).toEqual([]);
      expect(p.model.resources.map((x) => [x.key, x.known])).toEqual([['VirtualService/default/r', true]]);
      expect(p.model.resources[0].spec).toEqual({ hosts: ['r'], http: [{ route: [{ destination: { host: 'r' } }], timeout: '1s' }] });
    }
  });
});

describe('parseDesign: streams, lists and dumps', () => {
  it('multi-document YAML: a range per document, `---` included', () => {
    const text = '# leading comment\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n--- # third\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}';
    const r = parseDesign(text);
    expect(r.diagnostics).toEqual([]);
    expect(r.documents.map((d) => text.slice(d.from, d.to))).toEqual([
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n', // a comment before the first document belongs to the stream
      '---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n',
      '--- # third\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}',
    ]);
    expect(r.model.resources.map((x) => `${x.key}@${x.doc}`)).toEqual(['ConfigMap/default/a@0', 'ConfigMap/default/b@1', 'ConfigMap/default/c@2']);
    expect(r.lineStarts).toEqual([0, 18, 33, 49, 69, 73, 88, 104, 124, 136, 151, 167]);
  });

  it('`kind: List`: every item is a resource with base [items, i]; spans are relative to the item', () => {
    const text = 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: a, namespace: x}\n- apiVersion: apps/v1\n  kind: Deployment\n  metadata:\n    name: a\n  spec:\n    replicas: 4\n';
    const r = parseDesign(text, { validate: false });
    expect(r.diagnostics).toEqual([]);
    expect(r.model.resources.map((x) => [x.key, x.doc, x.base])).toEqual([
      ['Service/x/a', 0, ['items', 0]],
      ['Deployment/default/a', 0, ['items', 1]],
    ]);
    expect(field(r, text, 'Deployment/default/a', ['spec', 'replicas'])).toEqual({ text: '4', line: 12, column: 15, keyText: 'replicas: ' });
    expect(field(r, text, 'Service/x/a', ['metadata', 'namespace'])).toEqual({ text: 'x', line: 6, column: 34, keyText: 'namespace: ' });
    expect(field(r, text, 'Service/x/a', [])).toMatchObject({ text: 'apiVersion: v1\n  kind: Service\n  metadata: {name: a, namespace: x}\n', line: 4, column: 3 });
  });

  describe('a `kubectl get -o yaml` dump', () => {
    const text = fixture('kubectl-dump.yaml');
    const r = parseDesign(text);

    it('keeps every item, known and unknown, with server-side fields untouched', () => {
      expect(r.diagnostics).toEqual([]);
      expect(r.model.resources.map((x) => [x.key, x.known, x.base])).toEqual([
        ['Service/bookinfo/reviews', true, ['items', 0]],
        ['Deployment/bookinfo/reviews-v2', true, ['items', 1]],
        ['VirtualService/bookinfo/reviews', true, ['items', 2]],
        ['AuthorizationPolicy/bookinfo/reviews-viewer', false, ['items', 3]],
      ]);
      const svc = r.model.ofKind('Service')[0];
      expect(svc.metadata.resourceVersion).toBe('48213');
      expect(svc.object.status).toEqual({ loadBalancer: {} });
      expect(svc.spec.clusterIP).toBe('10.96.141.27');
      expect((svc.metadata.managedFields as { manager: string }[])[0].manager).toBe('kubectl-client-side-apply');
      const dep = r.model.ofKind('Deployment')[0];
      expect(dep.spec.replicas).toBe(2);
      expect(dep.spec.template.metadata?.creationTimestamp).toBeNull();
      expect((dep.object.status as { readyReplicas: number }).readyReplicas).toBe(2);
      expect(r.model.ofKind('VirtualService')[0].spec.http?.[0].match?.[0].headers).toEqual({ 'end-user': { exact: 'jason' } });
    });

    it('maps fields of List items, including kubectl field-manager keys', () => {
      expect(field(r, text, 'Service/bookinfo/reviews', ['metadata', 'resourceVersion'])).toEqual({ text: '"48213"', line: 43, column: 22, keyText: 'resourceVersion: ' });
      const fields = ['metadata', 'managedFields', 0, 'fieldsV1', 'f:spec', 'f:ports', 'k:{"port":9080,"protocol":"TCP"}'];
      expect(field(r, text, 'Service/bookinfo/reviews', [...fields, 'f:targetPort'])).toMatchObject({ text: '{}', line: 34 });
      expect(field(r, text, 'Service/bookinfo/reviews', fields)).toMatchObject({ line: 30, column: 15, keyText: 'k:{"port":9080,"protocol":"TCP"}:\n              ' });
      expect(field(r, text, 'Service/bookinfo/reviews', ['metadata', 'managedFields', 0, 'fieldsV1', 'f:metadata', 'f:annotations', 'f:kubectl.kubernetes.io/last-applied-configuration'])).toMatchObject({ text: '{}', line: 20, column: 65 });
      expect(field(r, text, 'Deployment/bookinfo/reviews-v2', ['status', 'replicas'])).toEqual({ text: '2', line: 129, column: 15, keyText: 'replicas: ' });
      expect(field(r, text, 'AuthorizationPolicy/bookinfo/reviews-viewer', ['spec', 'action'])).toMatchObject({ text: 'ALLOW', line: 166 });
    });
  });

  it('objects without a namespace go to `default`; metadata is left as written', () => {
    const r = parseDesign('apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: b\n  namespace: ""\n');
    expect(r.model.resources.map((x) => [x.key, x.namespace])).toEqual([['Service/default/a', 'default'], ['Service/default/b', 'default']]);
    expect(r.model.resources[0].metadata).toEqual({ name: 'a' });
  });

  it('unknown kinds are kept with known=false and stay out of ofKind()', () => {
    const text = [
      'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: deny-all, namespace: shop}\nspec: {}',
      'apiVersion: example.com/v1alpha1\nkind: Widget\nmetadata: {name: w}\nspec: {size: 3}',
      'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: web}\nspec:\n  gatewayClassName: istio\n  listeners: [{name: http, port: 80, protocol: HTTP}]',
      'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: web}\nspec:\n  selector: {istio: ingressgateway}\n  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]',
      'apiVersion: v2\nkind: Service\nmetadata: {name: odd}',
    ].join('\n---\n');
    const r = parseDesign(text);
    expect(r.diagnostics).toEqual([]);
    expect(r.model.resources.map((x) => [x.key, x.known])).toEqual([
      ['AuthorizationPolicy/shop/deny-all', false],
      ['Widget/default/w', false],
      ['Gateway.gateway.networking.k8s.io/default/web', false],
      ['Gateway/default/web', true],
      ['Service.core/default/odd', false],
    ]);
    expect(r.model.ofKind('Gateway').map((g) => g.key)).toEqual(['Gateway/default/web']);
    expect(r.model.ofKind('Service')).toEqual([]);
    expect(r.model.byKey.get(key('Widget/default/w'))!.spec).toEqual({ size: 3 });
    expect(r.model.byKey.get(key('Gateway.gateway.networking.k8s.io/default/web'))!.spec).toMatchObject({ gatewayClassName: 'istio' });
    expect(r.sourceMap.has(key('Gateway.gateway.networking.k8s.io/default/web'))).toBe(true);
  });

  it('kinds named like Object.prototype members are unknown kinds, not a crash', () => {
    const text = ['constructor', 'toString', '__proto__'].map((k) => `apiVersion: v1\nkind: ${k}\nmetadata: {name: a}\nspec:\n  __proto__: {x: 1}`).join('\n---\n');
    const r = parseDesign(text);
    expect(r.diagnostics).toEqual([]);
    expect(r.model.resources.map((x) => [x.key, x.known])).toEqual([['constructor/default/a', false], ['toString/default/a', false], ['__proto__/default/a', false]]);
    expect(Object.keys(r.model.resources[0].spec)).toEqual(['__proto__']);
  });

  it('a resource defined twice: a warning on the second, which replaces the first', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {v: "1"}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {v: "2"}\n';
    const r = parseDesign(text);
    expect(diags(r, text)).toEqual([{
      severity: 'warning', code: 'MC0003', line: 6, column: 1,
      message: 'ConfigMap default/a is defined again; this later definition replaces the earlier one (as kubectl apply would).',
      text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {v: "2"}\n',
    }]);
    expect(r.diagnostics[0].resource).toBe('ConfigMap/default/a');
    expect(r.model.resources).toHaveLength(1);
    expect(r.model.resources[0].spec).toEqual({ v: '2' });
    expect(r.model.resources[0].doc).toBe(1);
    expect(field(r, text, 'ConfigMap/default/a', ['data', 'v']).text).toBe('"2"');
  });

  it('the same name in two namespaces, or as two kinds, is not a duplicate', () => {
    const r = parseDesign('apiVersion: v1\nkind: Service\nmetadata: {name: a, namespace: x}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: a, namespace: y}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: x}\n');
    expect(r.diagnostics).toEqual([]);
    expect(r.model.resources.map((x) => x.key)).toEqual(['Service/x/a', 'Service/y/a', 'ConfigMap/x/a']);
  });
});

describe('parseDesign: schema errors (IST0106) at the offending value', () => {
  it('`weight: abc`', () => {
    const text = 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination: {host: reviews, subset: v1}\n      weight: abc\n    - destination: {host: reviews, subset: v2}\n      weight: 10\n';
    const r = parseDesign(text);
    expect(diags(r, text)).toEqual([{ severity: 'error', code: 'IST0106', line: 10, column: 15, text: 'abc', message: 'Schema validation error: spec.http.0.route.0.weight must be integer' }]);
    expect(r.diagnostics[0]).toMatchObject({ source: 'schema', resource: 'VirtualService/default/reviews', path: ['spec', 'http', 0, 'route', 0, 'weight'], range: { endLine: 10, endColumn: 18 } });
    expect(r.model.resources).toHaveLength(1); // invalid resources stay in the model
  });

  it('an unknown enum value for a TLS mode', () => {
    const text = 'apiVersion: networking.istio.io/v1beta1\nkind: DestinationRule\nmetadata:\n  name: r\nspec:\n  host: r\n  trafficPolicy:\n    tls:\n      mode: ISTIO_MUTUALL\n';
    expect(diags(parseDesign(text), text)).toEqual([{
      severity: 'error', code: 'IST0106', line: 9, column: 13, text: 'ISTIO_MUTUALL',
      message: 'Schema validation error: spec.trafficPolicy.tls.mode must be one of "DISABLE", "SIMPLE", "MUTUAL", "ISTIO_MUTUAL"',
    }]);
  });

  it('a missing required field points at the object that lacks it', () => {
    const text = 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: r\nspec:\n  subsets:\n  - name: v1\n';
    expect(diags(parseDesign(text), text)).toEqual([{
      severity: 'error', code: 'IST0106', line: 6, column: 3, text: 'subsets:\n  - name: v1\n', message: 'Schema validation error: spec is missing required field "host"',
    }]);
  });

  it('several errors, in text order, in several kinds', () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  type: Foo\n  ports:\n  - name: http\n---\napiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: p}\nspec:\n  mtls: {mode: STRICTER}\n';
    expect(diags(parseDesign(text), text).map((d) => [d.line, d.column, d.text, d.message])).toEqual([
      [5, 9, 'Foo', 'Schema validation error: spec.type must be one of "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"'],
      [7, 5, 'name: http\n', 'Schema validation error: spec.ports.0 is missing required field "port"'],
      [13, 16, 'STRICTER', 'Schema validation error: spec.mtls.mode must be one of "UNSET", "DISABLE", "PERMISSIVE", "STRICT"'],
    ]);
  });

  it('keys with `/` and `~` are addressed correctly', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n    example.com/owner: 42\n    a~b: 7\n';
    const r = parseDesign(text);
    expect(diags(r, text).map((d) => [d.line, d.column, d.text])).toEqual([[6, 24, '42'], [7, 10, '7']]);
    expect(r.diagnostics.map((d) => d.path)).toEqual([['metadata', 'annotations', 'example.com/owner'], ['metadata', 'annotations', 'a~b']]);
  });

  it('validate: false skips schema validation only', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: d}\ndata:\n  n: 5\n---\napiVersion: v1\nkind: Service\n';
    expect(diags(parseDesign(text), text).map((d) => d.code)).toEqual(['IST0106', 'MC0002']);
    expect(diags(parseDesign(text, { validate: false }), text).map((d) => d.code)).toEqual(['MC0002']);
  });
});

describe('parseDesign: bad input never throws', () => {
  it('a billion-laughs alias bomb: one clear diagnostic, and the next document is still read', () => {
    const bomb = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]', ...'bcdefghi'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill('*' + 'abcdefghi'[i]).join(', ')}]`)].join('\n');
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lol}\n${bomb}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: fine}\n`;
    const r = parseDesign(text);
    expect(diags(r, text)).toEqual([{
      severity: 'error', code: 'YAML_ALIAS_COUNT', line: 1, column: 1, text: 'a',
      message: 'This document was not read: Excessive alias count indicates a resource exhaustion attack (more than 100 alias expansions).',
    }]);
    expect(r.model.resources.map((x) => x.key)).toEqual(['ConfigMap/default/fine']);
  });

  it('a few aliases are fine', () => {
    const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, labels: &l {app: d}}\nspec:\n  selector: {matchLabels: *l}\n  template:\n    metadata: {labels: *l}\n    spec: {containers: [{name: d, image: d}]}\n';
    const r = parseDesign(text);
    expect(r.diagnostics).toEqual([]);
    expect(r.model.ofKind('Deployment')[0].spec.template.metadata?.labels).toEqual({ app: 'd' });
  });

  it('an alias to an anchor that does not exist is reported at the alias', () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  ports:\n  - port: 80\n  - *missing\n';
    const r = parseDesign(text);
    expect(diags(r, text)).toEqual([{
      severity: 'error', code: 'YAML_BAD_ALIAS', line: 8, column: 5, text: '*missing',
      message: 'This document was not read: Unresolved alias (the anchor must be set before the alias): missing.',
    }]);
  });

  it('documents that are not mappings', () => {
    const text = 'just text\n---\n- a\n- b\n---\n*x\n---\n42\n';
    const r = parseDesign(text);
    expect(diags(r, text).map((d) => [d.code, d.line, d.column, d.text, d.message])).toEqual([
      ['MC0001', 1, 1, 'just text', 'This document is a scalar ("just text"), not a mapping: each document must be a Kubernetes object with apiVersion, kind and metadata.'],
      ['MC0001', 3, 1, '- a\n- b\n', 'This document is a list, not a mapping: each document must be a Kubernetes object with apiVersion, kind and metadata.'],
      ['MC0001', 6, 1, '*x', 'This document is an alias, not a mapping: each document must be a Kubernetes object with apiVersion, kind and metadata.'],
      ['MC0001', 8, 1, '42', 'This document is a scalar ("42"), not a mapping: each document must be a Kubernetes object with apiVersion, kind and metadata.'],
    ]);
    expect(r.model.resources).toEqual([]);
  });

  it('resources without kind, apiVersion or name: MC0002 on their first line', () => {
    const text = 'apiVersion: v1\nmetadata:\n  name: a\n---\nkind: Service\napiVersion: v1\nmetadata:\n  namespace: x\n---\nfoo: bar\n';
    expect(diags(parseDesign(text), text)).toEqual([
      { severity: 'error', code: 'MC0002', line: 1, column: 1, text: 'apiVersion: v1', message: 'This document has no kind: it is ignored until it has one.' },
      { severity: 'error', code: 'MC0002', line: 5, column: 1, text: 'kind: Service', message: 'This document has no metadata.name: it is ignored until it has one.' },
      { severity: 'error', code: 'MC0002', line: 10, column: 1, text: 'foo: bar', message: 'This document has no apiVersion, no kind, no metadata.name: it is ignored until it has them.' },
    ]);
  });

  it('bad List items', () => {
    const text = 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n- just a string\n- apiVersion: v1\n  metadata: {name: b}\n';
    const r = parseDesign(text);
    expect(diags(r, text)).toEqual([
      { severity: 'error', code: 'MC0001', line: 7, column: 3, text: 'just a string', message: 'List item 1 of this List is not a mapping.' },
      { severity: 'error', code: 'MC0002', line: 8, column: 3, text: 'apiVersion: v1', message: 'List item 2 of this List has no kind: it is ignored until it has one.' },
    ]);
    expect(r.model.resources.map((x) => x.key)).toEqual(['ConfigMap/default/a']);
  });

  it('a YAML syntax error: reported at its line, that document skipped, the others read', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b\ndata: {}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n';
    const r = parseDesign(text);
    expect(diags(r, text)).toEqual([
      { severity: 'error', code: 'YAML_BAD_INDENT', line: 8, column: 1, text: 'd', message: 'Flow map in block collection must be sufficiently indented and end with a }' },
    ]);
    expect(r.diagnostics[0].source).toBe('yaml');
    expect(r.model.resources.map((x) => x.key)).toEqual(['ConfigMap/default/a', 'ConfigMap/default/c']);
  });

  it('a bad indentation and a duplicate key, exactly', () => {
    const text = 'a: [\nb: 1\n---\napiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec:\n  ports:\n  - port: 80\n    port: 81\n';
    expect(diags(parseDesign(text), text)).toEqual([
      { severity: 'error', code: 'YAML_BAD_INDENT', line: 2, column: 1, text: 'b', message: 'Flow sequence in block collection must be sufficiently indented and end with a ]' },
      { severity: 'error', code: 'YAML_DUPLICATE_KEY', line: 10, column: 5, text: 'port', message: 'Map keys must be unique: "port" appears more than once.' },
    ]);
  });

  it('empty documents, a trailing `---`, empty and comment-only text', () => {
    const text = '---\n# nothing yet\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n';
    const r = parseDesign(text);
    expect(r.diagnostics).toEqual([]);
    expect(r.documents).toHaveLength(3);
    expect(r.model.resources.map((x) => `${x.key}@${x.doc}`)).toEqual(['ConfigMap/default/a@1']);
    for (const t of ['', '\n\n', '# just a comment\n', '---\n', '~\n']) {
      const e = parseDesign(t);
      expect(e.diagnostics).toEqual([]);
      expect(e.model.resources).toEqual([]);
    }
  });

  it('CRLF line endings: spans and lines are right', () => {
    const text = 'apiVersion: v1\r\nkind: Service\r\nmetadata:\r\n  name: web\r\nspec:\r\n  type: Nope\r\n';
    const r = parseDesign(text);
    expect(diags(r, text).map((d) => [d.line, d.column, d.text])).toEqual([[6, 9, 'Nope']]);
    expect(field(r, text, 'Service/default/web', ['metadata', 'name'])).toEqual({ text: 'web', line: 4, column: 9, keyText: 'name: ' });
  });

  it('a ~5 MB text parses', () => {
    const line = '    ' + 'x'.repeat(95) + '\n';
    const head = 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80}]}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: blob}\ndata:\n  blob: |\n';
    const text = head + line.repeat(50_000);
    expect(text.length).toBeGreaterThan(5_000_000);
    const r = parseDesign(text);
    expect(r.diagnostics).toEqual([]);
    expect(r.model.resources.map((x) => x.key)).toEqual(['Service/default/web', 'ConfigMap/default/blob']);
    expect((r.model.resources[1].spec as { blob: string }).blob).toHaveLength(50_000 * 96);
  });
});
