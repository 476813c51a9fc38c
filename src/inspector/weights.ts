/** Linked weights: moving one destination's share makes the others absorb the difference, so the split stays 100 %. Pure. */

/** Set destination `i` to `value` and let the others absorb the difference, last first (Kiali's convention). */
export function rebalance(weights: number[], i: number, value: number): number[] {
  const out = [...weights];
  out[i] = Math.max(0, Math.min(100, Math.round(Number.isFinite(value) ? value : 0)));
  let excess = out.reduce((a, b) => a + b, 0) - 100;
  for (let j = out.length - 1; j >= 0 && excess !== 0; j--) {
    if (j === i) continue;
    const next = Math.max(0, Math.min(100, out[j] - excess));
    excess -= out[j] - next;
    out[j] = next;
  }
  return out;
}

/** 100 split as evenly as integers allow, the remainder to the first ones: 3 → 34, 33, 33. */
export function evenWeights(n: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.floor(100 / n) + (i < 100 % n ? 1 : 0));
}

/** The weights a rule's destinations have now (a lone destination takes everything; missing weights count 0). */
export function currentWeights(route: readonly { weight?: unknown }[]): number[] {
  if (route.length === 1) return [100];
  return route.map((d) => (typeof d.weight === 'number' ? d.weight : 0));
}
