/** Helpers for the edit tests: run a command or patches on a text and check the round trip on the way. */
import { expect } from 'vitest';
import { parseDesign, type ParseResult } from '../parse';
import type { ResourceKey } from '../resource';
import { commandPatches, type Command } from './commands';
import { deepEqual } from './equal';
import { lineStart } from './lines';
import { applyPatchesToResources, type Patch, type PlainResource } from './patch';
import { applyPatches, designIndex } from './splice';
import type { TextEdit } from './textedit';

/** The same resources in the same order (a fast check first; the matcher's diff on a mismatch). */
export function expectSameResources(actual: PlainResource[], expected: PlainResource[]) {
  if (!deepEqual(actual, expected)) expect(actual).toEqual(expected);
}

export const plain = (p: ParseResult): PlainResource[] => p.model.resources.map((r) => ({ key: r.key, object: r.object }));
const errors = (p: ParseResult, source: string) => p.diagnostics.filter((d) => d.severity === 'error' && d.source === source);

export interface Run {
  text: string;
  edits: TextEdit[];
  /** Each edit as [the original text it replaces, the new text]. */
  changes: [string, string][];
  description?: string;
  after: ParseResult;
}

/**
 * Apply patches and check what every edit must satisfy: no fallback, the new text parses without YAML errors,
 * its model is the reference model of the patches, and no new schema errors appear.
 */
export function runPatches(text: string, patches: Patch[], parsed = parseDesign(text)): Run {
  const result = applyPatches(text, patches, designIndex(parsed));
  if (!result.ok) throw new Error(result.error);
  expect(result.fallbacks).toBe(0);
  const after = parseDesign(result.text);
  expect(errors(after, 'yaml').map((d) => d.message)).toEqual([]);
  expect(errors(after, 'model').map((d) => d.message)).toEqual([]);
  const reference = applyPatchesToResources(plain(parsed), patches);
  if ('error' in reference) throw new Error(reference.error);
  expectSameResources(plain(after), reference.resources);
  expect(errors(after, 'schema').map((d) => d.message)).toEqual(errors(parsed, 'schema').map((d) => d.message));
  return { text: result.text, edits: result.edits, changes: result.edits.map((e) => [text.slice(e.from, e.to), e.text]), after };
}

export function runCommand(text: string, command: Command): Run {
  const parsed = parseDesign(text);
  const c = commandPatches(parsed.model, command);
  if (!c.ok) throw new Error(c.error);
  return { ...runPatches(text, c.patches, parsed), description: c.description };
}


/** Start of the comment and blank lines right above `at`. */
function linesAbove(text: string, at: number): number {
  let start = lineStart(text, at);
  while (start > 0) {
    const prev = lineStart(text, start - 1);
    if (!/^\s*(#[^\n]*)?$/.test(text.slice(prev, start - 1))) break;
    start = prev;
  }
  return start;
}

/** The documents a step may change: those of the resources it names, the anchors of new ones. */
function touchedDocs(parsed: ParseResult, patches: Patch[]): Set<number> {
  const docOf = new Map<ResourceKey, number | 'new'>(parsed.model.resources.map((r) => [r.key, r.doc]));
  const out = new Set<number>();
  const mark = (d: number | 'new' | undefined) => typeof d === 'number' && out.add(d);
  for (const p of patches) {
    if (p.type === 'addResource') {
      const key = `${p.object.kind}/${(p.object.metadata as { namespace?: string }).namespace ?? 'default'}/${(p.object.metadata as { name: string }).name}` as ResourceKey;
      const d = p.after ? docOf.get(p.after) : undefined;
      mark(d);
      docOf.set(key, d ?? 'new');
      continue;
    }
    const d = docOf.get(p.key);
    mark(d);
    if (p.type === 'rename') docOf.set(`${p.key.slice(0, p.key.lastIndexOf('/'))}/${p.name}` as ResourceKey, d ?? 'new');
  }
  return out;
}

/**
 * The edits are sorted, do not overlap, change something, and explain the new text exactly: walking the gaps between
 * them, every byte of the original outside the edited ranges is found unchanged in the new text (comments included).
 */
export function checkEdits(before: string, after: string, edits: TextEdit[]) {
  let shift = 0;
  let gapStart = 0;
  for (let i = 0; i < edits.length; i++) {
    const e = edits[i];
    expect(e.from).toBeLessThanOrEqual(e.to);
    expect(e.from).toBeGreaterThanOrEqual(gapStart);
    expect(before.slice(e.from, e.to)).not.toBe(e.text);
    expect(after.slice(gapStart + shift, e.from + shift)).toBe(before.slice(gapStart, e.from));
    expect(after.slice(e.from + shift, e.from + shift + e.text.length)).toBe(e.text);
    shift += e.text.length - (e.to - e.from);
    gapStart = e.to;
  }
  expect(after.slice(gapStart + shift)).toBe(before.slice(gapStart));
  expect(after.length).toBe(before.length + shift);
}

/** Edits stay inside the documents the step touches (a removed document takes the comment lines right above it). */
export function checkDocumentLocality(before: string, parsed: ParseResult, patches: Patch[], edits: TextEdit[]) {
  const docs = [...touchedDocs(parsed, patches)].map((i) => parsed.documents[i]);
  for (const e of edits) {
    const atEnd = e.from === before.length && e.to === before.length;
    // (A removed document also takes the blank lines after it.)
    const inside = docs.some((d) => e.from >= linesAbove(before, d.from) && (e.to <= d.to || !before.slice(d.to, e.to).trim()));
    expect(atEnd || inside, `edit [${e.from}, ${e.to}) outside the touched documents`).toBe(true);
  }
}

