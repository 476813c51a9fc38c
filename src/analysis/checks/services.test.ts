/** IST0118 (istio.io page PortNameIsNotUnderNamingConvention) next to near-identical Services that are fine. */
import { describe, expect, it } from 'vitest';
import { run, summary } from '../fixtures/testutil';

const svc = (ports: string, ns = 'default', extra = '') => run(`
apiVersion: v1
kind: Service
metadata: {name: web, namespace: ${ns}${extra}}
spec: {selector: {app: web}, ports: ${ports}}`);

describe('IST0118 port naming', () => {
  it('reports a port name without a protocol prefix', () => {
    const ms = svc('[{name: web, port: 80, targetPort: 8080}]');
    expect(summary(ms)).toEqual(['Info IST0118 Service default/web ["spec","ports",0,"name"]']);
    expect(ms[0].message).toMatch(/^Port name web \(port: 80, targetPort: 8080\) doesn't follow the naming convention of Istio port/);
    expect(ms[0].name).toBe('PortNameIsNotUnderNamingConvention');
  });

  it('accepts <protocol>[-suffix] names and appProtocol', () => {
    expect(svc('[{name: http-web, port: 80, targetPort: 8080}, {name: grpc, port: 9090}, {name: tcp-db, port: 5432}]')).toEqual([]);
    expect(svc('[{name: web, appProtocol: http, port: 80}]')).toEqual([]);
    expect(svc('[{name: dns, protocol: UDP, port: 53}]')).toEqual([]);
  });

  it('reports an unnamed port, and skips system namespaces and the control plane', () => {
    expect(summary(svc('[{port: 80}]'))).toEqual(['Info IST0118 Service default/web ["spec","ports",0]']);
    expect(svc('[{name: metrics, port: 9090}]', 'kube-system')).toEqual([]);
    expect(svc('[{name: metrics, port: 9090}]', 'istio-system', ', labels: {istio: pilot}')).toEqual([]);
    expect(summary(svc('[{name: metrics, port: 9090}]', 'istio-system', ', labels: {app: web}'))).toHaveLength(1);
  });
});
