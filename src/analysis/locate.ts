/** Messages → text positions, through the source map that parsing produced. */
import type { Diagnostic } from '../model/resource';
import { findSpan, toRange, type SourceMap } from '../model/sourcemap';
import { resourceLabel } from './context';
import type { Level, LocatedMessage, Message } from './types';

export interface Located {
  sourceMap: SourceMap;
  lineStarts: number[];
}

/**
 * Adds line, column and range to each message: the field's value when the field is in the text; otherwise (a
 * missing field) the key of its closest ancestor that is. Messages about resources absent from the source map
 * point at the start of the text.
 */
export function locate(messages: readonly Message[], parsed: Located): LocatedMessage[] {
  return messages.map((m) => {
    const hit = findSpan(parsed.sourceMap, m.key, m.path);
    let from = 0;
    let to = 0;
    if (hit) {
      const exact = hit.path.length === m.path.length;
      from = exact ? hit.span.from : hit.span.keyFrom;
      to = exact ? hit.span.to : hit.span.from > hit.span.keyFrom ? hit.span.from : hit.span.to;
    }
    const range = toRange(parsed.lineStarts, from, to);
    return { ...m, line: range.line, column: range.column, range };
  });
}

const LEVELS: Record<Diagnostic['severity'], Level> = { error: 'Error', warning: 'Warning', info: 'Info' };

/**
 * Parse diagnostics that belong to a resource (IST0106 schema errors, duplicate definitions) as analyzer messages,
 * so the CLI and the Problems panel can list them with the rest. YAML syntax errors have no resource: not included.
 */
export function diagnosticsToMessages(diagnostics: readonly Diagnostic[], parsed: { model: { byKey: ReadonlyMap<string, { kind: string; namespace: string; name: string }> } }): LocatedMessage[] {
  const out: LocatedMessage[] = [];
  for (const d of diagnostics) {
    if (!d.resource) continue;
    const r = parsed.model.byKey.get(d.resource);
    const resource = r ? resourceLabel(r) : d.resource;
    out.push({
      code: d.code, name: d.code === 'IST0106' ? 'SchemaValidationError' : 'DesignStructure', level: LEVELS[d.severity], resource, key: d.resource, path: d.path ?? [],
      message: d.message, line: d.range.line, column: d.range.column, range: d.range,
    });
  }
  return out;
}

const SEVERITIES: Record<Level, Diagnostic['severity']> = { Error: 'error', Warning: 'warning', Info: 'info' };

/** An analyzer finding as a diagnostic (for editor markers and the status bar). */
export function messageToDiagnostic(p: LocatedMessage): Diagnostic {
  return { severity: SEVERITIES[p.level], source: 'analyzer', code: p.code, message: `${p.code} ${p.name}: ${p.message}`, range: p.range, resource: p.key, path: p.path };
}
