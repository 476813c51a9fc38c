import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDesign } from '../parse';
import { resourceKey as rk } from '../resource';
import { commandPatches, type Command, type RuleRef } from './commands';
import { runCommand } from './testkit';

const primer = readFileSync(new URL('../../examples/primer.yaml', import.meta.url), 'utf8');
const VS = rk('VirtualService', 'default', 'my-service');
const DR = rk('DestinationRule', 'default', 'my-service');
const SVC = rk('Service', 'default', 'my-service');
const rule = (index: number): RuleRef => ({ vs: VS, protocol: 'http', index });
const CANARY = rule(4);

describe('setWeights', () => {
  it('changes exactly the two numbers; the comment on the line above survives', () => {
    const text = primer.replace('      weight: 90\n', '      # most traffic stays on v1\n      weight: 90\n');
    const run = runCommand(text, { type: 'setWeights', rule: CANARY, weights: [80, 20] });
    expect(run.description).toBe('Set weights v1 80%, v2 20% in rule "canary" of VirtualService default/my-service');
    const at90 = text.indexOf('weight: 90') + 'weight: '.length;
    const at10 = text.indexOf('weight: 10') + 'weight: '.length;
    expect(run.edits).toEqual([
      { from: at90, to: at90 + 2, text: '80' },
      { from: at10, to: at10 + 2, text: '20' },
    ]);
    expect(run.text).toBe(text.replace('weight: 90', 'weight: 80').replace('weight: 10', 'weight: 20'));
    expect(run.text).toContain('      # most traffic stays on v1\n      weight: 80\n');
  });

  it('describes a single change as "weight of … to …" and refuses sums other than 100', () => {
    const three = primer.replace('      weight: 10\n', '      weight: 5\n    - destination:\n        host: my-service\n        subset: v1\n      weight: 5\n');
    expect(runCommand(three, { type: 'setWeights', rule: CANARY, weights: [90, 10, 0] }).description).toBe(
      'Set weights v2 10%, v1 0% in rule "canary" of VirtualService default/my-service',
    );
    const model = parseDesign(primer).model;
    expect(commandPatches(model, { type: 'setWeights', rule: CANARY, weights: [80, 30] })).toEqual({ ok: false, error: 'Weights must add up to 100 (these add up to 110).' });
    expect(commandPatches(model, { type: 'setWeights', rule: CANARY, weights: [100] }).ok).toBe(false);
  });

  it('sets the weight of a single destination in a three-way split', () => {
    const three = primer.replace('      weight: 10\n', '      weight: 5\n    - destination:\n        host: my-service\n        subset: v3\n      weight: 5\n');
    const run = runCommand(three, { type: 'setWeights', rule: CANARY, weights: [90, 0, 10] });
    expect(run.description).toBe('Set weights v2 0%, v3 10% in rule "canary" of VirtualService default/my-service');
    expect(run.changes).toEqual([['5', '0'], ['5', '10']]);
  });
});

describe('commands on the primer: exact edits', () => {
  const cases: [string, Command, string, [string, string][] | 'CANARY_MOVED' | 'RENAMED'][] = [
    ['moveRoute', { type: 'moveRoute', rule: CANARY, direction: 'up' }, 'Move rule "canary" up to position 4 in VirtualService default/my-service', 'CANARY_MOVED'],
    ['setMatches', { type: 'setMatches', rule: CANARY, match: [{ uri: { prefix: '/api' } }] }, 'Set 1 match on rule "canary" in VirtualService default/my-service', [['', '    match:\n    - uri:\n        prefix: /api\n']]],
    ['setMatches (remove)', { type: 'setMatches', rule: rule(1), match: undefined }, 'Remove the matches of rule "pin-v1" in VirtualService default/my-service (it now matches every request)', [['    match:\n    - uri:\n        exact: /v1\n', '']]],
    ['removeRoute', { type: 'removeRoute', rule: rule(2) }, 'Remove rule "pin-v2" from VirtualService default/my-service', [['  - name: pin-v2\n    match:\n    - uri:\n        exact: /v2\n    route:\n    - destination:\n        host: my-service\n        subset: v2\n', '']]],
    ['addRoute', { type: 'addRoute', vs: VS, protocol: 'http' }, 'Add http rule 5 to VirtualService default/my-service at position 5', [['', '  - route:\n    - destination:\n        host: my-service\n']]],
    ['addDestination', { type: 'addDestination', rule: CANARY, destination: { host: 'my-service', subset: 'v1' } }, 'Add destination v1 to rule "canary" in VirtualService default/my-service; weights now v1 34%, v2 33%, v1 33%', [['90', '34'], ['10', '33'], ['', '    - destination:\n        host: my-service\n        subset: v1\n      weight: 33\n']]],
    ['addDestination (weighted)', { type: 'addDestination', rule: rule(1), destination: { host: 'my-service', subset: 'v2' }, weight: 10 }, 'Add destination v2 to rule "pin-v1" in VirtualService default/my-service; weights now v1 90%, v2 10%', [['', '      weight: 90\n    - destination:\n        host: my-service\n        subset: v2\n      weight: 10\n']]],
    ['removeDestination', { type: 'removeDestination', rule: CANARY, index: 1 }, 'Remove destination v2 from rule "canary" in VirtualService default/my-service', [['      weight: 90\n', ''], ['    - destination:\n        host: my-service\n        subset: v2\n      weight: 10\n', '']]],
    ['setRuleField timeout', { type: 'setRuleField', rule: CANARY, field: 'timeout', value: '5s' }, 'Set timeout to 5s on rule "canary" in VirtualService default/my-service', [['3s', '5s']]],
    ['setRuleField retries (remove)', { type: 'setRuleField', rule: CANARY, field: 'retries', value: undefined }, 'Remove retries from rule "canary" in VirtualService default/my-service', [['    retries:\n      attempts: 3\n      perTryTimeout: 1s\n', '']]],
    ['setRuleField fault', { type: 'setRuleField', rule: CANARY, field: 'fault', value: { abort: { percentage: { value: 5 }, httpStatus: 500 } } }, 'Set fault on rule "canary" in VirtualService default/my-service', [['', '    fault:\n      abort:\n        percentage:\n          value: 5\n        httpStatus: 500\n']]],
    ['setRuleField fault (change one number)', { type: 'setRuleField', rule: rule(3), field: 'fault', value: { delay: { percentage: { value: 20 }, fixedDelay: '2s' }, abort: { percentage: { value: 50 }, httpStatus: 503 } } }, 'Set fault on rule "fault-test" in VirtualService default/my-service', [['10', '20']]],
    ['setRuleField mirror', { type: 'setRuleField', rule: rule(1), field: 'mirror', value: { host: 'my-service', subset: 'v2' } }, 'Set mirror on rule "pin-v1" in VirtualService default/my-service', [['', '    mirror:\n      host: my-service\n      subset: v2\n']]],
    ['setRuleField redirect', { type: 'setRuleField', rule: rule(1), field: 'redirect', value: { uri: '/v2' } }, 'Set redirect on rule "pin-v1" in VirtualService default/my-service (replacing its route)', [['    route:\n    - destination:\n        host: my-service\n        subset: v1\n', ''], ['', '    redirect:\n      uri: /v2\n']]],
    ['setRuleField rewrite', { type: 'setRuleField', rule: rule(1), field: 'rewrite', value: { uri: '/' } }, 'Set rewrite on rule "pin-v1" in VirtualService default/my-service', [['', '    rewrite:\n      uri: /\n']]],
    ['addSubset', { type: 'addSubset', dr: DR, name: 'v3' }, 'Add subset v3 to DestinationRule default/my-service', [['', '  - name: v3\n    labels:\n      version: v3\n']]],
    ['removeSubset', { type: 'removeSubset', dr: DR, name: 'v2' }, 'Remove subset v2 from DestinationRule default/my-service', [['  - name: v2\n    labels:\n      version: v2\n', '']]],
    ['setTlsMode', { type: 'setTlsMode', dr: DR, mode: 'DISABLE' }, 'Set TLS mode to DISABLE in DestinationRule default/my-service (spec.trafficPolicy.tls.mode)', [['ISTIO_MUTUAL', 'DISABLE']]],
    ['setTlsMode (remove)', { type: 'setTlsMode', dr: DR, mode: undefined }, 'Remove TLS mode from DestinationRule default/my-service', [['  trafficPolicy:\n    tls:\n      mode: ISTIO_MUTUAL\n', '']]],
    ['setPolicy loadBalancer', { type: 'setPolicy', dr: DR, field: 'loadBalancer', value: { simple: 'LEAST_REQUEST' } }, 'Set loadBalancer in DestinationRule default/my-service (spec.trafficPolicy.loadBalancer)', [['', '    loadBalancer:\n      simple: LEAST_REQUEST\n']]],
    ['setPolicy connectionPool', { type: 'setPolicy', dr: DR, field: 'connectionPool', value: { tcp: { maxConnections: 10 }, http: { http1MaxPendingRequests: 1 } } }, 'Set connectionPool in DestinationRule default/my-service (spec.trafficPolicy.connectionPool)', [['', '    connectionPool:\n      tcp:\n        maxConnections: 10\n      http:\n        http1MaxPendingRequests: 1\n']]],
    ['setPolicy outlierDetection on a subset', { type: 'setPolicy', dr: DR, subset: 'v1', field: 'outlierDetection', value: { consecutive5xxErrors: 5, interval: '10s' } }, 'Set outlierDetection in subset v1 of DestinationRule default/my-service (spec.subsets[0].trafficPolicy.outlierDetection)', [['', '    trafficPolicy:\n      outlierDetection:\n        consecutive5xxErrors: 5\n        interval: 10s\n']]],
    ['setField', { type: 'setField', key: VS, path: ['spec', 'http', 0, 'name'], value: 'jason' }, 'Set spec.http[0].name to "jason" in VirtualService default/my-service', [['jason-sees-v2', 'jason']]],
    ['setField (remove)', { type: 'setField', key: VS, path: ['spec', 'http', 4, 'timeout'], value: undefined }, 'Remove spec.http[4].timeout from VirtualService default/my-service', [['    timeout: 3s\n', '']]],
    ['renameService', { type: 'renameService', service: SVC, name: 'shop' }, 'Rename service default/my-service to shop (Service, 2 Deployments, 8 host references)', 'RENAMED'],
  ];

  it.each(cases)('%s', (_, command, description, changes) => {
    const run = runCommand(primer, command);
    expect(run.description).toBe(description);
    if (changes === 'CANARY_MOVED') {
      const canary = primer.slice(primer.indexOf('  - name: canary'), primer.indexOf('---', primer.indexOf('  - name: canary')));
      expect(run.changes).toEqual([['', canary], [canary, '']]);
      expect(run.edits[0].from).toBe(primer.indexOf('  - name: fault-test'));
    } else if (changes === 'RENAMED') {
      expect(run.changes.every(([a, b]) => a.replace('my-service', 'shop') === b)).toBe(true);
      expect(run.changes).toHaveLength(16);
      // Hosts, selectors, labels and Deployment names change; the VirtualService and DestinationRule keep their names.
      const m = run.after.model;
      expect([...m.byKey.keys()].filter((k) => k.includes('shop') || k.endsWith('my-service'))).toEqual([
        'Service/default/shop', 'Deployment/default/shop-v1', 'Deployment/default/shop-v2', 'Gateway/default/shop-gateway', 'VirtualService/default/my-service', 'DestinationRule/default/my-service',
      ]);
      expect(m.byKey.get(DR)!.spec).toMatchObject({ host: 'shop' });
      expect(m.byKey.get(rk('Deployment', 'default', 'shop-v1'))!.spec).toMatchObject({ selector: { matchLabels: { app: 'shop', version: 'v1' } } });
      expect(run.text).toContain('image: example/my-service:1.0');
    } else {
      expect(run.changes).toEqual(changes);
    }
  });
});

describe('commands that add or remove resources', () => {
  const docOf = (text: string, header: string) => {
    const at = text.indexOf(header);
    const end = text.indexOf('\n---', at);
    return text.slice(text.lastIndexOf('---\n', at), end < 0 ? text.length : end + 1);
  };

  it('addService appends a Service and one Deployment per version as new documents', () => {
    const run = runCommand(primer, { type: 'addService', name: 'ratings', versions: ['v1', 'v2'], port: 9080 });
    expect(run.description).toBe('Add service default/ratings (Service, Deployment ratings-v1, Deployment ratings-v2)');
    expect(run.edits).toHaveLength(1);
    expect(run.edits[0].from).toBe(primer.length);
    expect(run.text.startsWith(primer)).toBe(true);
    expect(run.text.slice(primer.length)).toMatch(/^---\napiVersion: v1\nkind: Service\nmetadata:\n  name: ratings\n  namespace: default\nspec:\n  selector:\n    app: ratings\n  ports:\n  - name: http\n    port: 9080\n    targetPort: 9080\n---\n/);
    const v2 = run.after.model.byKey.get(rk('Deployment', 'default', 'ratings-v2'))!;
    expect(v2.object.spec).toMatchObject({ selector: { matchLabels: { app: 'ratings', version: 'v2' } }, template: { metadata: { labels: { app: 'ratings', version: 'v2' } } } });
  });

  it('removeService removes the Service and its Deployments, whole documents with their comments', () => {
    const run = runCommand(primer, { type: 'removeService', service: SVC });
    expect(run.description).toBe('Remove service default/my-service (Service, 2 Deployments)');
    expect(run.changes.map(([a, b]) => [a.split('\n').slice(0, 4).join('\n'), b])).toEqual([
      ['---\napiVersion: v1\nkind: Service\nmetadata:', ''],
      ['---\napiVersion: apps/v1\nkind: Deployment\nmetadata:', ''],
      ['---\napiVersion: apps/v1\nkind: Deployment\nmetadata:', ''],
    ]);
    expect(run.text).toContain('---\n# A client workload inside the mesh that calls the payment API.\n');
  });

  it('removeResource takes the comment lines that open the document with it', () => {
    const run = runCommand(primer, { type: 'removeResource', key: rk('Deployment', 'default', 'checkout') });
    expect(run.description).toBe('Remove Deployment default/checkout');
    expect(run.changes[0][0].startsWith('---\n# A client workload inside the mesh')).toBe(true);
    expect(run.text).not.toContain('client workload');
    expect(run.text).toContain('# Ingress: external traffic for shop.example.com');
  });

  it('addWorkloadVersion copies a sibling Deployment and adds the subset', () => {
    const run = runCommand(primer, { type: 'addWorkloadVersion', service: SVC, version: 'v3' });
    expect(run.description).toBe('Add version v3 of service default/my-service (Deployment my-service-v3, subset v3 in DestinationRule default/my-service)');
    expect(run.changes).toEqual([
      ['', docOf(primer, 'name: my-service-v1').replace('my-service-v1', 'my-service-v3').replace(/matchLabels: \{app: my-service, version: v1\}/, 'matchLabels:\n      app: my-service\n      version: v3').replace(/labels: \{app: my-service, version: v1\}/, 'labels:\n        app: my-service\n        version: v3')],
      ['', '  - name: v3\n    labels:\n      version: v3\n'],
    ]);
    // The new Deployment goes right after the service's last one.
    expect(run.edits[0].from).toBe(primer.indexOf('---\n# A client workload'));
  });

  it('removeWorkloadVersion removes the Deployment and the subset', () => {
    const run = runCommand(primer, { type: 'removeWorkloadVersion', service: SVC, version: 'v2' });
    expect(run.description).toBe('Remove version v2 of service default/my-service (Deployment my-service-v2, subset v2 of DestinationRule default/my-service)');
    expect(run.changes[1]).toEqual(['  - name: v2\n    labels:\n      version: v2\n', '']);
    expect(run.after.model.byKey.has(rk('Deployment', 'default', 'my-service-v2'))).toBe(false);
  });

  it.each([
    [{ type: 'addGateway', gateway: 'egress', name: 'egress-2', hosts: ['api.maps.example'], protocol: 'TLS' } as Command, 'Add egress gateway default/egress-2 for api.maps.example on port 443', 'spec:\n  selector:\n    istio: egressgateway\n  servers:\n  - port:\n      number: 443\n      name: tls\n      protocol: TLS\n    hosts:\n    - api.maps.example\n'],
    [{ type: 'addGateway', gateway: 'ingress', name: 'gw2', hosts: ['a.example.com'] } as Command, 'Add ingress gateway default/gw2 for a.example.com on port 80', 'spec:\n  selector:\n    istio: ingressgateway\n  servers:\n  - port:\n      number: 80\n      name: http\n      protocol: HTTP\n    hosts:\n    - a.example.com\n'],
    [{ type: 'addServiceEntry', name: 'maps', hosts: ['maps.example'] } as Command, 'Add ServiceEntry default/maps for maps.example', 'spec:\n  hosts:\n  - maps.example\n  ports:\n  - number: 80\n    name: http\n    protocol: HTTP\n  resolution: DNS\n  location: MESH_EXTERNAL\n'],
    [{ type: 'addVirtualService', name: 'checkout', hosts: ['checkout'] } as Command, 'Add VirtualService default/checkout for checkout', 'spec:\n  hosts:\n  - checkout\n  http:\n  - route:\n    - destination:\n        host: checkout\n'],
    [{ type: 'setPeerAuthentication', namespace: 'default', mode: 'STRICT' } as Command, 'Set mTLS mode of namespace default to STRICT (new PeerAuthentication default/default)', 'spec:\n  mtls:\n    mode: STRICT\n'],
  ])('%j', (command, description, spec) => {
    const run = runCommand(primer, command);
    expect(run.description).toBe(description);
    expect(run.edits).toEqual([{ from: primer.length, to: primer.length, text: expect.stringMatching(/^---\napiVersion: .*\nkind: .*\nmetadata:\n  name: .*\n  namespace: default\n/) }]);
    expect(run.edits[0].text.endsWith(spec)).toBe(true);
  });

  it('setPeerAuthentication changes the existing namespace-wide policy in place', () => {
    const text = primer + '---\napiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: default\n  namespace: default\nspec:\n  mtls:\n    mode: PERMISSIVE # for the migration\n';
    const run = runCommand(text, { type: 'setPeerAuthentication', namespace: 'default', mode: 'STRICT' });
    expect(run.description).toBe('Set mTLS mode of namespace default to STRICT (PeerAuthentication default/default)');
    expect(run.changes).toEqual([['PERMISSIVE', 'STRICT']]);
    expect(run.text.endsWith('    mode: STRICT # for the migration\n')).toBe(true);
  });

  it('removing a VirtualService removes its whole document', () => {
    const run = runCommand(primer, { type: 'removeResource', key: VS });
    expect(run.description).toBe('Remove VirtualService default/my-service');
    expect(run.changes).toHaveLength(1);
    expect(run.changes[0][0]).toMatch(/^---\napiVersion: networking.istio.io\/v1\nkind: VirtualService\nmetadata:\n  name: my-service\n[\s\S]*      perTryTimeout: 1s\n$/);
  });
});

describe('commands refuse what they cannot do, with a reason', () => {
  const model = parseDesign(primer).model;
  it.each([
    [{ type: 'moveRoute', rule: rule(0), direction: 'up' } as Command, 'rule "jason-sees-v2" is already the first http rule of VirtualService default/my-service.'],
    [{ type: 'removeDestination', rule: rule(0), index: 0 } as Command, 'v2 is the only destination of rule "jason-sees-v2"; remove the rule instead.'],
    [{ type: 'addService', name: 'my-service' } as Command, 'Service default/my-service already exists.'],
    [{ type: 'addService', name: 'Bad_Name' } as Command, '"Bad_Name" is not a valid Service name (lower-case letters, digits and "-", starting with a letter).'],
    [{ type: 'addSubset', dr: DR, name: 'v1' } as Command, 'DestinationRule default/my-service already has a subset v1.'],
    [{ type: 'setRuleField', rule: { vs: VS, protocol: 'tcp', index: 0 }, field: 'timeout', value: '1s' } as Command, 'VirtualService default/my-service has no tcp rule 1.'],
    [{ type: 'setTlsMode', dr: VS, mode: 'DISABLE' } as Command, 'VirtualService default/my-service is not a DestinationRule.'],
    [{ type: 'addWorkloadVersion', service: SVC, version: 'v1' } as Command, 'Service default/my-service already has version v1.'],
  ])('%j', (command, error) => {
    expect(commandPatches(model, command)).toEqual({ ok: false, error });
  });
});
