import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCst, printDocuments, printTokens } from './print';

const read = (rel: string) => readFileSync(new URL(rel, import.meta.url), 'utf8');

describe('printDocuments', () => {
  it.each([
    ['the primer example', read('../examples/primer.yaml')],
    ['every kind', read('./fixtures/all-kinds.yaml')],
    ['a kubectl dump', read('./fixtures/kubectl-dump.yaml')],
  ])('gives %s back byte for byte', (_, text) => {
    expect(printDocuments(text)).toBe(text);
  });

  it.each([
    ['no trailing newline', 'a: 1\n---\nb: 2'],
    ['CRLF and a BOM', '\uFEFFa: 1\r\n--- # two\r\nb: [1, 2]\r\n'],
    ['comments and blank lines around markers', '# head\n\n---   # one\na: 1 # trailing\n\n\n# before two\n---\n...\n# after end\n---\n# empty doc\n'],
    ['quoting, flow and block scalars', 'a: \'it\'\'s\'\nb: "tab\\t"\nc: {x: [1, "2", \'3\']}\nd: |-\n  line one\n    indented\ne: >\n  folded\n  text\n\n'],
    ['directives', '%YAML 1.2\n---\na: 1\n...\n%YAML 1.2\n---\nb: 2\n'],
    ['anchors, aliases and tags', 'base: &b {x: 1}\nuse: *b\ntagged: !!str 12\n'],
    ['broken YAML', 'a: [1, 2\nb: : c\n  - d\n"unterminated\n'],
    ['empty text', ''],
    ['whitespace only', '  \n\t\n'],
  ])('gives %s back byte for byte', (_, text) => {
    expect(printDocuments(text)).toBe(text);
  });
});

describe('parseCst', () => {
  it('splits a stream into documents and the stream-level tokens between them', () => {
    const tokens = parseCst('# head\n---\na: 1\n...\n# between\n---\nb: 2\n');
    expect(tokens.map((t) => t.type)).toEqual(['comment', 'newline', 'document', 'doc-end', 'comment', 'newline', 'document']);
    expect(tokens.map((t) => printTokens([t]))).toEqual(['# head', '\n', '---\na: 1\n', '...\n', '# between', '\n', '---\nb: 2\n']);
  });

  it('a replaced document token prints in place of the original, the rest untouched', () => {
    const text = '# keep me\na: 1   # one\n---\nb: 2\n---\nc: 3 # three\n';
    const tokens = parseCst(text);
    const second = tokens.findIndex((t) => t.type === 'document' && printTokens([t]).startsWith('---\nb'));
    const replacement = parseCst('---\nb: 20 # edited\n')[0];
    const edited = tokens.map((t, i) => (i === second ? replacement : t));
    expect(printTokens(edited)).toBe('# keep me\na: 1   # one\n---\nb: 20 # edited\n---\nc: 3 # three\n');
  });
});
