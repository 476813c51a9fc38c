/** Protobuf Duration strings as Istio accepts them: `1.5s`, `100ms`, `2m`, `1h`, `10us`. */
const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, µs: 0.001, ns: 0.000001 };

/** Milliseconds, or null when the value is absent or not a duration. */
export function parseDurationMs(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v * 1000;
  if (typeof v !== 'string') return null;
  const s = v.trim();
  if (s === '') return null;
  let total = 0;
  let rest = s;
  const re = /^(\d+(?:\.\d+)?|\.\d+)(h|ms|us|µs|ns|m|s)/;
  while (rest.length > 0) {
    const m = re.exec(rest);
    if (!m) return null;
    total += parseFloat(m[1]) * UNIT_MS[m[2]];
    rest = rest.slice(m[0].length);
  }
  return total;
}

export const formatMs = (ms: number): string => (ms >= 1000 && ms % 100 === 0 ? `${ms / 1000}s` : `${Math.round(ms * 1000) / 1000}ms`);
