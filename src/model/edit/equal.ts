/** Deep equality of plain JS values as YAML reads them (key order ignored; NaN equals NaN). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], bb[i])) return false;
    return true;
  }
  if (a instanceof Map || b instanceof Map || a instanceof Set || b instanceof Set) return false;
  // Counted with for…in rather than compared as Object.keys arrays: this runs for every graph node and edge after each
  // keystroke, and allocates nothing this way.
  const oa = a as Record<string, unknown>;
  const ob = b as Record<string, unknown>;
  let n = 0;
  for (const k in oa) {
    if (!Object.hasOwn(oa, k)) continue;
    n++;
    if (!Object.hasOwn(ob, k) || !deepEqual(oa[k], ob[k])) return false;
  }
  for (const k in ob) if (Object.hasOwn(ob, k)) n--;
  return n === 0;
}
