/**
 * Commands the inspector needs on top of the basic ones: a service's traffic policy whether or not it has a
 * DestinationRule yet, renaming a subset together with the routes that name it, and renaming any resource.
 */
import { expandHost } from '../../hosts';
import type { MeshModel } from '../../model';
import { resourceKey, type ResourceKey } from '../../resource';
import type { Patch } from '../patch';
import { routeCommand, type PolicyField } from './routes';
import { done, fail, find, isObj, label, rulesFor, validName, workloadsOf, type CommandResult, type Obj } from './util';

export type InspectCommand =
  /**
   * A traffic policy field of a Service's DestinationRule (`setPolicy` on the first one that names the Service); a
   * Service without one gets a new DestinationRule `<service>` holding just that policy. `undefined` removes it.
   */
  | { type: 'setServicePolicy'; service: ResourceKey; field: PolicyField; value: unknown }
  /** A subset's new name, and every route destination and mirror in the design that names it (same host). */
  | { type: 'renameSubset'; dr: ResourceKey; name: string; to: string }
  /** `metadata.name` of any resource (no references follow: for workloads and the like). */
  | { type: 'renameResource'; key: ResourceKey; name: string };

export const INSPECT_TYPES: ReadonlySet<string> = new Set<InspectCommand['type']>(['setServicePolicy', 'renameSubset', 'renameResource']);

const SUBSET_NAME = /^[a-zA-Z0-9]([-a-zA-Z0-9_.]*[a-zA-Z0-9])?$/;

export function inspectCommand(model: MeshModel, c: InspectCommand): CommandResult {
  switch (c.type) {
    case 'setServicePolicy': {
      const svc = find(model, c.service, 'Service');
      if (typeof svc === 'string') return fail(svc);
      const dr = rulesFor(model, svc)[0];
      if (dr) return routeCommand(model, { type: 'setPolicy', dr: dr.key, field: c.field, value: c.value });
      if (c.value === undefined) return fail(`Service ${svc.namespace}/${svc.name} has no DestinationRule, so no ${c.field}.`);
      const key = resourceKey('DestinationRule', svc.namespace, svc.name);
      if (model.byKey.has(key)) return fail(`DestinationRule ${svc.namespace}/${svc.name} exists for another host.`);
      const object = {
        apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: svc.name, namespace: svc.namespace },
        spec: { host: svc.name, trafficPolicy: { [c.field]: c.value } },
      };
      const deps = workloadsOf(model, svc);
      const shown = c.field === 'tls' && isObj(c.value) && typeof c.value.mode === 'string' ? `TLS mode ${c.value.mode}` : c.field;
      return done([{ type: 'addResource', object, after: deps[deps.length - 1]?.key ?? svc.key }], `Set ${shown} for service ${svc.namespace}/${svc.name} (new DestinationRule ${svc.namespace}/${svc.name})`);
    }
    case 'renameSubset': {
      const dr = find(model, c.dr, 'DestinationRule');
      if (typeof dr === 'string') return fail(dr);
      const subsets = dr.spec.subsets ?? [];
      const i = subsets.findIndex((s) => s.name === c.name);
      if (i < 0) return fail(`${label(dr)} has no subset ${c.name}.`);
      if (c.to === c.name) return fail(`The subset is already called ${c.to}.`);
      if (!SUBSET_NAME.test(c.to)) return fail(`"${c.to}" is not a valid subset name.`);
      if (subsets.some((s) => s.name === c.to)) return fail(`${label(dr)} already has a subset ${c.to}.`);
      const patches: Patch[] = [{ type: 'set', key: dr.key, path: ['spec', 'subsets', i, 'name'], value: c.to }];
      const host = expandHost(dr.spec.host ?? '', dr.namespace);
      let refs = 0;
      for (const vs of model.ofKind('VirtualService')) {
        const refer = (path: (string | number)[], dest: unknown) => {
          if (!isObj(dest) || dest.subset !== c.name || typeof dest.host !== 'string' || expandHost(dest.host, vs.namespace) !== host) return;
          patches.push({ type: 'set', key: vs.key, path: [...path, 'subset'], value: c.to });
          refs++;
        };
        for (const proto of ['http', 'tcp', 'tls'] as const) {
          ((vs.spec[proto] ?? []) as Obj[]).forEach((rule, j) => {
            ((Array.isArray(rule.route) ? rule.route : []) as Obj[]).forEach((d, k) => refer(['spec', proto, j, 'route', k, 'destination'], d.destination));
            if (proto !== 'http') return;
            refer(['spec', proto, j, 'mirror'], rule.mirror);
            ((Array.isArray(rule.mirrors) ? rule.mirrors : []) as Obj[]).forEach((m, k) => refer(['spec', proto, j, 'mirrors', k, 'destination'], m.destination));
          });
        }
      }
      const also = refs ? ` and ${refs} route reference${refs === 1 ? '' : 's'}` : '';
      return done(patches, `Rename subset ${c.name} of ${label(dr)} to ${c.to}${also}`);
    }
    case 'renameResource': {
      const r = model.byKey.get(c.key);
      if (!r) return fail(`There is no resource ${c.key}.`);
      if (c.name === r.name) return fail(`${label(r)} is already called ${c.name}.`);
      if (!validName(c.name)) return fail(`"${c.name}" is not a valid name (lower-case letters, digits, "-" and ".").`);
      const key = r.key.replace(/[^/]*$/, c.name) as ResourceKey;
      if (model.byKey.has(key)) return fail(`${r.kind} ${r.namespace ? r.namespace + '/' : ''}${c.name} already exists.`);
      return done([{ type: 'rename', key: r.key, name: c.name }], `Rename ${label(r)} to ${c.name}`);
    }
  }
}
