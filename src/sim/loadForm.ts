/**
 * The Load panel's form as plain strings (what the inputs hold) and its translation into a simulation spec. Pure:
 * the defaults come from the design's request presets and workloads.
 */
import { requestPresets, sourceChoices } from '../engine/presets';
import type { SimSpec, UpstreamModel } from '../engine/sim/types';
import type { RequestInput } from '../engine/types';
import type { MeshModel } from '../model/model';

export interface MixRow {
  label: string;
  input: RequestInput;
  /** Relative share of the traffic mix; blank or 0 leaves the template out. */
  share: string;
}

export interface UpstreamRow {
  /** `namespace/name` of a Deployment. */
  workload: string;
  latencyMs: string;
  /** Percent (0–100) of requests answered with an error. */
  errorRate: string;
  /** Status of those answers (default 503). */
  errorStatus: string;
}

export interface LoadForm {
  count: string;
  /** Blank: as fast as possible. */
  qps: string;
  concurrency: string;
  seed: string;
  mix: MixRow[];
  upstream: UpstreamRow[];
}

export const DEFAULT_COUNT = 10_000;
/** Request templates the mix starts with (one per route match of the design). */
export const MAX_MIX = 200;

export function defaultLoadForm(model: MeshModel): LoadForm {
  return {
    count: String(DEFAULT_COUNT),
    qps: '',
    concurrency: '8',
    seed: '1',
    mix: requestPresets(model, MAX_MIX).map((p) => ({ label: p.label, input: p.input, share: '1' })),
    upstream: sourceChoices(model)
      .filter((s) => s.source.workload)
      .map((s) => ({ workload: `${s.source.namespace ?? 'default'}/${s.source.workload}`, latencyMs: '', errorRate: '', errorStatus: '' })),
  };
}

/** Share of each mix row in percent (rows left out: 0). */
export function mixPercents(mix: readonly MixRow[]): number[] {
  const w = mix.map((m) => shareOf(m.share));
  const total = w.reduce((a, b) => a + b, 0);
  return w.map((x) => (total > 0 ? (x / total) * 100 : 0));
}

const shareOf = (s: string) => {
  const n = Number(s.trim());
  return s.trim() && Number.isFinite(n) && n > 0 ? n : 0;
};

/** A number from an input, `undefined` when blank, or an error message. */
function field(text: string, name: string, o: { int?: boolean; min?: number; max?: number } = {}): number | undefined | string {
  const t = text.trim().replace(/[_,\s]/g, '');
  if (!t) return undefined;
  const n = Number(t);
  if (!Number.isFinite(n)) return `${name} must be a number (got "${text.trim()}").`;
  if (o.int && !Number.isInteger(n)) return `${name} must be a whole number.`;
  if (o.min !== undefined && n < o.min) return `${name} must be at least ${o.min}.`;
  if (o.max !== undefined && n > o.max) return `${name} must be at most ${o.max}.`;
  return n;
}

/** The form as a simulation spec, or the first thing wrong with it. */
export function toSimSpec(form: LoadForm): { spec: SimSpec } | { error: string } {
  const count = field(form.count, 'Requests', { int: true, min: 1 });
  const qps = field(form.qps, 'QPS', { min: 0 });
  const concurrency = field(form.concurrency, 'Concurrency', { int: true, min: 1 });
  const seed = field(form.seed, 'Seed', { int: true, min: 0 });
  for (const v of [count, qps, concurrency, seed]) if (typeof v === 'string') return { error: v };
  if (count === undefined) return { error: 'Give the number of requests to send.' };
  const mix = form.mix.filter((m) => shareOf(m.share) > 0).map((m) => ({ ...m.input, weight: shareOf(m.share), name: m.label }));
  if (!mix.length) return { error: 'Give at least one request of the traffic mix a share above 0.' };
  const upstream: Record<string, UpstreamModel> = {};
  for (const u of form.upstream) {
    const latency = field(u.latencyMs, `Latency of ${u.workload}`, { min: 0 });
    const rate = field(u.errorRate, `Error rate of ${u.workload}`, { min: 0, max: 100 });
    const status = field(u.errorStatus, `Error status of ${u.workload}`, { int: true, min: 100, max: 599 });
    for (const v of [latency, rate, status]) if (typeof v === 'string') return { error: v };
    const model: UpstreamModel = {};
    if (latency !== undefined) model.latencyMs = latency as number;
    if (rate) model.errorRate = (rate as number) / 100;
    if (status !== undefined) model.errorStatus = status as number;
    if (Object.keys(model).length) upstream[u.workload] = model;
  }
  return {
    spec: {
      seed: (seed as number | undefined) ?? 1,
      traffic: [{ name: 'load', mix, load: { requests: count as number, concurrency: (concurrency as number | undefined) ?? 1, ...(qps ? { qps: qps as number } : {}) } }],
      ...(Object.keys(upstream).length ? { upstream } : {}),
    },
  };
}
