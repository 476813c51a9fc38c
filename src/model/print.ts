/**
 * YAML text ⇄ concrete syntax tree (CST). The CST keeps every character of the source (comments, blank lines,
 * quoting, flow/block style, `---` and `...` markers), so re-emitting the tokens of untouched documents gives the
 * input back byte for byte. Minimal edits replace the tokens of one node and print the stream again.
 */
import { CST, Parser } from 'yaml';

/**
 * Top-level CST tokens of a YAML stream, in order: `document` tokens, and the stream-level tokens between them
 * (comments and newlines before the first `---` or after a `...`, `doc-end` markers, directives).
 */
export function parseCst(text: string): CST.Token[] {
  return [...new Parser().parse(text)];
}

/** Concatenate the source of CST tokens. */
export function printTokens(tokens: Iterable<CST.Token>): string {
  let out = '';
  for (const t of tokens) out += CST.stringify(t);
  return out;
}

/** Re-emit a YAML stream from its CST; with nothing changed, the result equals `text`. */
export function printDocuments(text: string): string {
  return printTokens(parseCst(text));
}
