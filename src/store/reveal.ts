import { findSpan, unpackSourceMap } from '../model/sourcemap';
import type { FieldPath, ResourceKey } from '../model/resource';
import { useStore } from './store';

/** Reveal and select a field's YAML in the editor (a missing field: its nearest ancestor). */
export function revealField(resource: ResourceKey | string | undefined, path: FieldPath | undefined) {
  if (!resource || !path) return;
  const { sourceMap, revealRange } = useStore.getState();
  const hit = findSpan(unpackSourceMap(sourceMap), resource as ResourceKey, path);
  if (hit) revealRange(hit.span.keyFrom, hit.span.to);
}
