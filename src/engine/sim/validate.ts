/**
 * Validation of a simulation spec before anything runs: absurd or malformed parameters (a count of
 * 10^12, concurrency 0, a negative latency…) give clear messages naming the field, never a run
 * that would hang a tab. Checks against the design (unknown workloads, bad requests) are done when
 * the simulation is created (see simulator.ts).
 */
import type { LatencySpec, SimSpec, UpstreamModel } from './types';

export const LIMITS = {
  requests: 100_000_000,
  concurrency: 100_000,
  qps: 10_000_000,
  durationMs: 30 * 86_400_000,
  latencyMs: 86_400_000,
  networkMs: 60_000,
  proxyConcurrency: 64,
  templates: 100_000,
} as const;

export class SimInputError extends Error {
  readonly errors: string[];
  readonly warnings: string[];
  constructor(errors: string[], warnings: string[] = []) {
    super(errors.length === 1 ? errors[0] : `${errors.length} problems:\n${errors.map((e) => `  - ${e}`).join('\n')}`);
    this.name = 'SimInputError';
    this.errors = errors;
    this.warnings = warnings;
  }
}

const fmt = (n: number) => n.toLocaleString('en-US');
const show = (v: unknown) => {
  if (typeof v === 'number') return Number.isFinite(v) && Math.abs(v) >= 1e9 ? v.toExponential() : String(v);
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
};
const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

class Checker {
  errors: string[] = [];
  warnings: string[] = [];

  err(msg: string): void {
    if (this.errors.length < 50) this.errors.push(msg);
  }

  num(v: unknown, where: string, o: { min?: number; max?: number; int?: boolean; exclusiveMin?: boolean; unit?: string }): v is number {
    const what = o.int ? 'a whole number' : 'a number';
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      this.err(`${where} must be ${what} (got ${show(v)})`);
      return false;
    }
    if (o.int && !Number.isInteger(v)) {
      this.err(`${where} must be a whole number (got ${show(v)})`);
      return false;
    }
    const u = o.unit ? ` ${o.unit}` : '';
    if (o.min !== undefined && (o.exclusiveMin ? v <= o.min : v < o.min)) {
      if (o.min === 0 && !o.exclusiveMin) this.err(`${where} must not be negative (got ${show(v)})`);
      else if (o.max !== undefined && o.int) this.err(`${where} must be a whole number from ${fmt(o.exclusiveMin ? o.min + 1 : o.min)} to ${fmt(o.max)} (got ${show(v)})`);
      else this.err(`${where} must be ${o.exclusiveMin ? 'more than' : 'at least'} ${fmt(o.min)}${u} (got ${show(v)})`);
      return false;
    }
    if (o.max !== undefined && v > o.max) {
      this.err(`${where}: ${show(v)}${u} is more than the simulator's limit of ${fmt(o.max)}${u}`);
      return false;
    }
    return true;
  }

  latency(v: unknown, where: string): void {
    if (typeof v === 'number') {
      this.num(v, where, { min: 0, max: LIMITS.latencyMs, unit: 'ms' });
      return;
    }
    if (!isObj(v)) {
      this.err(`${where} must be a number of milliseconds or {dist: …} (got ${show(v)})`);
      return;
    }
    const l = v as LatencySpec & Record<string, unknown>;
    const n = (k: string) => this.num(l[k], `${where}.${k}`, { min: 0, max: LIMITS.latencyMs, unit: 'ms' });
    switch (l.dist) {
      case 'fixed':
        n('ms');
        break;
      case 'uniform':
        if (n('min') && n('max') && (l.max as number) < (l.min as number)) this.err(`${where}: max (${l.max}) is below min (${l.min})`);
        break;
      case 'exponential':
        n('mean');
        break;
      case 'normal':
        n('mean');
        n('stddev');
        break;
      case 'lognormal':
        if (this.num(l.p50, `${where}.p50`, { min: 0, exclusiveMin: true, max: LIMITS.latencyMs, unit: 'ms' }) && n('p99') && (l.p99 as number) < (l.p50 as number)) this.err(`${where}: p99 (${l.p99}) is below p50 (${l.p50})`);
        break;
      default:
        this.err(`${where}.dist must be one of fixed, uniform, exponential, normal, lognormal (got ${show(l.dist)})`);
    }
  }

  status(v: unknown, where: string): void {
    this.num(v, where, { min: 100, max: 599, int: true });
  }

  rate(v: unknown, where: string): void {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1) this.err(`${where} must be a share from 0 to 1 (got ${show(v)})`);
  }

  model(m: unknown, where: string, allowPods: boolean): void {
    if (!isObj(m)) {
      this.err(`${where} must be an object (got ${show(m)})`);
      return;
    }
    const u = m as UpstreamModel & Record<string, unknown>;
    if (u.latencyMs !== undefined) this.latency(u.latencyMs, `${where}.latencyMs`);
    if (u.status !== undefined) this.status(u.status, `${where}.status`);
    if (u.errorStatus !== undefined) this.status(u.errorStatus, `${where}.errorStatus`);
    if (u.statusSequence !== undefined) {
      if (!Array.isArray(u.statusSequence) || u.statusSequence.length === 0) this.err(`${where}.statusSequence must be a non-empty array of HTTP statuses`);
      else u.statusSequence.forEach((s, i) => this.status(s, `${where}.statusSequence[${i}]`));
    }
    if (u.sequenceMode !== undefined && u.sequenceMode !== 'last' && u.sequenceMode !== 'cycle') this.err(`${where}.sequenceMode must be "last" or "cycle" (got ${show(u.sequenceMode)})`);
    if (u.behavior !== undefined && u.behavior !== 'connect_refused' && u.behavior !== 'reset') this.err(`${where}.behavior must be "connect_refused" or "reset" (got ${show(u.behavior)})`);
    for (const k of ['errorRate', 'connectFailureRate', 'resetRate'] as const) if (u[k] !== undefined) this.rate(u[k], `${where}.${k}`);
    if (u.maxConcurrency !== undefined) this.num(u.maxConcurrency, `${where}.maxConcurrency`, { min: 1, max: 1_000_000, int: true });
    if (u.pods !== undefined) {
      if (!allowPods) this.err(`${where}.pods: per-pod overrides cannot be nested`);
      else if (!isObj(u.pods)) this.err(`${where}.pods must be an object keyed by pod index or name`);
      else for (const [k, p] of Object.entries(u.pods)) this.model(p, `${where}.pods["${k}"]`, false);
    }
  }
}

/** Checks a spec's shape and limits. Returns every problem found (empty `errors` when it can run). */
export function validateSimSpec(spec: unknown): { errors: string[]; warnings: string[] } {
  const c = new Checker();
  if (!isObj(spec)) return { errors: ['the simulation spec must be an object with "traffic"'], warnings: [] };
  const s = spec as unknown as SimSpec;
  if (s.seed !== undefined) c.num(s.seed, 'seed', { int: true });
  if (!Array.isArray(s.traffic) || s.traffic.length === 0) c.err('traffic must be a non-empty array of groups ({mix: [requests…], load: {…}})');
  let total = 0;
  let templates = 0;
  (Array.isArray(s.traffic) ? s.traffic : []).forEach((g, gi) => {
    const w = `traffic[${gi}]`;
    if (!isObj(g)) {
      c.err(`${w} must be an object with "mix" and "load"`);
      return;
    }
    if (!Array.isArray(g.mix) || g.mix.length === 0) c.err(`${w}.mix must be a non-empty array of requests`);
    else {
      templates += g.mix.length;
      let sum = 0;
      g.mix.forEach((t, ti) => {
        if (!isObj(t) || !isObj(t.request) || !isObj(t.source)) {
          c.err(`${w}.mix[${ti}] must be a request object with "source" and "request"`);
          return;
        }
        if (t.weight !== undefined) {
          if (c.num(t.weight, `${w}.mix[${ti}].weight`, { min: 0 })) sum += t.weight;
        } else sum += 1;
        if (t.assume?.upstream) for (const [k, m] of Object.entries(t.assume.upstream)) c.model(m, `${w}.mix[${ti}].assume.upstream["${k}"]`, false);
        if (t.assume?.external) for (const [k, m] of Object.entries(t.assume.external)) c.model(m, `${w}.mix[${ti}].assume.external["${k}"]`, false);
      });
      if (sum <= 0 && g.mix.every((t) => isObj(t))) c.err(`${w}.mix: the weights add up to 0`);
    }
    if (g.phase !== undefined) c.num(g.phase, `${w}.phase`, { min: 0, max: 1_000_000, int: true });
    const l = g.load;
    if (!isObj(l)) {
      c.err(`${w}.load must be an object ({requests, concurrency, qps, durationMs})`);
      return;
    }
    const hasN = l.requests !== undefined;
    const hasT = l.durationMs !== undefined;
    if (hasN && c.num(l.requests, `${w}.load.requests`, { min: 1, max: LIMITS.requests, int: true })) total += l.requests!;
    if (l.concurrency !== undefined) c.num(l.concurrency, `${w}.load.concurrency`, { min: 1, max: LIMITS.concurrency, int: true });
    if (l.qps !== undefined) c.num(l.qps, `${w}.load.qps`, { min: 0, max: LIMITS.qps, unit: 'requests/s' });
    if (hasT) c.num(l.durationMs, `${w}.load.durationMs`, { min: 0, exclusiveMin: true, max: LIMITS.durationMs, unit: 'ms' });
    if (!hasN && !hasT) c.err(`${w}.load needs "requests" or "durationMs" (how much traffic to send)`);
    if (l.arrival !== undefined && l.arrival !== 'closed' && l.arrival !== 'open') c.err(`${w}.load.arrival must be "closed" or "open" (got ${show(l.arrival)})`);
    if (l.distribution !== undefined && l.distribution !== 'uniform' && l.distribution !== 'poisson') c.err(`${w}.load.distribution must be "uniform" or "poisson" (got ${show(l.distribution)})`);
    if (l.arrival === 'open' && !(typeof l.qps === 'number' && l.qps > 0)) c.err(`${w}.load: open arrivals need a "qps" above 0`);
    if (!hasN && hasT && typeof l.qps === 'number' && l.qps > 0 && typeof l.durationMs === 'number' && Number.isFinite(l.durationMs)) {
      const est = Math.ceil((l.qps * l.durationMs) / 1000);
      if (est > LIMITS.requests) c.err(`${w}.load: ${show(l.qps)} qps for ${show(l.durationMs)} ms is about ${fmt(est)} requests, more than the simulator's limit of ${fmt(LIMITS.requests)}`);
      else total += est;
    }
    if (!hasN && hasT && !(typeof l.qps === 'number' && l.qps > 0)) c.warnings.push(`${w}.load: as fast as possible for a duration — the run stops at ${fmt(LIMITS.requests)} requests if the simulated time does not run out first`);
  });
  if (total > LIMITS.requests) c.err(`traffic: ${fmt(total)} requests in all is more than the simulator's limit of ${fmt(LIMITS.requests)}`);
  if (templates > LIMITS.templates) c.err(`traffic: ${fmt(templates)} request templates is more than the limit of ${fmt(LIMITS.templates)}`);
  for (const k of ['upstream', 'external'] as const) {
    const m = s[k];
    if (m === undefined) continue;
    if (!isObj(m)) c.err(`${k} must be an object keyed by ${k === 'upstream' ? 'workload name' : 'host:port'}`);
    else for (const [name, v] of Object.entries(m)) c.model(v, `${k}["${name}"]`, true);
  }
  if (s.network !== undefined) {
    if (!isObj(s.network)) c.err('network must be an object ({connectMs, hopMs})');
    else {
      if (s.network.connectMs !== undefined) c.num(s.network.connectMs, 'network.connectMs', { min: 0, max: LIMITS.networkMs, unit: 'ms' });
      if (s.network.hopMs !== undefined) c.num(s.network.hopMs, 'network.hopMs', { min: 0, max: LIMITS.networkMs, unit: 'ms' });
    }
  }
  if (s.proxyConcurrency !== undefined) c.num(s.proxyConcurrency, 'proxyConcurrency', { min: 1, max: LIMITS.proxyConcurrency, int: true });
  if (s.results !== undefined) {
    if (!isObj(s.results)) c.err('results must be an object');
    else {
      if (s.results.maxEjectionEvents !== undefined) c.num(s.results.maxEjectionEvents, 'results.maxEjectionEvents', { min: 0, max: 1_000_000, int: true });
      if (s.results.timeSeriesBuckets !== undefined) c.num(s.results.timeSeriesBuckets, 'results.timeSeriesBuckets', { min: 1, max: 10_000, int: true });
    }
  }
  return { errors: c.errors, warnings: c.warnings };
}
