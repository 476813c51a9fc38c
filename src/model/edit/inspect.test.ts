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
/** The primer with a second service that has no DestinationRule. */
const withRatings = primer + '---\napiVersion: v1\nkind: Service\nmetadata:\n  name: ratings\n  namespace: default\nspec:\n  selector:\n    app: ratings\n  ports:\n  - name: http\n    port: 9080\n';

describe('setServicePolicy', () => {
  it('edits the DestinationRule the service has, like setPolicy', () => {
    const run = runCommand(primer, { type: 'setServicePolicy', service: SVC, field: 'connectionPool', value: { tcp: { maxConnections: 10 } } });
    expect(run.description).toBe('Set connectionPool in DestinationRule default/my-service (spec.trafficPolicy.connectionPool)');
    expect(run.changes).toEqual([['', '    connectionPool:\n      tcp:\n        maxConnections: 10\n']]);
  });

  it('creates a DestinationRule for a service without one, after the service', () => {
    const run = runCommand(withRatings, { type: 'setServicePolicy', service: rk('Service', 'default', 'ratings'), field: 'tls', value: { mode: 'ISTIO_MUTUAL' } });
    expect(run.description).toBe('Set TLS mode ISTIO_MUTUAL for service default/ratings (new DestinationRule default/ratings)');
    expect(run.changes).toEqual([['', '---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: ratings\n  namespace: default\nspec:\n  host: ratings\n  trafficPolicy:\n    tls:\n      mode: ISTIO_MUTUAL\n']]);
  });

  it('refuses to remove a policy a service does not have', () => {
    const model = parseDesign(withRatings).model;
    expect(commandPatches(model, { type: 'setServicePolicy', service: rk('Service', 'default', 'ratings'), field: 'loadBalancer', value: undefined })).toEqual({ ok: false, error: 'Service default/ratings has no DestinationRule, so no loadBalancer.' });
  });
});

describe('renameSubset', () => {
  it('renames the subset and every destination that names it; other hosts’ subsets stay', () => {
    const run = runCommand(primer, { type: 'renameSubset', dr: DR, name: 'v2', to: 'canary' });
    expect(run.description).toBe('Rename subset v2 of DestinationRule default/my-service to canary and 3 route references');
    expect(run.changes).toEqual([['v2', 'canary'], ['v2', 'canary'], ['v2', 'canary'], ['v2', 'canary']]);
    expect(run.text).toContain('  - name: canary\n    labels:\n      version: v2\n');
  });

  it('follows mirrors too, and refuses clashes and bad names', () => {
    const mirrored = runCommand(primer, { type: 'setRuleField', rule: rule(1), field: 'mirror', value: { host: 'my-service', subset: 'v2' } }).text;
    expect(runCommand(mirrored, { type: 'renameSubset', dr: DR, name: 'v2', to: 'next' }).description).toBe('Rename subset v2 of DestinationRule default/my-service to next and 4 route references');
    const model = parseDesign(primer).model;
    expect(commandPatches(model, { type: 'renameSubset', dr: DR, name: 'v2', to: 'v1' })).toEqual({ ok: false, error: 'DestinationRule default/my-service already has a subset v1.' });
    expect(commandPatches(model, { type: 'renameSubset', dr: DR, name: 'v2', to: 'no spaces' }).ok).toBe(false);
    expect(commandPatches(model, { type: 'renameSubset', dr: DR, name: 'v9', to: 'x' })).toEqual({ ok: false, error: 'DestinationRule default/my-service has no subset v9.' });
  });
});

describe('renameResource', () => {
  it('changes metadata.name only', () => {
    const run = runCommand(primer, { type: 'renameResource', key: rk('Deployment', 'default', 'checkout'), name: 'checkout-web' });
    expect(run.description).toBe('Rename Deployment default/checkout to checkout-web');
    expect(run.changes).toEqual([['checkout', 'checkout-web']]);
    expect(run.after.model.byKey.has(rk('Deployment', 'default', 'checkout-web'))).toBe(true);
  });

  it.each([
    [{ type: 'renameResource', key: rk('Deployment', 'default', 'checkout'), name: 'my-service-v1' } as Command, 'Deployment default/my-service-v1 already exists.'],
    [{ type: 'renameResource', key: rk('Deployment', 'default', 'checkout'), name: 'Checkout' } as Command, '"Checkout" is not a valid name (lower-case letters, digits, "-" and ".").'],
    [{ type: 'renameResource', key: rk('Deployment', 'default', 'nope'), name: 'x' } as Command, 'There is no resource Deployment/default/nope.'],
  ])('%j', (command, error) => {
    expect(commandPatches(parseDesign(primer).model, command)).toEqual({ ok: false, error });
  });
});

describe('mirror percentage', () => {
  it('is a rule field; removing the mirror removes its percentage too (one step)', () => {
    const mirrored = runCommand(primer, { type: 'setRuleField', rule: rule(1), field: 'mirror', value: { host: 'my-service', subset: 'v2' } }).text;
    const withPct = runCommand(mirrored, { type: 'setRuleField', rule: rule(1), field: 'mirrorPercentage', value: { value: 25 } });
    expect(withPct.description).toBe('Set mirrorPercentage on rule "pin-v1" in VirtualService default/my-service');
    expect(withPct.changes).toEqual([['', '    mirrorPercentage:\n      value: 25\n']]);
    const removed = runCommand(withPct.text, { type: 'setRuleField', rule: rule(1), field: 'mirror', value: undefined });
    expect(removed.description).toBe('Remove mirror and mirrorPercentage from rule "pin-v1" in VirtualService default/my-service');
    expect(removed.text).toBe(primer);
  });
});
