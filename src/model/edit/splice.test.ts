import { describe, expect, it } from 'vitest';
import { parseDesign } from '../parse';
import { resourceKey, type ResourceKey } from '../resource';
import type { Patch } from './patch';
import { applyPatches, designIndex } from './splice';
import { runPatches } from './testkit';

const head = (kind = 'Widget', name = 'w') => `apiVersion: example.com/v1\nkind: ${kind}\nmetadata:\n  name: ${name}\n`;
const W: ResourceKey = resourceKey('Widget', 'default', 'w');
const set = (path: (string | number)[], value: unknown, key = W): Patch => ({ type: 'set', key, path, value });
const del = (path: (string | number)[], key = W): Patch => ({ type: 'delete', key, path });
/** Apply patches; return the new text (the round trip is checked on the way). */
const edit = (text: string, ...patches: Patch[]) => runPatches(text, patches).text;

describe('scalars are replaced in place', () => {
  it.each([
    ['plain string', 'a: v1 # keep\n', 'v2', 'a: v2 # keep\n'],
    ['single-quoted string keeps its quotes', "a: 'v1'\n", 'v2', "a: 'v2'\n"],
    ['double-quoted string keeps its quotes', 'a: "v1"\n', "it's", 'a: "it\'s"\n'],
    ['single quotes escape a quote', "a: 'v1'\n", "it's", "a: 'it''s'\n"],
    ['a number stays a number', 'a: 90\n', 80, 'a: 80\n'],
    ['a string that reads as a number gets quotes', 'a: 90\n', '80', 'a: "80"\n'],
    ['a string that reads as a boolean gets quotes', 'a: x\n', 'true', 'a: "true"\n'],
    ['a quoted number becomes a plain number', 'a: "90"\n', 80, 'a: 80\n'],
    ['a string with ": " gets quotes', 'a: x\n', 'b: c', 'a: "b: c"\n'],
    ['null', 'a: x\n', null, 'a: null\n'],
    ['an empty value gets one', 'a:\nb: 1\n', 5, 'a: 5\nb: 1\n'],
    ['inside a flow map', 'a: {b: x, c: y}\n', 'a,b', 'a: {b: "a,b", c: y}\n'],
    ['a tagged scalar loses the tag that no longer fits', 'a: !!str 12\n', 13, 'a: 13\n'],
    ['a block scalar becomes plain', 'a: |\n  one\n  two\nb: 1\n', 'x', 'a: x\nb: 1\n'],
    ['a multi-line string becomes a block scalar at the right indentation', 'a:\n  b: x # note\n  c: 1\n', 'one\ntwo', 'a:\n  b: |- # note\n    one\n    two\n  c: 1\n'],
  ])('%s', (_, before, value, after) => {
    const path = before.startsWith('a: {') ? ['spec', 'a', 'b'] : before.includes('  b: x') ? ['spec', 'a', 'b'] : ['spec', 'a'];
    const text = head() + 'spec:\n' + before.replace(/^/gm, '  ').replace(/ +$/gm, '').replace(/\n {2}$/, '\n');
    const expected = head() + 'spec:\n' + after.replace(/^/gm, '  ').replace(/ +$/gm, '').replace(/\n {2}$/, '\n');
    expect(edit(text, set(path, value))).toBe(expected);
  });
});

describe('map entries', () => {
  it('are added after the last sibling, at its indentation, before comments that follow it', () => {
    const text = head() + 'spec:\n    a: 1 # one\n    b:\n        c: 2\n# about the next document\n---\n' + head('Widget', 'x');
    expect(edit(text, set(['spec', 'd'], { e: [1, { f: 2 }] }))).toBe(
      head() + 'spec:\n    a: 1 # one\n    b:\n        c: 2\n    d:\n        e:\n        - 1\n        - f: 2\n# about the next document\n---\n' + head('Widget', 'x'),
    );
  });

  it('follow the document: indented lists, width 3', () => {
    const text = head().replace(/ {2}/g, '   ') + 'spec:\n   hosts:\n      - a\n';
    expect(edit(text, set(['spec', 'ports'], [{ number: 80, name: 'http' }]))).toBe(text + '   ports:\n      - number: 80\n        name: http\n');
  });

  it('go into a flow map as flow entries', () => {
    expect(edit(head() + 'spec: {a: 1}\n', set(['spec', 'b'], 'x y'))).toBe(head() + 'spec: {a: 1, b: x y}\n');
  });

  it('are created with the maps that lead to them', () => {
    expect(edit(head() + 'spec:\n  host: a\n', set(['spec', 'trafficPolicy', 'tls', 'mode'], 'ISTIO_MUTUAL'))).toBe(
      head() + 'spec:\n  host: a\n  trafficPolicy:\n    tls:\n      mode: ISTIO_MUTUAL\n',
    );
  });

  it('fill an empty flow map in block style', () => {
    expect(edit(head() + 'spec: {}\n', set(['spec', 'a'], 1))).toBe(head() + 'spec:\n  a: 1\n');
  });

  it('are deleted as whole lines, with the comment right above, not the next entry\'s', () => {
    const text = head() + 'spec:\n  a: 1\n  # about b\n  b:\n    c: 2\n    # deeper, still b\n  # about d\n  d: 3\n';
    expect(edit(text, del(['spec', 'b']))).toBe(head() + 'spec:\n  a: 1\n  # about d\n  d: 3\n');
  });

  it('leave `{}` when the last one goes', () => {
    expect(edit(head() + 'spec:\n  a:\n    b: 1 # gone\n  c: 2\n', del(['spec', 'a', 'b']))).toBe(head() + 'spec:\n  a: {}\n  c: 2\n');
  });

  it('on the line of a `-`: the next entry moves up', () => {
    const text = head() + 'spec:\n  http:\n  - name: a\n    route: x\n  - name: b\n';
    expect(edit(text, del(['spec', 'http', 0, 'name']))).toBe(head() + 'spec:\n  http:\n  - route: x\n  - name: b\n');
  });

  it('in a flow map are rewritten without the deleted one', () => {
    expect(edit(head() + 'spec:\n  labels: {app: x, version: v1}\n', del(['spec', 'labels', 'app']))).toBe(head() + 'spec:\n  labels: {version: v1}\n');
  });

  it('keep the comment after a value that becomes a block', () => {
    expect(edit(head() + 'spec:\n  a: null # fill me\n', set(['spec', 'a'], { b: 1 }))).toBe(head() + 'spec:\n  a: # fill me\n    b: 1\n');
  });
});

describe('list items', () => {
  const text = head() + 'spec:\n  http:\n  # first\n  - name: a\n  # second\n  - name: b\n    weight: 1\n  - name: c\n';
  it('are inserted in the siblings\' style, before the comment of the item they precede', () => {
    expect(edit(text, { type: 'insert', key: W, path: ['spec', 'http'], index: 1, value: { name: 'new', route: [{ host: 'h' }] } })).toBe(
      head() + 'spec:\n  http:\n  # first\n  - name: a\n  - name: new\n    route:\n    - host: h\n  # second\n  - name: b\n    weight: 1\n  - name: c\n',
    );
  });

  it('are appended after the last one', () => {
    expect(edit(text, { type: 'insert', key: W, path: ['spec', 'http'], index: 3, value: 'x' })).toBe(text + '  - x\n');
  });

  it('move as cut and paste of their lines, comments included', () => {
    expect(edit(text, { type: 'move', key: W, path: ['spec', 'http'], from: 1, to: 2 })).toBe(
      head() + 'spec:\n  http:\n  # first\n  - name: a\n  - name: c\n  # second\n  - name: b\n    weight: 1\n',
    );
    const run = runPatches(text, [{ type: 'move', key: W, path: ['spec', 'http'], from: 2, to: 0 }]);
    expect(run.changes).toEqual([['', '  - name: c\n'], ['  - name: c\n', '']]);
  });

  it('move with a change inside: the moved text carries it', () => {
    expect(edit(text, { type: 'move', key: W, path: ['spec', 'http'], from: 1, to: 0 }, set(['spec', 'http', 0, 'weight'], 2))).toBe(
      head() + 'spec:\n  http:\n  # second\n  - name: b\n    weight: 2\n  # first\n  - name: a\n  - name: c\n',
    );
  });

  it('are deleted with their comment; the last one leaves `[]`', () => {
    expect(edit(text, del(['spec', 'http', 1]))).toBe(head() + 'spec:\n  http:\n  # first\n  - name: a\n  - name: c\n');
    expect(edit(head() + 'spec:\n  hosts:\n  - a # only\n  port: 1\n', del(['spec', 'hosts', 0]))).toBe(head() + 'spec:\n  hosts: []\n  port: 1\n');
  });

  it('in a flow list stay flow', () => {
    const flow = head() + 'spec:\n  hosts: [a, b]\n';
    expect(edit(flow, { type: 'insert', key: W, path: ['spec', 'hosts'], index: 1, value: 'x' })).toBe(head() + 'spec:\n  hosts: [a, x, b]\n');
    expect(edit(flow, { type: 'insert', key: W, path: ['spec', 'hosts'], index: 2, value: 'c d' })).toBe(head() + 'spec:\n  hosts: [a, b, c d]\n');
    expect(edit(flow, del(['spec', 'hosts', 0]))).toBe(head() + 'spec:\n  hosts: [b]\n');
    expect(edit(flow, { type: 'move', key: W, path: ['spec', 'hosts'], from: 0, to: 1 })).toBe(head() + 'spec:\n  hosts: [b, a]\n');
  });

  it('set to a changed copy of the list: only what differs is edited', () => {
    const routes = head() + 'spec:\n  route:\n  - destination: {host: a}\n    weight: 90\n  - destination: {host: b}\n    weight: 10\n';
    const run = runPatches(routes, [set(['spec', 'route'], [{ destination: { host: 'a' }, weight: 50 }, { destination: { host: 'b' }, weight: 50 }])]);
    expect(run.changes).toEqual([['90', '50'], ['10', '50']]);
  });
});

describe('documents', () => {
  const two = '# file header\n' + head('Widget', 'a') + '# about b\n---\n' + head('Widget', 'b') + '...\n---\n# c\n' + head('Widget', 'c');
  const A = resourceKey('Widget', 'default', 'a');
  const B = resourceKey('Widget', 'default', 'b');
  const C = resourceKey('Widget', 'default', 'c');
  const obj = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { k: 'v' } });

  it('a new one is appended with `---`, keeping a missing final line break missing', () => {
    expect(edit(head(), { type: 'addResource', object: obj('n') })).toBe(head() + '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: n\ndata:\n  k: v\n');
    expect(edit(head().trimEnd(), { type: 'addResource', object: obj('n') })).toBe(head() + '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: n\ndata:\n  k: v');
    expect(edit('', { type: 'addResource', object: obj('n') })).toBe('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: n\ndata:\n  k: v\n');
  });

  it('a new one after a document goes before the comments that introduce the next', () => {
    expect(edit(two, { type: 'addResource', object: obj('n'), after: A })).toBe(two.replace('# about b\n', '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: n\ndata:\n  k: v\n# about b\n'));
  });

  it('a new one after a document that ends with `...` is closed so that the next keeps its own', () => {
    const text = head('Widget', 'a') + '...\n' + head('Widget', 'b');
    expect(edit(text, { type: 'addResource', object: obj('n'), after: A })).toBe(head('Widget', 'a') + '...\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: n\ndata:\n  k: v\n...\n' + head('Widget', 'b'));
  });

  it('removing one takes its `---`, its `...` and the comments right above, not the file header', () => {
    expect(edit(two, { type: 'removeResource', key: B })).toBe('# file header\n' + head('Widget', 'a') + '---\n# c\n' + head('Widget', 'c'));
    expect(edit(two, { type: 'removeResource', key: A })).toBe('# file header\n# about b\n---\n' + head('Widget', 'b') + '...\n---\n# c\n' + head('Widget', 'c'));
    expect(edit(two, { type: 'removeResource', key: C })).toBe('# file header\n' + head('Widget', 'a') + '# about b\n---\n' + head('Widget', 'b') + '...\n');
  });

  it('rename changes the name in place, and later patches use the new key', () => {
    expect(edit(two, { type: 'rename', key: B, name: 'bb' }, set(['metadata', 'labels'], { x: 'y' }, resourceKey('Widget', 'default', 'bb')))).toBe(
      two.replace('name: b\n', 'name: bb\n  labels:\n    x: y\n'),
    );
  });

  it('only the touched documents change; the others are not even parsed', () => {
    const broken = two + '---\n: : not yaml [\n';
    const parsed = parseDesign(broken);
    const result = applyPatches(broken, [set(['metadata', 'labels'], { x: 'y' }, A)], designIndex(parsed));
    expect(result).toMatchObject({ ok: true, fallbacks: 0 });
    expect(result.ok && result.text).toBe(broken.replace('name: a\n', 'name: a\n  labels:\n    x: y\n'));
  });
});

describe('line breaks', () => {
  it('a text with \\r\\n line breaks and a byte-order mark keeps them', () => {
    const text = '\uFEFF' + (head() + 'spec:\n  a: 1\n  l:\n  - x\n').replace(/\n/g, '\r\n');
    const after = edit(text, set(['spec', 'b'], { c: [1, 2] }), del(['spec', 'a']), { type: 'insert', key: W, path: ['spec', 'l'], index: 0, value: 'w' });
    expect(after).toBe('\uFEFF' + (head() + 'spec:\n  l:\n  - w\n  - x\n  b:\n    c:\n    - 1\n    - 2\n').replace(/\n/g, '\r\n'));
  });
});

describe('kind: List', () => {
  const list = 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: one\n  data: {a: "1"}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: two\n';
  const ONE = resourceKey('ConfigMap', 'default', 'one');
  const TWO = resourceKey('ConfigMap', 'default', 'two');
  it('resources inside are patched, added and removed as list items', () => {
    expect(edit(list, set(['data', 'a'], '2', ONE))).toBe(list.replace('"1"', '"2"'));
    expect(edit(list, { type: 'removeResource', key: ONE })).toBe('apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: two\n');
    expect(edit(list, { type: 'addResource', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'new' } }, after: ONE })).toBe(
      list.replace('- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: two\n', '- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: new\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: two\n'),
    );
    expect(edit(list, { type: 'removeResource', key: ONE }, { type: 'removeResource', key: TWO })).toBe('apiVersion: v1\nkind: List\nitems: []\n');
  });
});

describe('fallback and errors', () => {
  it('a document the splicer cannot edit is printed again by the yaml library, alone, and counted', () => {
    const odd = head() + '? spec\n: {a: 1}\n';
    const text = '# header\n' + odd + '---\n# untouched\n' + head('Widget', 'x') + 'spec:   {b:    2}\n';
    const parsed = parseDesign(text);
    const result = applyPatches(text, [set(['spec', 'a'], 2)], designIndex(parsed));
    if (!result.ok) throw new Error(result.error);
    expect(result.fallbacks).toBe(1);
    expect(result.text.endsWith('---\n# untouched\n' + head('Widget', 'x') + 'spec:   {b:    2}\n')).toBe(true);
    expect(parseDesign(result.text).model.byKey.get(W)!.spec).toEqual({ a: 2 });
  });

  it.each([
    ['an unknown resource', [set(['spec'], 1, resourceKey('Widget', 'default', 'nope'))], 'no resource Widget/default/nope'],
    ['a path through a scalar', [set(['metadata', 'name', 'x'], 1)], 'set .metadata.name.x: .metadata.name is a scalar, not a map or list'],
    ['removing the name', [del(['metadata', 'name'])], 'delete .metadata.name: the resource needs it'],
    ['a rename onto another resource', [{ type: 'rename', key: W, name: 'x' } as Patch], 'rename: Widget/default/x exists'],
    ['an insert past the end', [{ type: 'insert', key: W, path: ['spec', 'l'], index: 3, value: 1 } as Patch], 'insert .spec.l: index 3 out of range 0..1'],
  ])('%s is refused', (_, patches, error) => {
    const text = head() + 'spec:\n  l: [1]\n---\n' + head('Widget', 'x');
    expect(applyPatches(text, patches)).toEqual({ ok: false, error });
  });

  it('a touched document with a YAML error is refused; a stale index is detected', () => {
    const text = head() + 'spec: {a: [1}\n';
    const parsed = parseDesign(head() + 'spec: {}\n');
    expect(applyPatches(text, [set(['spec', 'a'], 1)], designIndex(parsed))).toMatchObject({ ok: false });
    const good = head() + 'spec: {a: 1}\n';
    expect(applyPatches(good, [set(['spec', 'a'], 2)], designIndex(parseDesign(head() + 'spec: {a: 3}\n')))).toEqual({ ok: false, error: 'the design index does not match the text' });
  });
});
