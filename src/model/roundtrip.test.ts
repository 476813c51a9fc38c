/**
 * Property tests: random designs written as YAML text in random styles (comments, key order, quoting, flow/block,
 * blank lines, document markers, trailing newline) must (a) print back byte for byte from the CST, (b) parse to
 * exactly the generated objects, and (c) map every scalar field to its exact source text.
 */
import fc from 'fast-check';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseDesign } from './parse';
import { printDocuments } from './print';
import { pointer } from './sourcemap';

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };
type Path = (string | number)[];

// ---------------------------------------------------------------------------------------------------------------
// Random objects

const reserved = new Set(['true', 'false', 'null', 'True', 'False', 'Null', 'TRUE', 'FALSE', 'NULL']);
const dnsName = fc.stringMatching(/^[a-z][a-z0-9-]{0,9}$/).filter((s) => !reserved.has(s) && !s.endsWith('-'));
const namespace = fc.option(fc.constantFrom('default', 'shop', 'istio-system', 'team-a'), { nil: undefined });
/** Strings that need quoting somewhere: look like numbers, booleans or null, hold `: `, `#`, quotes, spaces or unicode. */
const awkward = fc.constantFrom('80', '1.0', 'true', 'null', '~', '', ' padded ', 'a: b', '#hash', "it's", 'say "hi"', 'héllo wörld', '中文', '*', '- dash', '{x}', '[y]', 'tab\there', 'back\\slash', '100%', '@at', '`tick`', 'x,y');
const text = fc.oneof(dnsName, awkward, fc.string({ unit: fc.constantFrom(...'abc XYZ:#\'"-,.{}[]é!?'.split('')), maxLength: 12 }));
const multiline = fc
  .tuple(fc.array(fc.stringMatching(/^[a-z0-9#:]([a-z0-9 #:{}]{0,12}[a-z0-9#:}])?$/), { minLength: 1, maxLength: 3 }), fc.boolean())
  .map(([lines, nl]) => lines.join('\n') + (nl ? '\n' : ''));
const labelKey = fc.constantFrom('app', 'version', 'app.kubernetes.io/name', 'team', 'tier');
const labels = (min = 0) => fc.dictionary(labelKey, fc.oneof(dnsName, fc.constantFrom('v1', '1.0', 'true', '')), { minKeys: min, maxKeys: 3 });
const annotations = fc.dictionary(fc.constantFrom('note', 'example.com/owner', 'a~b', 'sidecar.istio.io/inject', 'odd key: yes', '#hash', '80'), text, { maxKeys: 3 });
const port = fc.integer({ min: 1, max: 65535 });
const host = fc.oneof(dnsName, dnsName.map((n) => `${n}.example.com`), dnsName.map((n) => `${n}.shop.svc.cluster.local`));
const duration = fc.constantFrom('1s', '250ms', '3s', '1m');

function metadata(kind: string): fc.Arbitrary<Obj> {
  return fc.record({ name: dnsName, namespace: kind === 'Namespace' ? fc.constant(undefined) : namespace, labels: labels(), annotations }, { requiredKeys: ['name'] })
    .map((m) => clean({ ...m, labels: nonEmpty(m.labels), annotations: nonEmpty(m.annotations) }) as Obj);
}

const specs: Record<string, fc.Arbitrary<{ apiVersion: string; body: Obj }>> = {
  Service: fc.record({
    selector: labels(1),
    ports: fc.array(fc.record({ name: fc.constantFrom('http', 'grpc-api', 'tcp-db', 'metrics'), port, targetPort: port, appProtocol: fc.constantFrom('http', 'grpc', 'tcp') }, { requiredKeys: ['port'] }), { minLength: 1, maxLength: 3 }),
  }).map((spec) => ({ apiVersion: 'v1', body: { spec } })),
  Deployment: fc.record({ replicas: fc.nat(5), labels: labels(1), image: fc.constantFrom('nginx', 'example/web:1.2.3', 'registry.example:5000/app@sha256:abc') })
    .map(({ replicas, labels: l, image }) => ({
      apiVersion: 'apps/v1',
      body: { spec: { replicas, selector: { matchLabels: l }, template: { metadata: { labels: l }, spec: { containers: [{ name: 'app', image }] } } } },
    })),
  VirtualService: fc.record({
    version: fc.constantFrom('v1', 'v1beta1', 'v1alpha3'),
    hosts: fc.uniqueArray(host, { minLength: 1, maxLength: 2 }),
    gateways: fc.option(fc.constantFrom(['mesh'], ['istio-system/public', 'mesh'], ['public']), { nil: undefined }),
    http: fc.array(fc.record({
      name: dnsName,
      match: fc.array(fc.oneof(
        fc.record({ uri: fc.oneof(fc.record({ prefix: fc.constantFrom('/', '/api', '/v1/items') }), fc.record({ exact: fc.constantFrom('/login', '/a b', '/x?y=1') })) }),
        fc.record({ headers: fc.record({ 'end-user': fc.record({ exact: text }) }) }),
      ), { minLength: 1, maxLength: 2 }),
      route: fc.array(fc.record({ destination: fc.record({ host, subset: dnsName }, { requiredKeys: ['host'] }), weight: fc.nat(100) }, { requiredKeys: ['destination'] }), { minLength: 1, maxLength: 3 }),
      timeout: duration,
      retries: fc.record({ attempts: fc.nat(5), perTryTimeout: duration }),
    }, { requiredKeys: ['route'] }), { minLength: 1, maxLength: 3 }),
  }, { requiredKeys: ['version', 'hosts', 'http'] }).map(({ version, ...spec }) => ({ apiVersion: `networking.istio.io/${version}`, body: { spec: clean(spec) as unknown as Obj } })),
  DestinationRule: fc.record({
    host,
    trafficPolicy: fc.record({ tls: fc.record({ mode: fc.constantFrom('DISABLE', 'SIMPLE', 'MUTUAL', 'ISTIO_MUTUAL') }) }),
    subsets: fc.uniqueArray(fc.record({ name: dnsName, labels: labels(1) }), { selector: (s) => s.name, maxLength: 3 }),
  }, { requiredKeys: ['host'] }).map((spec) => ({ apiVersion: 'networking.istio.io/v1', body: { spec } })),
  Gateway: fc.record({
    selector: fc.constant({ istio: 'ingressgateway' }),
    servers: fc.array(fc.record({
      port: fc.record({ number: port, name: dnsName, protocol: fc.constantFrom('HTTP', 'HTTPS', 'TCP') }),
      hosts: fc.array(fc.oneof(host, fc.constant('*')), { minLength: 1, maxLength: 2 }),
    }), { minLength: 1, maxLength: 2 }),
  }).map((spec) => ({ apiVersion: 'networking.istio.io/v1beta1', body: { spec } })),
  ServiceEntry: fc.record({
    hosts: fc.uniqueArray(dnsName.map((n) => `api.${n}.example`), { minLength: 1, maxLength: 2 }),
    ports: fc.array(fc.record({ number: port, name: dnsName, protocol: fc.constantFrom('HTTP', 'TLS', 'TCP') }), { minLength: 1, maxLength: 2 }),
    resolution: fc.constantFrom('DNS', 'NONE', 'STATIC'),
    location: fc.constantFrom('MESH_EXTERNAL', 'MESH_INTERNAL'),
  }).map((spec) => ({ apiVersion: 'networking.istio.io/v1', body: { spec } })),
  ConfigMap: fc.dictionary(fc.oneof(dnsName, fc.constantFrom('mesh', 'config.yaml', '80')), fc.oneof(text, multiline), { maxKeys: 3 })
    .map((data) => ({ apiVersion: 'v1', body: (Object.keys(data).length ? { data } : {}) as Obj })),
  Namespace: fc.constant({ apiVersion: 'v1', body: {} }),
  Widget: fc.record({
    size: fc.integer({ min: -5, max: 1000 }),
    enabled: fc.boolean(),
    ratio: fc.constantFrom(0.5, 1.25, -3.75),
    nothing: fc.constant(null),
    tags: fc.array(text, { maxLength: 3 }),
    nested: fc.record({ deep: fc.record({ value: text }) }),
  }, { requiredKeys: [] }).map((spec) => ({ apiVersion: 'example.com/v1alpha1', body: { spec } })),
};

const resource: fc.Arbitrary<Obj> = fc.constantFrom(...Object.keys(specs)).chain((kind) =>
  fc.tuple(metadata(kind), specs[kind]).map(([meta, { apiVersion, body }]) => ({ apiVersion, kind, metadata: meta, ...body })),
);

const keyOf = (o: Obj) => {
  const m = o.metadata as Obj;
  return `${o.kind}/${o.kind === 'Namespace' ? '' : ((m.namespace as string | undefined) ?? 'default')}/${m.name}`;
};

/** One document: a resource, a `kind: List` of resources, or no object at all (only comments). */
type Doc = { type: 'object'; object: Obj } | { type: 'list'; items: Obj[] } | { type: 'empty' };

const design = fc.uniqueArray(resource, { selector: keyOf, minLength: 1, maxLength: 6 }).chain((resources) =>
  fc.array(fc.constantFrom<'object' | 'list' | 'empty'>('object', 'object', 'object', 'list', 'empty'), { minLength: resources.length, maxLength: resources.length }).map((shapes) => {
    const docs: Doc[] = [];
    let i = 0;
    for (const shape of shapes) {
      if (i >= resources.length) break;
      if (shape === 'empty' && docs.length) docs.push({ type: 'empty' });
      if (shape === 'list') {
        docs.push({ type: 'list', items: resources.slice(i, i + 2) });
        i += 2;
      } else docs.push({ type: 'object', object: resources[i++] });
    }
    while (i < resources.length) docs.push({ type: 'object', object: resources[i++] });
    return docs;
  }),
);

function clean<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
function nonEmpty<T extends object>(o: T | undefined): T | undefined {
  return o && Object.keys(o).length ? o : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Random styles

function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { chance: (p: number) => next() < p, pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)], shuffle: <T>(xs: T[]): T[] => xs.map((x) => [next(), x] as const).sort((p, q) => p[0] - q[0]).map(([, x]) => x) };
}

const COMMENTS = ['# note', '#tight', '# key: value, [x] {y}', "# it's \"quoted\"", '# ---', '# ünïcode ✓', '#'];
const plainSafe = (s: string) => /^[A-Za-z0-9/][A-Za-z0-9._/-]*$/.test(s) && parseYaml(s) === s;

/** A scalar as it appears in the text (render time) and where: what the source map must point at. */
interface Emitted {
  doc: number;
  path: Path;
  from: number;
  source: string;
  keyFrom?: number;
}

/**
 * Write documents as YAML in random styles. Records every scalar written (doc index, absolute path in the
 * document, offset, exact source) so that the source map can be checked against it.
 */
function render(docs: Doc[], seed: number): { text: string; scalars: Emitted[] } {
  const r = prng(seed);
  let out = '';
  const scalars: Emitted[] = [];
  let doc = 0;
  let endsInBlockScalar = false;
  const write = (s: string) => {
    out += s;
    if (s.trim()) endsInBlockScalar = false;
  };

  const scalarSource = (v: string | number | boolean | null, flow: boolean): string => {
    if (typeof v === 'number') return String(v);
    if (typeof v === 'boolean') return String(v);
    if (v === null) return r.pick(['null', '~']);
    const styles: string[] = [JSON.stringify(v)];
    if (!/[\n\t\\]/.test(v) && !/^\s|\s$/.test(v)) styles.push(`'${v.replace(/'/g, "''")}'`);
    if (plainSafe(v) && !(flow && /[,[\]{}]/.test(v))) styles.push(v, v);
    return r.pick(styles);
  };
  const keySource = (k: string) => (plainSafe(k) && r.chance(0.85) ? k : r.pick([JSON.stringify(k), `'${k.replace(/'/g, "''")}'`]));
  const flowable = (v: Json): boolean => (Array.isArray(v) ? v.every(flowable) : v && typeof v === 'object' ? Object.values(v).every(flowable) : true);
  const blockLiteral = (v: Json): v is string => typeof v === 'string' && v.includes('\n') && /^[a-z0-9#:][^\n]*(\n[a-z0-9#:][^\n]*)*\n?$/.test(v) && !/ \n| $/.test(v);

  const emitScalar = (v: string | number | boolean | null, path: Path, flow: boolean, keyFrom?: number) => {
    const source = scalarSource(v, flow);
    scalars.push({ doc, path, from: out.length, source, keyFrom });
    write(source);
  };

  const emitFlow = (v: Json, path: Path) => {
    if (Array.isArray(v)) {
      write(r.pick(['[', '[ ']));
      v.forEach((x, i) => {
        if (i) write(r.pick([', ', ',', ' , ']));
        emitFlow(x, [...path, i]);
      });
      write(r.pick([']', ' ]']));
    } else if (v && typeof v === 'object') {
      write(r.pick(['{', '{ ']));
      r.shuffle(Object.keys(v)).forEach((k, i) => {
        if (i) write(r.pick([', ', ',']));
        const keyFrom = out.length;
        write(keySource(k) + ': ');
        emitFlowValue(v[k], [...path, k], keyFrom);
      });
      write(r.pick(['}', ' }']));
    } else emitScalar(v, path, true);
  };
  const emitFlowValue = (v: Json, path: Path, keyFrom: number) => {
    if (v !== null && typeof v === 'object') emitFlow(v, path);
    else emitScalar(v, path, true, keyFrom);
  };

  const trailing = () => {
    if (r.chance(0.1)) write('  ');
    if (r.chance(0.15)) write(' ' + r.pick(COMMENTS));
    write('\n');
  };
  const between = (indent: number) => {
    if (r.chance(0.1)) write('\n');
    if (r.chance(0.12)) write(' '.repeat(indent) + r.pick(COMMENTS) + '\n');
  };

  /** A value after `key:` (or after `- `) in block context; the line is open. */
  const emitBlockValue = (v: Json, indent: number, path: Path, step: number, seqIndent: boolean, keyFrom?: number) => {
    if (v !== null && typeof v === 'object') {
      const empty = Array.isArray(v) ? !v.length : !Object.keys(v).length;
      if (empty || (flowable(v) && r.chance(0.3))) {
        write(' ');
        emitFlow(v, path);
        trailing();
      } else if (Array.isArray(v)) {
        trailing();
        emitBlockSeq(v, indent + (seqIndent ? step : 0), path, step, seqIndent);
      } else {
        trailing();
        emitBlockMap(v, indent + step, path, step, seqIndent, false);
      }
    } else if (blockLiteral(v)) {
      const chomp = v.endsWith('\n') ? '|' : '|-';
      const lines = v.replace(/\n$/, '').split('\n');
      const source = `${chomp}\n${lines.map((l) => ' '.repeat(indent + step) + l + '\n').join('')}`;
      write(' ');
      scalars.push({ doc, path, from: out.length, source, keyFrom });
      write(source);
      endsInBlockScalar = true;
    } else {
      write(' ');
      emitScalar(v, path, false, keyFrom);
      trailing();
    }
  };

  /** Block mapping whose entries start at column `indent`; `open` when the first entry continues a `- ` line. */
  const emitBlockMap = (o: Obj, indent: number, path: Path, step: number, seqIndent: boolean, open: boolean) => {
    r.shuffle(Object.keys(o)).forEach((k, i) => {
      if (!(open && i === 0)) {
        if (i) between(indent);
        write(' '.repeat(indent));
      }
      const keyFrom = out.length;
      write(keySource(k) + ':');
      emitBlockValue(o[k], indent, [...path, k], step, seqIndent, keyFrom);
    });
  };

  const emitBlockSeq = (a: Json[], indent: number, path: Path, step: number, seqIndent: boolean) => {
    a.forEach((item, i) => {
      if (i) between(indent);
      write(' '.repeat(indent) + '-');
      if (item && typeof item === 'object' && !Array.isArray(item) && Object.keys(item).length && !(flowable(item) && r.chance(0.3))) {
        write(' ');
        emitBlockMap(item, indent + 2, [...path, i], step, seqIndent, true);
      } else if (Array.isArray(item) && item.length) {
        write(' ');
        emitFlow(item, [...path, i]);
        trailing();
      } else {
        emitBlockValue(item, indent, [...path, i], 2, seqIndent);
      }
    });
  };

  docs.forEach((d, i) => {
    doc = i;
    if (r.chance(0.2)) write(r.pick(COMMENTS) + '\n');
    if (i > 0 && r.chance(0.1)) write('...\n' + (r.chance(0.5) ? r.pick(COMMENTS) + '\n' : ''));
    if (i > 0 || d.type === 'empty' || r.chance(0.5)) write('---' + (r.chance(0.3) ? ' ' + r.pick(COMMENTS) : '') + '\n');
    const step = r.pick([2, 2, 4]);
    const seqIndent = r.chance(0.5);
    if (d.type === 'empty') write(r.pick(COMMENTS) + '\n');
    else emitBlockMap(d.type === 'object' ? d.object : { apiVersion: 'v1', kind: 'List', items: d.items }, 0, [], step, seqIndent, false);
  });
  if (r.chance(0.2)) write(r.pick(COMMENTS) + '\n');
  if (!endsInBlockScalar && r.chance(0.3)) out = out.replace(/\n$/, '');
  return { text: out, scalars };
}

/** What parsing must find: each resource with its document, base path, and the scalars inside it (relative paths). */
function expected(docs: Doc[], scalars: Emitted[]) {
  return docs.flatMap((d, doc) => {
    const objects = d.type === 'object' ? [{ object: d.object, base: [] as Path }] : d.type === 'list' ? d.items.map((object, i) => ({ object, base: ['items', i] as Path })) : [];
    return objects.map(({ object, base }) => ({
      key: keyOf(object),
      object,
      doc,
      base,
      scalars: scalars
        .filter((s) => s.doc === doc && base.every((b, j) => s.path[j] === b) && s.path.length > base.length)
        .map((s) => ({ ...s, path: s.path.slice(base.length) })),
    }));
  });
}

// ---------------------------------------------------------------------------------------------------------------

const runs = { numRuns: 150 };
const sample = fc.tuple(design, fc.integer());

describe('random designs as YAML text', () => {
  it('(a) print back byte for byte from the CST', () => {
    fc.assert(fc.property(sample, ([docs, seed]) => {
      const { text } = render(docs, seed);
      expect(printDocuments(text)).toBe(text);
    }), runs);
  });

  it('(b) parse to exactly the generated objects, under the right keys', () => {
    fc.assert(fc.property(sample, ([docs, seed]) => {
      const { text, scalars } = render(docs, seed);
      const r = parseDesign(text);
      const want = expected(docs, scalars);
      expect(r.diagnostics).toEqual([]);
      expect(r.documents).toHaveLength(docs.length);
      expect(r.model.resources.map((x) => x.key)).toEqual(want.map((w) => w.key));
      r.model.resources.forEach((res, i) => {
        const w = want[i];
        expect(res.object).toEqual(w.object);
        expect(res.metadata).toEqual(w.object.metadata);
        expect(res.spec).toEqual(w.object.kind === 'ConfigMap' ? (w.object.data ?? {}) : (w.object.spec ?? {}));
        expect([res.kind, res.apiVersion, res.doc, res.base, res.known]).toEqual([w.object.kind, w.object.apiVersion, w.doc, w.base, w.object.kind !== 'Widget']);
      });
    }), runs);
  });

  it('(c) map every scalar field to its exact source text, and its key', () => {
    fc.assert(fc.property(sample, ([docs, seed]) => {
      const { text, scalars } = render(docs, seed);
      const r = parseDesign(text, { validate: false });
      for (const w of expected(docs, scalars)) {
        const spans = r.sourceMap.get(w.key as never)!;
        expect(spans).toBeDefined();
        for (const s of w.scalars) {
          const span = spans.get(pointer(s.path));
          expect({ path: s.path, text: span && text.slice(span.from, span.to), from: span?.from }).toEqual({ path: s.path, text: s.source, from: s.from });
          if (s.keyFrom !== undefined) expect(span!.keyFrom).toBe(s.keyFrom);
        }
      }
    }), runs);
  });
});
