/** Numbers the Load panel shows, derived from a run's result. Pure. */
import type { SimResult } from '../engine/sim/types';

/** `my-service.default.svc.cluster.local/v1` → `my-service/v1` (any namespace: the full name is in the tooltip). */
export const shortHost = (h: string) => h.replace(/^([^./|]+)\.[^./|]+\.svc\.cluster\.local(?=$|\/)/, '$1').replace(/\|([^./|]+)\.[^./|]+\.svc\.cluster\.local$/, '|$1');

export function subsetShares(r: SimResult): { key: string; name: string; requests: number; share: number }[] {
  const total = Object.values(r.total.bySubset).reduce((a, b) => a + b, 0);
  return Object.entries(r.total.bySubset)
    .map(([key, requests]) => ({ key, name: shortHost(key), requests, share: total ? (requests / total) * 100 : 0 }))
    .sort((a, b) => b.requests - a.requests || a.name.localeCompare(b.name));
}

/** 5xx answers and requests with no HTTP answer at all, in percent of all requests. */
export function errorRate(r: SimResult): number {
  let errors = 0;
  for (const [k, n] of Object.entries(r.total.statusCounts)) {
    const code = Number(k);
    if (Number.isFinite(code) ? code >= 500 : k !== 'connected') errors += n;
  }
  return r.total.count ? (errors / r.total.count) * 100 : 0;
}

export function statusRows(r: SimResult): { status: string; count: number; share: number }[] {
  return Object.entries(r.total.statusCounts)
    .map(([status, count]) => ({ status: status.replace(/_/g, ' '), count, share: r.total.count ? (count / r.total.count) * 100 : 0 }))
    .sort((a, b) => b.count - a.count);
}

export const FLAG_NAMES: Record<string, string> = {
  UO: 'circuit breaker overflow',
  UH: 'no healthy upstream',
  UT: 'upstream request timeout',
  UF: 'upstream connection failure',
  URX: 'retry limit exceeded',
  UC: 'upstream connection terminated',
  UR: 'upstream reset',
  LR: 'local reset',
  FI: 'fault injection: abort',
  DI: 'fault injection: delay',
  NR: 'no route',
  UAEX: 'denied by external authorization',
  RL: 'rate limited',
  DC: 'downstream connection terminated',
};

/** Envoy counters worth reading first: overflows, ejections, retries, timeouts (non-zero only). */
const INTERESTING = /overflow|ejections|retry|timeout|cx_connect_fail|_5xx|pending_total|rq_total|cx_total/;

export function statRows(r: SimResult, limit = 200): { proxy: string; cluster: string; stat: string; value: number }[] {
  const out: { proxy: string; cluster: string; stat: string; value: number }[] = [];
  for (const [proxy, stats] of Object.entries(r.stats)) {
    for (const [name, value] of Object.entries(stats)) {
      if (!value || !INTERESTING.test(name)) continue;
      const m = /^cluster\.(.+)\.([a-z_]+(?:\.[a-z_]+)?)$/.exec(name);
      const [cluster, stat] = m ? [m[1].replace(/\.outlier_detection$/, ''), m[1].endsWith('.outlier_detection') ? `outlier_detection.${m[2]}` : m[2]] : ['', name];
      out.push({ proxy, cluster, stat, value });
      if (out.length >= limit) return out;
    }
  }
  return out;
}

export interface CompareRow {
  what: string;
  before: number;
  after: number;
  unit: '%' | 'ms';
}

/** Shares per subset, error rate and p99 of two runs, side by side. */
export function compareRuns(before: SimResult, after: SimResult): CompareRow[] {
  const a = new Map(subsetShares(before).map((s) => [s.name, s.share]));
  const b = new Map(subsetShares(after).map((s) => [s.name, s.share]));
  const names = [...new Set([...a.keys(), ...b.keys()])].sort();
  return [
    ...names.map((n) => ({ what: `share ${n}`, before: a.get(n) ?? 0, after: b.get(n) ?? 0, unit: '%' as const })),
    { what: 'error rate', before: errorRate(before), after: errorRate(after), unit: '%' },
    { what: 'p99 latency', before: before.total.latencyMs.p99, after: after.total.latencyMs.p99, unit: 'ms' },
  ];
}

/** A subset's name in `room` pixels: its end kept (the subset), its start cut (`…service/v1`), so that labels never overlap. */
export function fitLabel(name: string, room: number): string {
  const chars = Math.max(3, Math.floor(room / 6.5) - 1);
  return name.length <= chars ? name : `…${name.slice(name.length - chars + 1)}`;
}
