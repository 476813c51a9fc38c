/**
 * Copy and paste (and duplicate) of whole resources: pasted resources whose names are taken get free names
 * (`cart-copy`, `cart-copy-2`, …), and every reference among the pasted resources follows the rename — Service
 * hosts (short and FQDN), `app` labels and selectors, gateway names — so the copy is a separate, working twin
 * rather than a second set of pods behind the original Service.
 */
import type { MeshModel } from '../../model';
import { resourceKey } from '../../resource';
import type { Patch } from '../patch';
import { done, fail, isObj, type CommandResult, type Obj } from './util';

export type PasteCommand = { type: 'paste'; objects: Obj[] };

const metaOf = (o: Obj) => (isObj(o.metadata) ? o.metadata : {}) as { name?: string; namespace?: string };

/** New names for the pasted objects that clash with the design (or with each other). */
function renames(model: MeshModel, objects: Obj[]): Map<string, string> {
  const taken = new Set(model.resources.map((r) => r.key as string));
  const out = new Map<string, string>();
  for (const o of objects) {
    const { name, namespace = 'default' } = metaOf(o);
    if (!name) continue;
    const key = (n: string) => resourceKey(String(o.kind), namespace, n);
    let next = out.get(name) ?? name;
    if (taken.has(key(next))) {
      next = `${name}-copy`;
      for (let i = 2; taken.has(key(next)); i++) next = `${name}-copy-${i}`;
    }
    taken.add(key(next));
    if (next !== name) out.set(name, next);
  }
  return out;
}

/** Rewrite strings that name a renamed resource: exact names, service FQDNs, and `name-<suffix>` Deployment names. */
function rewrite(value: unknown, map: Map<string, string>, top = false): unknown {
  if (typeof value === 'string') {
    if (map.has(value)) return map.get(value);
    const dot = value.indexOf('.');
    if (dot > 0 && map.has(value.slice(0, dot)) && /\.svc(\.cluster\.local)?$|^[^.]+\.[^.]+$/.test(value)) return map.get(value.slice(0, dot)) + value.slice(dot);
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => rewrite(v, map));
  if (isObj(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, top && (k === 'apiVersion' || k === 'kind') ? v : rewrite(v, map)]));
  return value;
}

export function pasteCommand(model: MeshModel, c: PasteCommand): CommandResult {
  const objects = c.objects.filter((o) => typeof o.kind === 'string' && metaOf(o).name);
  if (!objects.length) return fail('Nothing to paste: no Kubernetes resources with a kind and a name.');
  const map = renames(model, objects);
  const patches: Patch[] = [];
  const names: string[] = [];
  let after = model.resources[model.resources.length - 1]?.key;
  for (const o of objects) {
    const copy = rewrite(o, map, true) as Obj;
    const meta = { ...metaOf(copy) } as Obj;
    for (const k of ['uid', 'resourceVersion', 'creationTimestamp', 'generation', 'managedFields']) delete meta[k];
    copy.metadata = meta;
    delete copy.status;
    const ns = String(meta.namespace ?? 'default');
    patches.push({ type: 'addResource', object: copy, after });
    after = resourceKey(String(copy.kind), ns, String(meta.name));
    names.push(`${copy.kind} ${ns}/${meta.name}`);
  }
  return done(patches, `Paste ${names.join(', ')}`);
}
