import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IncrementalParser, splitDocuments } from './incremental';
import { parseDesign, type ParseResult } from './parse';
import { packSourceMap } from './sourcemap';

const primer = readFileSync('src/examples/primer.yaml', 'utf8');
const kubectlDump = readFileSync('src/model/fixtures/kubectl-dump.yaml', 'utf8');

/** Everything a parse yields, in comparable form. */
const snapshot = (r: ParseResult) => ({
  resources: r.model.resources,
  diagnostics: r.diagnostics,
  sourceMap: [...r.sourceMap].map(([k, spans]) => [k, [...spans]]),
  documents: r.documents,
  lineStarts: r.lineStarts,
  // The packed map, as the worker sends it: packed from the chunks, it must equal packing the whole parse's map.
  packed: 'packedSourceMap' in r ? (r as { packedSourceMap: unknown }).packedSourceMap : packSourceMap(r.sourceMap),
});

describe('IncrementalParser (re-parse only the documents that changed)', () => {
  it('splits at document markers; comments before the first marker stay with the first document', () => {
    expect(splitDocuments('# a\n---\nx: 1\n---\ny: 2\n').map((c) => c.text)).toEqual(['# a\n---\nx: 1\n', '---\ny: 2\n']);
    expect(splitDocuments('x: 1\n--- # two\ny: 2\n----\n').map((c) => c.from)).toEqual([0, 5]);
  });

  it('gives exactly what a whole parse gives, for the example, a kubectl dump and edits of them', () => {
    const inc = new IncrementalParser();
    for (const text of [primer, kubectlDump, primer.replace('weight: 90', 'weight: 80'), primer.replace('kind: Service\n', 'kind: Service\nbad: [\n'), primer + '---\n' + primer]) {
      expect(snapshot(inc.parse(text))).toEqual(snapshot(parseDesign(text)));
    }
  });

  it('property: any sequence of edits, parsed incrementally, equals a whole parse of the final text', () => {
    const pieces = ['\n', ' ', '---\n', '---', '\t', '--- # c\n', '# note\n', 'x', ':', '- ', '  ', 'kind: Service\n', 'weight: 7\n', '[', '&a ', '*a', '...\n', '%YAML 1.2\n', '\r\n', '\r\n---\r\n'];
    fc.assert(
      fc.property(
        fc.array(fc.record({ at: fc.nat(), del: fc.nat({ max: 12 }), ins: fc.constantFrom(...pieces) }), { maxLength: 12 }),
        (edits) => {
          const inc = new IncrementalParser();
          let text = primer;
          inc.parse(text);
          for (const e of edits) {
            const at = e.at % (text.length + 1);
            text = text.slice(0, at) + e.ins + text.slice(at + e.del);
            expect(snapshot(inc.parse(text))).toEqual(snapshot(parseDesign(text)));
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
