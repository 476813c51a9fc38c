/** Zip export: one file per resource, named by kind, namespace and name, each as written. */
import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parseDesign } from '../model/parse';
import { resourceFiles, zipFiles } from './zip';

const primer = readFileSync(new URL('../examples/primer.yaml', import.meta.url), 'utf8');

describe('zip export', () => {
  it('names one file per resource <kind>-<namespace>-<name>.yaml and keeps each document as written', () => {
    const files = resourceFiles(primer);
    expect(files.map((f) => f.name)).toEqual([
      'namespace-default.yaml',
      'service-default-my-service.yaml',
      'deployment-default-my-service-v1.yaml',
      'deployment-default-my-service-v2.yaml',
      'deployment-default-checkout.yaml',
      'gateway-default-shop-gateway.yaml',
      'virtualservice-default-my-service.yaml',
      'destinationrule-default-my-service.yaml',
      'serviceentry-default-payment-api.yaml',
      'gateway-default-istio-egressgateway.yaml',
      'destinationrule-default-egressgateway-for-payments.yaml',
      'virtualservice-default-payments-through-egress.yaml',
    ]);
    // Comments travel with their document; no file carries a document marker.
    expect(files[5].text.startsWith('# Ingress: external traffic for shop.example.com')).toBe(true);
    for (const f of files) {
      expect(f.text).not.toMatch(/^---/m);
      expect(parseDesign(f.text).model.resources).toHaveLength(1);
    }
    // Together they are the same design.
    const again = parseDesign(files.map((f) => f.text).join('---\n')).model.resources.map((r) => r.object);
    expect(again).toEqual(parseDesign(primer).model.resources.map((r) => r.object));
  });

  it('zips them (deterministically) so that unzipping gives the files back', () => {
    const files = resourceFiles(primer);
    const zip = zipFiles(files);
    expect([...zip.subarray(0, 4)]).toEqual([0x50, 0x4b, 0x03, 0x04]);
    const back = unzipSync(zip);
    expect(Object.keys(back)).toEqual(files.map((f) => f.name));
    for (const f of files) expect(strFromU8(back[f.name])).toBe(f.text);
    expect(zipFiles(files)).toEqual(zip);
  });

  it('prints objects of a List, makes names safe and unique', () => {
    const text = `apiVersion: v1
kind: List
items:
- {apiVersion: v1, kind: Service, metadata: {name: a, namespace: x}, spec: {ports: [{port: 80}]}}
- {apiVersion: v1, kind: Service, metadata: {name: b, namespace: x}, spec: {ports: [{port: 80}]}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: "../../etc", namespace: x}
data: {}
`;
    const files = resourceFiles(text);
    expect(files.map((f) => f.name)).toEqual(['service-x-a.yaml', 'service-x-b.yaml', 'configmap-x-_etc.yaml']);
    expect(files[1].text).toContain('name: b');
  });
});
