/** `meshcraft analyze` (src/cli/analyze.ts), called directly with captured output. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runAnalyze } from '../cli/analyze';
import { BOOKINFO } from './fixtures/testutil';

const dir = mkdtempSync(join(tmpdir(), 'meshcraft-analyze-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function file(text: string): string {
  const f = join(dir, `design-${n++}.yaml`);
  writeFileSync(f, text);
  return f;
}

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runAnalyze(argv, { stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const missingSubset = BOOKINFO.replace('route: [{destination: {host: reviews, subset: v2}}]', 'route: [{destination: {host: reviews, subset: v4}}]');
const subsetLine = missingSubset.split('\n').findIndex((l) => l.includes('subset: v4')) + 1;
const infoOnly = BOOKINFO.replace('spec: {host: ratings, subsets: [{name: v1, labels: {version: v1}}]}', 'spec: {host: ratings, subsets: [{name: v1, labels: {version: v1}}, {name: all}]}');

describe('meshcraft analyze', () => {
  it('prints nothing on stdout and exits 0 for a clean design', async () => {
    const f = file(BOOKINFO);
    const r = await cli(f);
    expect(r).toEqual({ code: 0, out: '', err: `✔ No validation issues found when analyzing ${f}.` });
  });

  it('prints istioctl-style lines with file:line and exits 79 at the default threshold (Error)', async () => {
    const f = file(missingSubset);
    const r = await cli(f);
    expect(r.code).toBe(79);
    expect(r.out).toBe(`Error [IST0101] (VirtualService default/reviews ${f}:${subsetLine}) Referenced host+subset in destinationrule not found: "reviews+v4" (DestinationRule default/reviews for reviews.default.svc.cluster.local defines only v1, v2, v3; requests routed there fail with 503).`);
    expect(r.err).toBe('');
  });

  it('honours --failure-threshold', async () => {
    const f = file(infoOnly);
    expect((await cli(f)).code).toBe(0);
    expect((await cli(f, '--failure-threshold', 'Warning')).code).toBe(0);
    expect((await cli(f, '--failure-threshold=info')).code).toBe(79);
    expect((await cli(f)).out).toMatch(/^Info \[MC103\] \(DestinationRule default\/ratings /);
    expect((await cli(file(missingSubset), '--failure-threshold', 'Warning')).code).toBe(79);
  });

  it('prints {"messages": [...]} with --json', async () => {
    const f = file(missingSubset);
    const r = await cli('--json', f);
    expect(r.code).toBe(79);
    const json = JSON.parse(r.out) as { messages: Array<Record<string, unknown>> };
    expect(json.messages).toHaveLength(1);
    expect(json.messages[0]).toMatchObject({
      code: 'IST0101', name: 'ReferencedResourceNotFound', level: 'Error', resource: 'VirtualService default/reviews', file: f, line: subsetLine,
      path: ['spec', 'http', 0, 'route', 0, 'destination', 'subset'], fix: { kind: 'createSubset', subset: 'v4' },
    });
    expect(JSON.parse((await cli('--json', file(BOOKINFO))).out)).toEqual({ messages: [] });
  });

  it('analyzes several files as one design and names the file of each message', async () => {
    const docs = missingSubset.split(/^---$/m);
    const rules = docs.filter((d) => /kind: (DestinationRule|VirtualService|Gateway)/.test(d));
    const rest = docs.filter((d) => !rules.includes(d));
    const a = file(rest.join('---'));
    const b = file(rules.join('---'));
    const r = await cli(a, b);
    expect(r.code).toBe(79);
    expect(r.out).toContain(`(VirtualService default/reviews ${b}:`);
    expect((await cli(a)).code).toBe(0); // workloads and Services alone are fine
  });

  it('reports schema errors found while parsing (IST0106)', async () => {
    const f = file('apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: x}\nspec: {hosts: [x], http: [{route: [{destination: {host: x}}], timeout: 5}]}\n');
    const r = await cli(f);
    expect(r.code).toBe(79);
    expect(r.out.split('\n').filter((l) => l.startsWith(`Error [IST0106] (VirtualService default/x ${f}:4) Schema validation error:`))).toHaveLength(1);
  });

  it('fails with a clear message and exit 2 on bad input, never a stack trace', async () => {
    const missing = await cli(join(dir, 'nope.yaml'));
    expect(missing).toEqual({ code: 2, out: '', err: `meshcraft analyze: cannot read ${join(dir, 'nope.yaml')}: no such file` });
    const yaml = await cli(file('apiVersion: v1\nkind: Service\nmetadata: {name: a\n'));
    expect(yaml.code).toBe(2);
    expect(yaml.err).toMatch(/^meshcraft analyze: .*design-\d+\.yaml:\d+:\d+: YAML error: /);
    expect((await cli(dir)).err).toBe(`meshcraft analyze: cannot read ${dir}: is a directory`);
    const usage = await cli(file(BOOKINFO), '--failure-threshold', 'Fatal');
    expect(usage.code).toBe(2);
    expect(usage.err).toMatch(/^meshcraft analyze: --failure-threshold must be Error, Warning or Info/);
    expect((await cli()).code).toBe(2);
    expect((await cli('--bogus', 'x.yaml')).err).toMatch(/^meshcraft analyze: unknown option --bogus/);
    for (const r of [missing, yaml, usage]) expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('prints usage with --help', async () => {
    const r = await cli('--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^usage: meshcraft analyze FILE\.yaml…/);
  });
});
