/** Every example parses cleanly, passes the analyzer, and its suggested request ends where its card says. */
import { describe, expect, it } from 'vitest';
import { analyze } from '../analysis';
import { compileMesh, trace } from '../engine';
import { parseDesign } from '../model/parse';
import { EXAMPLES, requestInput } from './index';

describe('examples gallery', () => {
  it('has unique ids and a two-line explanation for each', () => {
    expect(new Set(EXAMPLES.map((e) => e.id)).size).toBe(EXAMPLES.length);
    for (const e of EXAMPLES) {
      expect(e.explanation.every((line) => line.length > 10 && line.length < 100), e.id).toBe(true);
      expect(e.text.length, e.id).toBeGreaterThan(200);
    }
  });

  describe.each(EXAMPLES.map((e) => [e.id, e] as const))('%s', (_id, example) => {
    const parsed = parseDesign(example.text);

    it('parses without diagnostics', () => {
      expect(parsed.diagnostics.map((d) => `${d.range.line}: ${d.message}`)).toEqual([]);
    });

    it('passes the analyzer without errors or warnings', () => {
      expect(analyze(parsed.model).filter((m) => m.level !== 'Info').map((m) => `${m.code} ${m.resource}: ${m.message}`)).toEqual([]);
    });

    it('routes its suggested request to the intended destination', () => {
      const mesh = compileMesh(parsed.model);
      expect(mesh.issues).toEqual([]);
      const t = trace(mesh, requestInput(example.request), { seed: 1 });
      const want = example.expect;
      expect(t.status).toBe(want.status);
      if (want.workloads) expect(want.workloads).toContain(t.destination?.workload);
      if (want.external) expect(`${t.destination?.service}:${t.destination?.port}`).toBe(want.external);
      if (want.delayMs !== undefined) expect(t.delayMs).toBe(want.delayMs);
    });
  });

  it('canary: about 10 % of requests reach v2', () => {
    const canary = EXAMPLES.find((e) => e.id === 'canary')!;
    const mesh = compileMesh(parseDesign(canary.text).model);
    let v2 = 0;
    for (let seed = 1; seed <= 1000; seed++) if (trace(mesh, requestInput(canary.request), { seed }).destination?.workload === 'my-service-v2') v2++;
    expect(v2).toBeGreaterThan(70);
    expect(v2).toBeLessThan(130);
  });

  it('fault injection: user tester gets the injected 500', () => {
    const ex = EXAMPLES.find((e) => e.id === 'fault-injection')!;
    const t = trace(compileMesh(parseDesign(ex.text).model), requestInput({ ...ex.request, headers: { 'end-user': 'tester' } }), { seed: 1 });
    expect([t.status, t.flags]).toEqual([500, ['FI']]);
  });

  it('egress: the sidecar speaks Istio mTLS to the gateway, which originates TLS', () => {
    const ex = EXAMPLES.find((e) => e.id === 'egress-tls')!;
    const t = trace(compileMesh(parseDesign(ex.text).model), requestInput(ex.request), { seed: 1 });
    expect(t.hops.map((h) => [h.proxy, h.upstreamTls])).toEqual([
      ['sidecar checkout.default', 'Istio mTLS'],
      ['gateway istio-egressgateway.istio-system', 'TLS (originated by the proxy)'],
    ]);
  });
});
