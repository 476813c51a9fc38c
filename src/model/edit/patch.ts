/**
 * Low-level model patches, and how they change plain JS objects. The splicer (splice.ts) turns the same patches
 * into text edits; `applyPatchesToResources` is the reference it is checked against.
 */
import { CLUSTER_SCOPED, keyKind } from '../kinds';
import { resourceKey, type FieldPath, type ResourceKey } from '../resource';

export type Patch =
  /** Set the value at `path` (relative to the resource object), creating missing maps and lists on the way. */
  | { type: 'set'; key: ResourceKey; path: FieldPath; value: unknown }
  /** Remove a map entry or a list item; nothing happens when it is not there. */
  | { type: 'delete'; key: ResourceKey; path: FieldPath }
  /** Insert `value` into the list at `path` before `index` (`index` = length appends); a missing list is created. */
  | { type: 'insert'; key: ResourceKey; path: FieldPath; index: number; value: unknown }
  /** Move a list item: after the move it is at index `to`. */
  | { type: 'move'; key: ResourceKey; path: FieldPath; from: number; to: number }
  /** A new resource: a new document after `after`'s (or inside its `kind: List`), or at the end. */
  | { type: 'addResource'; object: Record<string, unknown>; after?: ResourceKey }
  | { type: 'removeResource'; key: ResourceKey }
  /** Change `metadata.name`; later patches address the resource by its new key. */
  | { type: 'rename'; key: ResourceKey; name: string };

export type PatchResult = { ok: true } | { ok: false; error: string };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The key a resource object is known by (the same rules as parse.ts); undefined when it has no kind or name. */
export function keyOf(obj: Obj): ResourceKey | undefined {
  const meta = isObj(obj.metadata) ? obj.metadata : {};
  if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string' || typeof meta.name !== 'string' || !meta.name || !obj.kind) return undefined;
  const namespace = CLUSTER_SCOPED.has(obj.kind) ? '' : typeof meta.namespace === 'string' && meta.namespace ? meta.namespace : 'default';
  return resourceKey(keyKind(obj.apiVersion, obj.kind), namespace, meta.name);
}

export const clone = <T>(v: T): T => (v === undefined ? v : structuredClone(v));

const describePath = (path: FieldPath) => path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('') || '(root)';

/** Paths that identify the resource: a patch must not remove them. */
function protectedPath(path: FieldPath): boolean {
  const p = path.join('\u0000');
  return path.length === 0 || p === 'apiVersion' || p === 'kind' || p === 'metadata' || p === 'metadata\u0000name';
}

/**
 * Walk to the container that holds the last step of `path`, creating maps/lists on the way when `create` is set.
 * Returns the container, or an error.
 */
function parentOf(root: Obj, path: FieldPath, create: boolean): { parent: Obj | unknown[]; last: string | number } | { error: string } | undefined {
  let cur: unknown = root;
  for (let i = 0; i < path.length - 1; i++) {
    const step = path[i];
    const nextStep = path[i + 1];
    let next = getStep(cur, step);
    if (next === undefined || next === null) {
      if (!create) return undefined;
      if (Array.isArray(cur) && (typeof step !== 'number' || step > cur.length)) return { error: `${describePath(path.slice(0, i + 1))} is past the end of the list` };
      next = typeof nextStep === 'number' ? [] : {};
      if (typeof nextStep === 'number' && nextStep !== 0) return { error: `${describePath(path.slice(0, i + 2))}: a new list starts at index 0` };
      setStep(cur as Obj | unknown[], step, next);
    }
    if (typeof next !== 'object' || next === null) return { error: `${describePath(path.slice(0, i + 1))} is a scalar, not a map or list` };
    cur = next;
  }
  const last = path[path.length - 1];
  if (Array.isArray(cur) ? typeof last !== 'number' : typeof last !== 'string') {
    return { error: `${describePath(path)}: ${Array.isArray(cur) ? 'a list needs a numeric index' : 'a map needs a string key'}` };
  }
  return { parent: cur as Obj | unknown[], last };
}

function getStep(cur: unknown, step: string | number): unknown {
  if (Array.isArray(cur)) return typeof step === 'number' ? cur[step] : undefined;
  if (isObj(cur)) return typeof step === 'string' && Object.hasOwn(cur, step) ? cur[step] : undefined;
  return undefined;
}

function setStep(cur: Obj | unknown[], step: string | number, value: unknown) {
  if (Array.isArray(cur)) {
    if (step === cur.length) cur.push(value);
    else cur[step as number] = value;
  } else {
    Object.defineProperty(cur, step as string, { value, enumerable: true, writable: true, configurable: true });
  }
}

/** The value at `path`, or undefined. */
export function getPath(root: unknown, path: FieldPath): unknown {
  let cur = root;
  for (const step of path) {
    cur = getStep(cur, step);
    if (cur === undefined) return undefined;
  }
  return cur;
}

/**
 * Apply a field patch (set/delete/insert/move) to a resource object in place. Values are cloned on the way in.
 * List items keep their identity when moved (the splicer relies on it to move their lines).
 */
export function applyFieldPatch(root: Obj, patch: Extract<Patch, { type: 'set' | 'delete' | 'insert' | 'move' }>): PatchResult {
  const fail = (error: string): PatchResult => ({ ok: false, error: `${patch.type} ${describePath(patch.path)}: ${error}` });
  switch (patch.type) {
    case 'set': {
      if (patch.path.length === 0) return fail('cannot replace a whole resource');
      if (patch.value === undefined) return fail('value is undefined (use delete)');
      if (patch.path.join('\u0000') === 'metadata' && !isObj(patch.value)) return fail('metadata must stay a map');
      const at = parentOf(root, patch.path, true);
      if (!at) return fail('no such path');
      if ('error' in at) return fail(at.error);
      if (Array.isArray(at.parent) && (at.last as number) > at.parent.length) return fail('index past the end of the list');
      setStep(at.parent, at.last, clone(patch.value));
      return { ok: true };
    }
    case 'delete': {
      if (protectedPath(patch.path)) return fail('the resource needs it');
      const at = parentOf(root, patch.path, false);
      if (!at) return { ok: true };
      if ('error' in at) return fail(at.error);
      if (Array.isArray(at.parent)) {
        const i = at.last as number;
        if (i >= 0 && i < at.parent.length) at.parent.splice(i, 1);
      } else {
        delete at.parent[at.last as string];
      }
      return { ok: true };
    }
    case 'insert': {
      let list = getPath(root, patch.path);
      if (list === undefined || list === null) {
        if (patch.index !== 0) return fail('a new list starts at index 0');
        const r = applyFieldPatch(root, { type: 'set', key: patch.key, path: patch.path, value: [] });
        if (!r.ok) return r;
        list = getPath(root, patch.path);
      }
      if (!Array.isArray(list)) return fail('not a list');
      if (!Number.isInteger(patch.index) || patch.index < 0 || patch.index > list.length) return fail(`index ${patch.index} out of range 0..${list.length}`);
      if (patch.value === undefined) return fail('value is undefined');
      list.splice(patch.index, 0, clone(patch.value));
      return { ok: true };
    }
    case 'move': {
      const list = getPath(root, patch.path);
      if (!Array.isArray(list)) return fail('not a list');
      const ok = (i: number) => Number.isInteger(i) && i >= 0 && i < list.length;
      if (!ok(patch.from) || !ok(patch.to)) return fail(`indices ${patch.from} → ${patch.to} out of range 0..${list.length - 1}`);
      const [item] = list.splice(patch.from, 1);
      list.splice(patch.to, 0, item);
      return { ok: true };
    }
  }
}

export interface PlainResource {
  key: ResourceKey;
  object: Obj;
}

/**
 * The reference semantics of a patch list over resource objects (in design order). Pure: the input is not changed.
 * New resources go after `after`, or at the end.
 */
export function applyPatchesToResources(resources: readonly PlainResource[], patches: readonly Patch[]): { resources: PlainResource[] } | { error: string } {
  const list = resources.map((r) => ({ key: r.key, object: clone(r.object) }));
  const find = (key: ResourceKey) => list.findIndex((r) => r.key === key);
  for (const p of patches) {
    if (p.type === 'addResource') {
      const key = keyOf(p.object);
      if (!key) return { error: 'addResource: the object needs apiVersion, kind and metadata.name' };
      if (find(key) >= 0) return { error: `addResource: ${key} exists` };
      const at = p.after ? find(p.after) : list.length - 1;
      if (p.after && at < 0) return { error: `addResource: no resource ${p.after}` };
      list.splice(at + 1, 0, { key, object: clone(p.object) });
      continue;
    }
    const i = find(p.key);
    if (i < 0) return { error: `${p.type}: no resource ${p.key}` };
    if (p.type === 'removeResource') {
      list.splice(i, 1);
      continue;
    }
    const r = p.type === 'rename'
      ? applyFieldPatch(list[i].object, { type: 'set', key: p.key, path: ['metadata', 'name'], value: p.name })
      : applyFieldPatch(list[i].object, p);
    if (!r.ok) return { error: r.error };
    const key = keyOf(list[i].object);
    if (!key) return { error: `${p.type}: ${p.key} would lose its kind or name` };
    if (key !== list[i].key && find(key) >= 0) return { error: `${p.type}: ${key} exists` };
    list[i].key = key;
  }
  return { resources: list };
}
