import type { KnownKind, Resource, ResourceKey } from './resource';

/** The parsed design, indexed. Immutable: a new model is built for each parse. */
export interface MeshModel {
  readonly resources: readonly Resource[];
  readonly byKey: ReadonlyMap<ResourceKey, Resource>;
  ofKind<K extends KnownKind>(kind: K): readonly Resource<K>[];
}

export function buildModel(resources: readonly Resource[]): MeshModel {
  const byKey = new Map<ResourceKey, Resource>();
  const byKind = new Map<string, Resource[]>();
  for (const r of resources) {
    byKey.set(r.key, r);
    let list = byKind.get(r.kind);
    if (!list) byKind.set(r.kind, (list = []));
    if (r.known) list.push(r);
  }
  return {
    resources,
    byKey,
    ofKind: <K extends KnownKind>(kind: K) => (byKind.get(kind) ?? []) as unknown as readonly Resource<K>[],
  };
}
