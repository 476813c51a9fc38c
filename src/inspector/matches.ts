/**
 * VirtualService match conditions ↔ form rows. Pure. Edits keep every key the form does not show (ports,
 * gateways, source labels…) and the order of the keys that stay.
 */
import { isObj, type Obj, type Parsed } from './values';

export type StringMatchKind = 'exact' | 'prefix' | 'regex';
/** `present` is a header or query parameter given without a value (`{}`): it only has to be there. */
export type RowKind = StringMatchKind | 'present';
export interface StringMatchForm {
  kind: StringMatchKind;
  value: string;
}
export interface Row {
  name: string;
  kind: RowKind;
  value: string;
}
export type StringField = 'uri' | 'method' | 'authority';
export type RowField = 'headers' | 'queryParams';

export const STRING_MATCH_KINDS: readonly StringMatchKind[] = ['exact', 'prefix', 'regex'];

export function readStringMatch(v: unknown): StringMatchForm | undefined {
  if (!isObj(v)) return undefined;
  for (const kind of STRING_MATCH_KINDS) if (typeof v[kind] === 'string') return { kind, value: v[kind] as string };
  return undefined;
}

function checkPattern(kind: RowKind, value: string): string | undefined {
  if (kind !== 'regex') return undefined;
  try {
    new RegExp(value);
    return undefined;
  } catch {
    return `"${value}" is not a valid regular expression.`;
  }
}

/** A URI/method/authority condition from the form; an empty value removes the condition. */
export function parseStringMatch(field: StringField, kind: StringMatchKind, text: string): Parsed<Obj> {
  const value = text.trim();
  if (!value) return { ok: true, value: undefined };
  if (field === 'uri' && kind !== 'regex' && !value.startsWith('/')) return { ok: false, error: 'A URI path starts with "/".' };
  if (field === 'method' && kind === 'exact' && !/^[A-Z]+$/.test(value)) return { ok: false, error: 'HTTP methods are upper case, like GET or POST.' };
  const error = checkPattern(kind, value);
  return error ? { ok: false, error } : { ok: true, value: { [kind]: value } };
}

export function readRows(match: unknown, field: RowField): Row[] {
  const map = isObj(match) && isObj(match[field]) ? (match[field] as Obj) : {};
  return Object.entries(map).map(([name, v]) => {
    const sm = readStringMatch(v);
    return sm ? { name, ...sm } : { name, kind: 'present', value: '' };
  });
}

const HEADER_NAME = /^[a-z0-9][-a-z0-9_.]*$/;

/** The `headers` / `queryParams` map for rows; undefined when there are none. */
export function rowsToMap(field: RowField, rows: readonly Row[]): Parsed<Obj> {
  const out: Obj = {};
  for (const r of rows) {
    const name = r.name.trim();
    if (!name) return { ok: false, error: `Give each ${field === 'headers' ? 'header' : 'query parameter'} a name.` };
    if (field === 'headers' && !HEADER_NAME.test(name)) return { ok: false, error: `"${name}": header names are lower case (letters, digits, "-").` };
    if (Object.hasOwn(out, name)) return { ok: false, error: `"${name}" is there twice.` };
    const error = checkPattern(r.kind, r.value);
    if (error) return { ok: false, error };
    out[name] = r.kind === 'present' ? {} : { [r.kind]: r.value };
  }
  return { ok: true, value: Object.keys(out).length ? out : undefined };
}

/** `match` with `field` set to `value` (undefined removes it), other keys kept in their order. */
export function withKey(match: unknown, field: string, value: unknown): Obj {
  const out: Obj = isObj(match) ? { ...match } : {};
  if (value === undefined) delete out[field];
  else out[field] = value;
  return out;
}

/** The match list with item `i` replaced. */
export const replaceAt = <T>(items: readonly T[], i: number, item: T): T[] => items.map((x, j) => (j === i ? item : x));

/** What a match holds that the form does not edit, in one line (`port 80, gateways mesh`). */
export function otherConditions(match: unknown): string {
  if (!isObj(match)) return '';
  const shown = new Set(['uri', 'method', 'authority', 'headers', 'queryParams', 'name']);
  return Object.entries(match)
    .filter(([k]) => !shown.has(k))
    .map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(', ') : isObj(v) ? Object.entries(v).map(([a, b]) => `${a}=${isObj(b) ? JSON.stringify(b) : String(b)}`).join(', ') : String(v)}`)
    .join('; ');
}

/** A new match from the "add a match" row: a URI condition. */
export function newUriMatch(kind: StringMatchKind, text: string): Parsed<Obj> {
  const uri = parseStringMatch('uri', kind, text);
  if (!uri.ok) return uri;
  if (!uri.value) return { ok: false, error: 'Enter the URI to match, like /api.' };
  return { ok: true, value: { uri: uri.value } };
}
