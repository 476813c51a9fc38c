/**
 * Hashing for consistent-hash load balancing: a 32-bit string hash (FNV-1a with a murmur3
 * finaliser) and a ring of host points (Envoy's ring hash: each host owns points in proportion to
 * its weight, a key goes to the first point at or after its hash). Envoy hashes with xxHash64, so
 * the exact key→host mapping differs; the properties that matter (same key → same host while the
 * host set is stable, ~1/N of keys move when a host leaves) are the same.
 */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export interface Ring {
  points: Uint32Array;
  hosts: Int32Array;
}

/** Builds a ring over `hosts` (indices) with `names` and `weights`; `size` points at least (Istio minimumRingSize, default 1024). */
export function buildRing(hosts: ArrayLike<number>, n: number, names: readonly string[], weights: ArrayLike<number>, size: number): Ring {
  let total = 0;
  for (let i = 0; i < n; i++) total += weights[hosts[i]];
  const entries: Array<[number, number]> = [];
  for (let i = 0; i < n; i++) {
    const h = hosts[i];
    const k = Math.max(1, Math.ceil((size * weights[h]) / total));
    for (let j = 0; j < k; j++) entries.push([hash32(`${names[h]}_${j}`), h]);
  }
  entries.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const points = new Uint32Array(entries.length);
  const owners = new Int32Array(entries.length);
  entries.forEach(([p, h], i) => {
    points[i] = p;
    owners[i] = h;
  });
  return { points, hosts: owners };
}

/** The host owning a key's hash: first point ≥ hash, wrapping around. */
export function ringLookup(r: Ring, h: number): number {
  const p = r.points;
  let lo = 0;
  let hi = p.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (p[mid] < h) lo = mid + 1;
    else hi = mid;
  }
  return r.hosts[lo === p.length ? 0 : lo];
}
