import { describe, expect, it } from 'vitest';
import type { SimResult } from '../engine/sim/types';
import { compareRuns, errorRate, fitLabel, shortHost, statRows, subsetShares } from './results';

const result = (bySubset: Record<string, number>, statusCounts: Record<string, number>, p99: number, stats: SimResult['stats'] = {}) =>
  ({ total: { count: Object.values(statusCounts).reduce((a, b) => a + b, 0), bySubset, statusCounts, latencyMs: { p99 } }, stats }) as unknown as SimResult;

describe('load results for the panel', () => {
  it('fits a subset name to its room on a chart axis, keeping its end', () => {
    expect(fitLabel('my-service/v1', 200)).toBe('my-service/v1');
    expect(fitLabel('istio-egressgateway/payments', 70)).toBe('…payments');
    expect(fitLabel('istio-egressgateway/payments', 70).length * 6.5).toBeLessThanOrEqual(70);
    expect(fitLabel('my-service/v1', 5)).toBe('…v1');
  });

  it('names subsets and clusters short, in any namespace', () => {
    expect(shortHost('my-service.default.svc.cluster.local/v1')).toBe('my-service/v1');
    expect(shortHost('istio-egressgateway.istio-system.svc.cluster.local/payments')).toBe('istio-egressgateway/payments');
    expect(shortHost('outbound|80|v1|reviews.shop.svc.cluster.local')).toBe('outbound|80|v1|reviews');
    expect(shortHost('api.payments.example')).toBe('api.payments.example');
  });

  it('shares per subset, largest first; the error rate counts 5xx and no answer, not a completed TCP exchange', () => {
    const r = result({ 'a.default.svc.cluster.local/v1': 900, 'a.default.svc.cluster.local/v2': 100 }, { 200: 880, 404: 20, 503: 60, connection_reset: 20, connected: 20 }, 12);
    expect(subsetShares(r).map((s) => [s.name, s.share])).toEqual([
      ['a/v1', 90],
      ['a/v2', 10],
    ]);
    expect(errorRate(r)).toBeCloseTo((80 / 1000) * 100, 6);
  });

  it('compares two runs: shares, error rate and p99 side by side', () => {
    const before = result({ 'a.default.svc.cluster.local/v1': 90, 'a.default.svc.cluster.local/v2': 10 }, { 200: 100 }, 10);
    const after = result({ 'a.default.svc.cluster.local/v1': 50, 'a.default.svc.cluster.local/v2': 50 }, { 200: 50, 503: 50 }, 30);
    expect(compareRuns(before, after)).toEqual([
      { what: 'share a/v1', before: 90, after: 50, unit: '%' },
      { what: 'share a/v2', before: 10, after: 50, unit: '%' },
      { what: 'error rate', before: 0, after: 50, unit: '%' },
      { what: 'p99 latency', before: 10, after: 30, unit: 'ms' },
    ]);
  });

  it('lists the Envoy counters worth reading, split into cluster and stat', () => {
    const r = result({}, {}, 0, {
      'sidecar fortio.default': {
        'cluster.outbound|8000||httpbin.default.svc.cluster.local.upstream_rq_pending_overflow': 7,
        'cluster.outbound|8000||httpbin.default.svc.cluster.local.upstream_rq_active': 3,
        'cluster.outbound|8000||httpbin.default.svc.cluster.local.outlier_detection.ejections_active': 1,
        'cluster.outbound|8000||httpbin.default.svc.cluster.local.upstream_cx_overflow': 0,
      },
    });
    expect(statRows(r)).toEqual([
      { proxy: 'sidecar fortio.default', cluster: 'outbound|8000||httpbin.default.svc.cluster.local', stat: 'upstream_rq_pending_overflow', value: 7 },
      { proxy: 'sidecar fortio.default', cluster: 'outbound|8000||httpbin.default.svc.cluster.local', stat: 'outlier_detection.ejections_active', value: 1 },
    ]);
  });
});
