/**
 * New YAML text for values, in the style of the text around them: the document's indentation step and whether
 * lists are indented under their key. Scalars and keys are printed by the yaml library (it knows when a string
 * needs quotes); the block structure around them is ours, so that any indentation style can be followed.
 */
import { stringify, type ToStringOptions } from 'yaml';
import { indentRest } from './lines';
import type { Style } from './yamlast';

export type ScalarStyle = 'PLAIN' | 'QUOTE_SINGLE' | 'QUOTE_DOUBLE';

const OPTIONS: ToStringOptions = { indent: 2, indentSeq: true, lineWidth: 0, minContentWidth: 0, flowCollectionPadding: false };

const isContainer = (v: unknown): v is object => typeof v === 'object' && v !== null;
const isEmpty = (v: object) => (Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0);
const pad = (n: number) => ' '.repeat(n);
const chomp = (s: string) => (s.endsWith('\n') ? s.slice(0, -1) : s);

/** Flow-context text of one value (`{a: 1}`, `[x, y]`, `"a,b"`), on one line. */
export function renderFlow(value: unknown, type: ScalarStyle = 'PLAIN'): string {
  let out = chomp(stringify([value], { ...OPTIONS, collectionStyle: 'flow', defaultStringType: type })).slice(1, -1);
  if (out.includes('\n')) out = chomp(stringify([value], { ...OPTIONS, collectionStyle: 'flow', defaultStringType: 'QUOTE_DOUBLE' })).slice(1, -1);
  return out;
}

/** Flow-context text of a map entry: `key: value`. */
export function renderFlowEntry(key: string, value: unknown): string {
  return renderFlow({ [key]: value }).slice(1, -1);
}

/**
 * A scalar (or an empty collection) as it follows `- ` or `key: `: one line, or a block scalar's header line with
 * its content lines indented by 2 (relative to column 0; the caller indents them further).
 */
function scalarBody(value: unknown, type: ScalarStyle = 'PLAIN'): string {
  const body = chomp(stringify([value], { ...OPTIONS, defaultStringType: typeof value === 'string' ? type : 'PLAIN' })).slice(2);
  // A block scalar that keeps its trailing line breaks (`|+`) would swallow the blank lines that follow it.
  return /^[|>]\d?\+/.test(body) ? chomp(stringify([value], { ...OPTIONS, defaultStringType: 'QUOTE_DOUBLE' })).slice(2) : body;
}

/** A map key as written before its `:`. */
function keyText(key: string): string {
  const s = chomp(stringify({ [key]: 0 }, OPTIONS));
  return s.includes('\n') || !s.endsWith(': 0') ? JSON.stringify(key) : s.slice(0, -3);
}

/** Block lines of a non-empty map or list whose entries start in column `col`. */
function blockLines(value: object, col: number, style: Style, out: string[]): void {
  if (Array.isArray(value)) for (const item of value) itemLines(item, col, style, out);
  else for (const [k, v] of Object.entries(value)) entryLines(k, v, col, style, out);
}

function entryLines(key: string, value: unknown, col: number, style: Style, out: string[]): void {
  const head = pad(col) + keyText(key) + ':';
  if (isContainer(value) && !isEmpty(value)) {
    out.push(head);
    blockLines(value, col + (Array.isArray(value) ? (style.indentSeq ? style.indent : 0) : style.indent), style, out);
  } else {
    out.push(head + ' ' + indentRest(scalarBody(value), pad(col)));
  }
}

function itemLines(value: unknown, col: number, style: Style, out: string[]): void {
  if (isContainer(value) && !isEmpty(value)) {
    const sub: string[] = [];
    blockLines(value, col + 2, style, sub);
    sub[0] = pad(col) + '- ' + sub[0].slice(col + 2);
    out.push(...sub);
  } else {
    out.push(pad(col) + '- ' + indentRest(scalarBody(value), pad(col)));
  }
}

/**
 * A scalar to put in place of another one, keeping its quoting style when the value allows it. Returns text with
 * a line break when only a block scalar can hold the value (the caller then rewrites the whole value).
 */
export function renderScalar(value: unknown, flow: boolean, type: ScalarStyle): string {
  return flow ? renderFlow(value, typeof value === 'string' ? type : 'PLAIN') : scalarBody(value, type);
}

/**
 * The text after `key:` for a value in a block map whose key is in column `col`: ` scalar`, ` {}`, or a line
 * break and the block lines, indented. No trailing line break.
 */
export function renderAfterKey(value: unknown, col: number, style: Style): string {
  if (!isContainer(value) || isEmpty(value)) return ' ' + indentRest(scalarBody(value), pad(col));
  const lines: string[] = [];
  blockLines(value, col + (Array.isArray(value) ? (style.indentSeq ? style.indent : 0) : style.indent), style, lines);
  return '\n' + lines.join('\n');
}

/** The text after a `-` in column `col`: the value on the dash's line, the rest aligned after `- `. */
export function renderAfterDash(value: unknown, col: number, style: Style): string {
  if (!isContainer(value) || isEmpty(value)) return ' ' + indentRest(scalarBody(value), pad(col));
  const lines: string[] = [];
  blockLines(value, col + 2, style, lines);
  lines[0] = lines[0].slice(col + 2);
  return ' ' + lines.join('\n');
}

/** Block lines for a new map entry with its key in column `col`, ending with a line break. */
export function renderEntryLines(key: string, value: unknown, col: number, style: Style): string {
  const lines: string[] = [];
  entryLines(key, value, col, style, lines);
  return lines.join('\n') + '\n';
}

/** Block lines for a new list item with its `-` in column `col`, ending with a line break. */
export function renderItemLines(value: unknown, col: number, style: Style): string {
  const lines: string[] = [];
  itemLines(value, col, style, lines);
  return lines.join('\n') + '\n';
}

/** A whole document's contents, ending with a line break. */
export function renderDocument(value: unknown, style: Style): string {
  if (!isContainer(value) || isEmpty(value)) return scalarBody(value) + '\n';
  const lines: string[] = [];
  blockLines(value, 0, style, lines);
  return lines.join('\n') + '\n';
}
