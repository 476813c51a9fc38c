import { describe, expect, it } from 'vitest';
import { bookinfo, explained, fixture, get, meshWith } from './fixtures/testutil';

const DRS = fixture('bookinfo-destination-rules.yaml');
const ratings = (rule: string) => `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ratings}
spec:
  hosts: [ratings]
  http:
  - route: [{destination: {host: ratings, subset: v1}}]
${rule}`;
const call = (rule: string, assume?: Parameters<typeof get>[4], seed = 1) => get(bookinfo(DRS, ratings(rule)), 'reviews-v2', 'ratings:9080', {}, assume, seed);

describe('fault injection', () => {
  it('fault abort answers with its status from the client proxy, flag FI, no upstream contact', () => {
    const t = call('    fault: {abort: {httpStatus: 500, percentage: {value: 100}}}');
    expect([t.status, t.flags, t.upstreamAttempts, t.responseFrom]).toEqual([500, ['FI'], 0, 'sidecar reviews-v2.default (fault abort)']);
  });

  it('fault delay holds the request, flag DI, then forwards it', () => {
    const t = call('    fault: {delay: {fixedDelay: 7s, percentage: {value: 100}}}', { upstream: { 'ratings-v1': { latencyMs: 20 } } });
    expect([t.status, t.flags, t.delayMs, t.durationMs]).toEqual([200, ['DI'], 7000, 7020]);
  });

  it('an omitted fault percentage affects no request (current Istio)', () => {
    const t = call('    fault: {abort: {httpStatus: 500}, delay: {fixedDelay: 1s}}');
    expect([t.status, t.flags, t.delayMs]).toEqual([200, [], 0]);
    expect(explained(t)).toMatch(/percentage omitted or 0: no request is delayed/);
  });

  it('the deprecated integer percent on delay is still honoured', () => {
    expect(call('    fault: {delay: {fixedDelay: 1s, percent: 100}}').delayMs).toBe(1000);
  });

  it('fault percentages apply to the share of requests', () => {
    const c = bookinfo(DRS, ratings('    fault: {abort: {httpStatus: 503, percentage: {value: 30}}}'));
    let aborted = 0;
    for (let seed = 1; seed <= 1000; seed++) if (get(c, 'reviews-v2', 'ratings:9080', {}, undefined, seed).flags.includes('FI')) aborted++;
    expect(aborted).toBeGreaterThan(250);
    expect(aborted).toBeLessThan(350);
  });

  it('delay and abort together: delayed, then aborted', () => {
    const t = call('    fault: {delay: {fixedDelay: 2s, percentage: {value: 100}}, abort: {httpStatus: 418, percentage: {value: 100}}}');
    expect([t.status, t.flags, t.durationMs]).toEqual([418, ['DI', 'FI'], 2000]);
  });

  it('an injected abort is never retried and never mirrored', () => {
    const t = call(`    fault: {abort: {httpStatus: 503, percentage: {value: 100}}}
    retries: {attempts: 3, retryOn: 5xx}
    mirror: {host: ratings}`);
    expect([t.status, t.upstreamAttempts, t.mirroredTo]).toEqual([503, 0, []]);
  });

  it('a fault delay does not count against the route timeout of its own route', () => {
    const t = call(`    timeout: 1s
    fault: {delay: {fixedDelay: 5s, percentage: {value: 100}}}`, { upstream: { 'ratings-v1': { latencyMs: 500 } } });
    expect([t.status, t.durationMs]).toEqual([200, 5500]);
  });
});

describe('timeouts', () => {
  it('no timeout by default: a slow upstream is waited for', () => {
    const t = call('', { upstream: { 'ratings-v1': { latencyMs: 60_000 } } });
    expect([t.status, t.durationMs]).toEqual([200, 60_000]);
  });

  it('a route timeout gives 504 UT after the timeout', () => {
    const t = call('    timeout: 0.5s', { upstream: { 'ratings-v1': { latencyMs: 2000 } } });
    expect([t.status, t.flags, t.durationMs]).toEqual([504, ['UT'], 500]);
  });

  it('the route timeout covers all retries', () => {
    const t = call(`    timeout: 1s
    retries: {attempts: 5, retryOn: 5xx}`, { upstream: { 'ratings-v1': { status: 503, latencyMs: 400 } } });
    expect([t.status, t.flags, t.durationMs]).toEqual([504, ['UT'], 1000]);
    expect(t.upstreamAttempts).toBeGreaterThanOrEqual(2);
  });

  it('x-envoy-upstream-rq-timeout-ms from the application overrides the route timeout on a sidecar', () => {
    const t = get(bookinfo(DRS, ratings('')), 'reviews-v2', 'ratings:9080', { headers: { 'x-envoy-upstream-rq-timeout-ms': '100' } }, { upstream: { 'ratings-v1': { latencyMs: 300 } } });
    expect([t.status, t.durationMs]).toEqual([504, 100]);
  });
});

describe('retries', () => {
  it("Istio's default retry policy does not retry an upstream 503", () => {
    const t = call('', { upstream: { 'ratings-v1': { statusSequence: [503, 200] } } });
    expect([t.status, t.upstreamAttempts, t.flags]).toEqual([503, 1, []]);
  });

  it("Istio's default retry policy retries connection failures twice (503 UF,URX)", () => {
    const dep = fixture('bookinfo.yaml').replace(/app: ratings\n        version: v1\n    spec:/, 'app: ratings\n        version: v1\n      annotations: {sidecar.istio.io/inject: "false"}\n    spec:');
    const t = get(meshWith({}, dep, DRS), 'reviews-v2', 'ratings:9080', {}, { upstream: { 'ratings-v1': { behavior: 'connect_refused' } } });
    expect([t.status, t.flags, t.upstreamAttempts]).toEqual([503, ['UF', 'URX'], 3]);
  });

  it('a refused connection behind a server sidecar reaches the caller as a 503 response from that sidecar', () => {
    const t = call('', { upstream: { 'ratings-v1': { behavior: 'connect_refused' } } });
    expect([t.status, t.flags, t.upstreamAttempts]).toEqual([503, [], 1]);
    expect(t.responseFrom).toBe('inbound sidecar of ratings-v1.default');
  });

  it('explicit retryOn 5xx retries upstream 5xx responses up to attempts', () => {
    const t = call('    retries: {attempts: 2, retryOn: 5xx}', { upstream: { 'ratings-v1': { statusSequence: [503, 500, 200] } } });
    expect([t.status, t.upstreamAttempts]).toEqual([200, 3]);
  });

  it('retries exhausted on a retriable status return the last response with URX', () => {
    const t = call('    retries: {attempts: 1, retryOn: gateway-error}', { upstream: { 'ratings-v1': { status: 502 } } });
    expect([t.status, t.flags, t.upstreamAttempts]).toEqual([502, ['URX'], 2]);
  });

  it('gateway-error does not retry a 500', () => {
    const t = call('    retries: {attempts: 3, retryOn: gateway-error}', { upstream: { 'ratings-v1': { statusSequence: [500, 200] } } });
    expect([t.status, t.upstreamAttempts]).toEqual([500, 1]);
  });

  it('numeric retryOn entries become retriable status codes', () => {
    const t = call('    retries: {attempts: 2, retryOn: "409,429"}', { upstream: { 'ratings-v1': { statusSequence: [429, 200] } } });
    expect([t.status, t.upstreamAttempts]).toEqual([200, 2]);
  });

  it('attempts 0 disables retries (not the mesh default)', () => {
    const dep = fixture('bookinfo.yaml').replace(/app: ratings\n        version: v1\n    spec:/, 'app: ratings\n        version: v1\n      annotations: {sidecar.istio.io/inject: "false"}\n    spec:');
    const t = get(meshWith({}, dep, DRS, ratings('    retries: {attempts: 0}')), 'reviews-v2', 'ratings:9080', {}, { upstream: { 'ratings-v1': { behavior: 'connect_refused' } } });
    expect([t.status, t.flags, t.upstreamAttempts]).toEqual([503, ['UF'], 1]);
  });

  it('an upstream reset is retried under retryOn reset and answered 503 UC when retries run out', () => {
    const dep = fixture('bookinfo.yaml').replace(/app: ratings\n        version: v1\n    spec:/, 'app: ratings\n        version: v1\n      annotations: {sidecar.istio.io/inject: "false"}\n    spec:');
    const t = get(meshWith({}, dep, DRS, ratings('    retries: {attempts: 1, retryOn: reset}')), 'reviews-v2', 'ratings:9080', {}, { upstream: { 'ratings-v1': { behavior: 'reset', latencyMs: 10 } } });
    expect([t.status, t.flags, t.upstreamAttempts]).toEqual([503, ['UC', 'URX'], 2]);
  });

  it('statusSequence gives successive attempts successive statuses', () => {
    const t = call('    retries: {attempts: 3, retryOn: 5xx}', { upstream: { 'ratings-v1': { statusSequence: [500, 502, 200] } } });
    expect([t.status, t.upstreamAttempts]).toEqual([200, 3]);
    expect(explained(t)).toMatch(/attempt 1: 500[\s\S]*attempt 2: 502[\s\S]*attempt 3: 200/);
  });

  it('perTryTimeout fires per attempt and is retried under 5xx', () => {
    const t = call('    retries: {attempts: 2, perTryTimeout: 100ms, retryOn: 5xx}', { upstream: { 'ratings-v1': { latencyMs: 1000 } } });
    expect([t.status, t.flags, t.upstreamAttempts]).toEqual([504, ['UT', 'URX'], 3]);
    expect(t.durationMs).toBeGreaterThanOrEqual(300);
  });

  it('the mesh default retry policy comes from meshConfig.defaultHttpRetryPolicy when set', () => {
    const c = meshWith({ defaultHttpRetryPolicy: { attempts: 1, retryOn: '503' } }, fixture('bookinfo.yaml'), DRS, ratings(''));
    const t = get(c, 'reviews-v2', 'ratings:9080', {}, { upstream: { 'ratings-v1': { statusSequence: [503, 200] } } });
    expect([t.status, t.upstreamAttempts]).toEqual([200, 2]);
  });
});
