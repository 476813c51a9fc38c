/**
 * One edit in a 3,000-line design: the splicer parses only the touched document (twice: to edit and to verify),
 * so it costs a few milliseconds whatever the size of the design, given the index of the current parse.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDesign } from '../parse';
import { resourceKey } from '../resource';
import { commandPatches } from './commands';
import { bigDesign } from './fixtures/big-design';
import { applyPatches, designIndex } from './splice';

const primer = readFileSync(new URL('../../examples/primer.yaml', import.meta.url), 'utf8');

function median(f: () => void, runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    f();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[runs >> 1];
}

describe('edit cost in a 3,000-line design', () => {
  const text = bigDesign(primer, 3000);
  const parsed = parseDesign(text, { validate: false });
  const index = designIndex(parsed);
  const vs = resourceKey('VirtualService', 'ns7', 'my-service');

  it('is a design of about 3,000 lines with unique resources', () => {
    expect(text.split('\n').length).toBeGreaterThan(2800);
    const perCopy = parseDesign(primer, { validate: false }).model.resources.length;
    expect(parsed.model.resources.length).toBe(perCopy * Math.round(3000 / primer.split('\n').length));
    expect(parsed.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
  });

  it('a weight change (command → patches → splice → verified re-parse of its document) takes a few ms', () => {
    const run = () => {
      const c = commandPatches(parsed.model, { type: 'setWeights', rule: { vs, protocol: 'http', index: 4 }, weights: [75, 25] });
      if (!c.ok) throw new Error(c.error);
      const r = applyPatches(text, c.patches, index);
      if (!r.ok || r.edits.length !== 2 || r.fallbacks) throw new Error('unexpected result');
    };
    for (let i = 0; i < 5; i++) run();
    // A few ms on an idle machine; the bound leaves room for a busy CI runner.
    expect(median(run, 15)).toBeLessThan(25);
  });

  it('the same edit without an index parses the whole text once more', () => {
    const r = applyPatches(text, [{ type: 'set', key: vs, path: ['spec', 'http', 4, 'timeout'], value: '4s' }]);
    expect(r).toMatchObject({ ok: true, fallbacks: 0 });
  });
});
