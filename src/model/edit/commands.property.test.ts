/**
 * Random command sequences on the primer printed in random styles (comments, blank lines, flow/block, quoting,
 * indentation, `kind: List`): every command re-parses to the model its patches describe, touches only the
 * documents it concerns, needs no fallback, and the whole sequence undoes to the original text.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDesign } from '../parse';
import { commandPatches } from './commands';
import { commandSeedArb, makeCommand } from './fixtures/random-commands';
import { printDesign } from './fixtures/random-design';
import { applyPatchesToResources } from './patch';
import { applyPatches, designIndex } from './splice';
import { checkDocumentLocality, checkEdits, expectSameResources, plain } from './testkit';
import { applyEdits, invertEdits, type TextEdit } from './textedit';

const primer = readFileSync(new URL('../../examples/primer.yaml', import.meta.url), 'utf8');
const objects = parseDesign(primer).model.resources.map((r) => r.object);

describe('random command sequences', () => {
  it('re-parse to the described model, stay local and undo exactly', () => {
    let applied = 0;
    fc.assert(
      fc.property(fc.integer(), fc.array(commandSeedArb, { minLength: 1, maxLength: 6 }), (seed, seeds) => {
        const text = seed % 5 === 0 ? primer : printDesign(objects, seed);
        let counter = 0;
        const fresh = () => `x${counter++}`;
        let current = text;
        let parsed = parseDesign(current, { validate: false });
        const history: { before: string; edits: TextEdit[] }[] = [];
        for (const s of seeds) {
          const command = makeCommand(parsed.model, s, fresh);
          if (!command) continue;
          const c = commandPatches(parsed.model, command);
          if (!c.ok) continue;
          expect(c.description.length).toBeGreaterThan(10);
          const result = applyPatches(current, c.patches, designIndex(parsed));
          if (!result.ok) throw new Error(`${command.type}: ${result.error}`);
          expect(result.fallbacks).toBe(0);
          checkEdits(current, result.text, result.edits);
          checkDocumentLocality(current, parsed, c.patches, result.edits);
          const after = parseDesign(result.text, { validate: false });
          expect(after.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
          const reference = applyPatchesToResources(plain(parsed), c.patches);
          if ('error' in reference) throw new Error(reference.error);
          expectSameResources(plain(after), reference.resources);
          history.push({ before: current, edits: result.edits });
          current = result.text;
          parsed = after;
          applied++;
        }
        let undone = current;
        for (const step of [...history].reverse()) undone = applyEdits(undone, invertEdits(step.before, step.edits));
        expect(undone).toBe(text);
      }),
      { numRuns: Number(process.env.EDIT_PROPERTY_RUNS) || 60 },
    );
    expect(applied).toBeGreaterThan(100);
  });
});
