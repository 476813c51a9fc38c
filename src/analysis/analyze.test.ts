/** The analyzer as a whole: clean designs stay clean, messages are located in the text, options, data shape. */
import { describe, expect, it } from 'vitest';
import { generateMesh } from '../../bench/gen';
import { parseDesign } from '../model/parse';
import { analyze, diagnosticsToMessages, locate } from './index';
import { BOOKINFO, designOf } from './fixtures/testutil';

const MISSING_SUBSET = BOOKINFO.replace('route: [{destination: {host: reviews, subset: v2}}]', 'route: [{destination: {host: reviews, subset: v4}}]');

describe('analyze', () => {
  it('finds nothing in Bookinfo, nor in generated meshes', () => {
    expect(analyze(designOf(BOOKINFO))).toEqual([]);
    expect(analyze(parseDesign(generateMesh({ services: 100, seed: 3 }), { validate: false }).model)).toEqual([]);
  });

  it('returns plain data that survives structured cloning (the worker boundary) and JSON', () => {
    const ms = analyze(designOf(MISSING_SUBSET));
    expect(ms).toHaveLength(1);
    expect(structuredClone(ms)).toEqual(ms);
    expect(JSON.parse(JSON.stringify(ms))).toEqual(ms);
  });

  it('suppresses codes on request and takes the root namespace from options', () => {
    expect(analyze(designOf(MISSING_SUBSET), { suppress: ['IST0101'] })).toEqual([]);
    // With another root namespace, the built-in ingress gateway lives there: still found by selector.
    expect(analyze(designOf(BOOKINFO), { rootNamespace: 'mesh-root' })).toEqual([]);
  });

  it('orders messages by document, then field', () => {
    const text = `${BOOKINFO}\n---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: zz}\nspec: {host: nowhere, subsets: [{name: a}]}`
      .replace('route: [{destination: {host: reviews, subset: v1}}]', 'route: [{destination: {host: reviews, subset: v9}, weight: 50}]');
    const ms = analyze(parseDesign(text, { validate: false }).model);
    expect(ms.map((m) => `${m.code} ${m.key} ${m.path.join('.')}`)).toEqual([
      'IST0101 VirtualService/default/reviews spec.http.1.route.0.destination.subset',
      'MC101 VirtualService/default/reviews spec.http.1.route.0.weight',
      'IST0174 DestinationRule/default/zz spec.host',
      'MC103 DestinationRule/default/zz spec.subsets.0',
    ]);
  });
});

describe('locate', () => {
  it('puts a message on its field in the text', () => {
    const parsed = parseDesign(MISSING_SUBSET);
    const [m] = locate(analyze(parsed.model), parsed);
    const lines = MISSING_SUBSET.split('\n');
    expect(lines[m.line - 1].slice(m.column - 1)).toMatch(/^v4\}\}\]/);
    expect(MISSING_SUBSET.slice(m.range.from, m.range.to)).toBe('v4');
    expect(m.range).toMatchObject({ line: m.line, column: m.column, endLine: m.line });
  });

  it('falls back to the key of the closest ancestor for a field that is not written', () => {
    const text = 'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: g}\nspec:\n  selector: {istio: ingressgateway}\n  servers:\n  - port: {number: 9000, name: p, protocol: HTTP}\n    hosts: [a.example.com]\n';
    const parsed = parseDesign(text);
    const [m] = locate([{ ...analyze(parsed.model)[0], path: ['spec', 'servers', 0, 'tls', 'mode'] }], parsed);
    // The deepest written ancestor is the list item `servers[0]` (a list item has no key: its whole value).
    expect(text.slice(m.range.from, m.range.to)).toBe('port: {number: 9000, name: p, protocol: HTTP}\n    hosts: [a.example.com]\n');
    expect([m.line, m.column]).toEqual([7, 5]);
  });

  it('turns schema diagnostics into messages too', () => {
    const parsed = parseDesign('apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: x}\nspec: {hosts: [x], http: [{route: [{destination: {host: x}}], timeout: 5}]}\n');
    const ms = diagnosticsToMessages(parsed.diagnostics, parsed);
    expect(ms.map((m) => `${m.level} ${m.code} ${m.name} ${m.resource}`)).toEqual(['Error IST0106 SchemaValidationError VirtualService default/x']);
    expect(ms[0].line).toBe(4);
  });
});
