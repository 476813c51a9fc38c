import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDesign } from '../model/parse';
import { compileMesh } from './compile';
import { requestPresets, sourceChoices } from './presets';
import { trace } from './trace';

const model = parseDesign(readFileSync('src/examples/primer.yaml', 'utf8')).model;

describe('request presets derived from the design', () => {
  it('offers the ingress gateway as "from the internet" first, then the workloads', () => {
    expect(sourceChoices(model).map((s) => s.label)).toEqual(['Internet → istio-system/istio-ingressgateway', 'default/my-service-v1', 'default/my-service-v2', 'default/checkout']);
  });

  it('one preset per route match, and each preset really takes its route', () => {
    const presets = requestPresets(model);
    expect(presets.map((p) => p.label)).toEqual([
      'my-service · jason-sees-v2 — end-user = jason (from internet)',
      'my-service · pin-v1 — uri = /v1 (from internet)',
      'my-service · pin-v2 — uri = /v2 (from internet)',
      'my-service · fault-test — uri ^ /test/fault (from internet)',
      'my-service · canary — everything else (from internet)',
      'payments-through-egress · http[0] — port 80 (from default/checkout)',
    ]);
    const mesh = compileMesh(model);
    const rules = presets.map((p) => trace(mesh, p.input, { seed: 1 }).hops[0].matchedRule);
    expect(rules).toEqual(['http[0].match[0]', 'http[1].match[0]', 'http[2].match[0]', 'http[3].match[0]', 'http[4]', 'http[0].match[0]']);
  });
});
