/**
 * One edit in a 3,000-line design, given the index of the current parse: two in-place edits, no fallback to
 * re-printing a document. (Its speed is measured by `npm run bench model`, not here.)
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDesign } from '../parse';
import { resourceKey } from '../resource';
import { commandPatches } from './commands';
import { bigDesign } from './fixtures/big-design';
import { applyPatches, designIndex } from './splice';

const primer = readFileSync(new URL('../../examples/primer.yaml', import.meta.url), 'utf8');

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

  it('a weight change with the index: exactly the two numbers are spliced, without a fallback', () => {
    const c = commandPatches(parsed.model, { type: 'setWeights', rule: { vs, protocol: 'http', index: 4 }, weights: [75, 25] });
    if (!c.ok) throw new Error(c.error);
    const r = applyPatches(text, c.patches, index);
    expect(r).toMatchObject({ ok: true, fallbacks: 0 });
    if (r.ok) expect(r.edits.map((e) => e.text)).toEqual(['75', '25']);
  });

  it('the same edit without an index parses the whole text once more', () => {
    const r = applyPatches(text, [{ type: 'set', key: vs, path: ['spec', 'http', 4, 'timeout'], value: '4s' }]);
    expect(r).toMatchObject({ ok: true, fallbacks: 0 });
  });
});
