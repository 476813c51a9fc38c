/**
 * Upstream application behaviour: the resolved model of a pod (or external host) and the draws
 * made per request — latency from a distribution, status (sequence, error rate), resets.
 */
import type { Rng } from '../rng';
import type { LatencySpec, UpstreamModel } from './types';

export const DEFAULT_LATENCY_MS = 1;

export const B_NONE = 0;
export const B_REFUSED = 1;
export const B_RESET = 2;

/** A resolved behaviour. Pods without their own override share their workload's model (and its status-sequence position). */
export class AppModel {
  latKind = 0;
  la = DEFAULT_LATENCY_MS;
  lb = 0;
  status = 200;
  seq: number[] | null = null;
  cycle = false;
  seqIdx = 0;
  errorRate = 0;
  errorStatus = 503;
  behavior = B_NONE;
  connectFailureRate = 0;
  resetRate = 0;
  maxConcurrency = Infinity;

  constructor(m: UpstreamModel | undefined) {
    if (!m) return;
    setLatency(this, m.latencyMs);
    if (typeof m.status === 'number') this.status = m.status;
    if (Array.isArray(m.statusSequence) && m.statusSequence.length) this.seq = m.statusSequence.slice();
    this.cycle = m.sequenceMode === 'cycle';
    if (typeof m.errorRate === 'number') this.errorRate = m.errorRate;
    if (typeof m.errorStatus === 'number') this.errorStatus = m.errorStatus;
    this.behavior = m.behavior === 'connect_refused' ? B_REFUSED : m.behavior === 'reset' ? B_RESET : B_NONE;
    if (typeof m.connectFailureRate === 'number') this.connectFailureRate = m.connectFailureRate;
    if (typeof m.resetRate === 'number') this.resetRate = m.resetRate;
    if (typeof m.maxConcurrency === 'number') this.maxConcurrency = m.maxConcurrency;
  }

  /** The status of the next answer: sequence (per model), then the error-rate draw, then `status`. */
  nextStatus(rng: Rng): number {
    const s = this.seq;
    if (s !== null) {
      const i = this.seqIdx++;
      return this.cycle ? s[i % s.length] : s[i < s.length ? i : s.length - 1];
    }
    if (this.errorRate > 0 && rng.next() < this.errorRate) return this.errorStatus;
    return this.status;
  }

  latency(rng: Rng): number {
    switch (this.latKind) {
      case 0:
        return this.la;
      case 1:
        return this.la + rng.next() * (this.lb - this.la);
      case 2:
        return -this.la * Math.log(1 - rng.next());
      case 3: {
        const v = this.la + this.lb * gaussian(rng);
        return v > 0 ? v : 0;
      }
      default:
        return Math.exp(this.la + this.lb * gaussian(rng));
    }
  }
}

/** Standard normal draw (Box–Muller, one value per two uniforms). */
function gaussian(rng: Rng): number {
  const u = 1 - rng.next();
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

const Z99 = 2.3263478740408408;

function setLatency(m: AppModel, l: LatencySpec | undefined): void {
  if (l === undefined) return;
  if (typeof l === 'number') {
    m.latKind = 0;
    m.la = l;
    return;
  }
  switch (l.dist) {
    case 'fixed':
      m.latKind = 0;
      m.la = l.ms;
      return;
    case 'uniform':
      m.latKind = 1;
      m.la = l.min;
      m.lb = l.max;
      return;
    case 'exponential':
      m.latKind = 2;
      m.la = l.mean;
      return;
    case 'normal':
      m.latKind = 3;
      m.la = l.mean;
      m.lb = l.stddev;
      return;
    case 'lognormal':
      m.latKind = 4;
      m.la = Math.log(l.p50);
      m.lb = l.p99 > l.p50 ? Math.log(l.p99 / l.p50) / Z99 : 0;
      return;
  }
}

/** Merges a pod override over its workload's model (fields of the override win). */
export function mergeModels(base: UpstreamModel | undefined, over: UpstreamModel | undefined): UpstreamModel | undefined {
  if (!over) return base;
  if (!base) return over;
  return { ...base, ...over };
}
