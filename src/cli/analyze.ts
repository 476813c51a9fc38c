/**
 * `meshcraft analyze FILE.yaml… [--json] [--failure-threshold Error|Warning|Info]`: the design's configuration
 * problems, printed like `istioctl analyze` (one line per message) or as JSON `{"messages": [...]}`.
 *
 * Exit codes: 0 nothing at or above the threshold; 79 (istioctl's "analyzers found issues") when some message is
 * at or above it (default Error, as istioctl); 2 bad usage, unreadable file or YAML error; 1 internal error. Never
 * prints a stack trace.
 */
import { readFileSync } from 'node:fs';
import { buildModel } from '../model/model';
import { parseDesign, type ParseResult } from '../model/parse';
import type { Resource, ResourceKey } from '../model/resource';
import { analyze, diagnosticsToMessages, locate } from '../analysis';
import { LEVEL_RANK, type Level, type LocatedMessage } from '../analysis/types';
import { parseArgs, UsageError } from './args';

/** Output streams: each call writes `text` and a newline. */
export interface AnalyzeIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

export const ANALYZE_USAGE = `usage: meshcraft analyze FILE.yaml… [--json] [--failure-threshold Error|Warning|Info]

Checks a design for configuration mistakes (istioctl analyze codes IST0xxx where the check is the same, MC1xx
for Meshcraft's own). Several files form one design.

  --json                    print {"messages": [...]} instead of one line per message
  --failure-threshold LVL   exit 79 when a message is at or above LVL (default Error)

exit codes: 0 no message at or above the threshold, 79 some, 2 bad input, 1 internal error`;

/** istioctl's exit code for "analyzers found issues". */
export const EXIT_ISSUES = 79;

class InputError extends Error {}

export interface FileMessage extends LocatedMessage {
  file: string;
}

function level(v: string | true | undefined): Level {
  if (v === undefined) return 'Error';
  const s = typeof v === 'string' ? v.toLowerCase() : '';
  const found = (['Error', 'Warning', 'Info'] as const).find((l) => l.toLowerCase() === s);
  if (!found) throw new UsageError(`--failure-threshold must be Error, Warning or Info (got "${String(v)}")`);
  return found;
}

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    throw new InputError(`cannot read ${file}: ${why}`);
  }
}

/** Parses every file; the design is their union (a later definition of the same object replaces an earlier one). */
function load(files: string[], warn: (t: string) => void): { messages: FileMessage[] } {
  const parsed: ParseResult[] = [];
  const owner = new Map<ResourceKey, number>();
  const resources = new Map<ResourceKey, Resource>();
  files.forEach((file, i) => {
    const p = parseDesign(read(file));
    const fatal = p.diagnostics.filter((d) => d.severity === 'error' && (d.source === 'yaml' || d.code === 'MC0001'));
    if (fatal.length) {
      throw new InputError(fatal.map((d) => `${file}:${d.range.line}:${d.range.column}: ${d.source === 'yaml' ? 'YAML error' : 'not a design'}: ${d.message}`).join('\n'));
    }
    for (const d of p.diagnostics) if (!d.resource) warn(`${file}:${d.range.line}:${d.range.column}: ${d.severity}: ${d.message}`);
    for (const r of p.model.resources) {
      resources.set(r.key, r);
      owner.set(r.key, i);
    }
    parsed.push(p);
  });
  const model = buildModel([...resources.values()]);
  const messages: FileMessage[] = [];
  const found = analyze(model);
  parsed.forEach((p, i) => {
    const mine = (k: ResourceKey) => owner.get(k) === i;
    for (const m of diagnosticsToMessages(p.diagnostics, p)) if (mine(m.key)) messages.push({ ...m, file: files[i] });
    for (const m of locate(found.filter((x) => mine(x.key)), p)) messages.push({ ...m, file: files[i] });
  });
  const order = new Map(files.map((f, i) => [f, i]));
  messages.sort((a, b) => order.get(a.file)! - order.get(b.file)! || a.line - b.line || a.column - b.column || LEVEL_RANK[b.level] - LEVEL_RANK[a.level]);
  return { messages };
}

/** `Error [IST0101] (VirtualService default/reviews file.yaml:12) Referenced host not found: "foo"`, as istioctl prints. */
export const formatMessage = (m: FileMessage): string => `${m.level} [${m.code}] (${m.resource} ${m.file}:${m.line}) ${m.message}`;

export async function runAnalyze(argv: string[], io: AnalyzeIo): Promise<number> {
  try {
    const { positionals, options } = parseArgs(argv, ['failure-threshold'], ['json', 'help']);
    if (options.has('help') || argv.includes('-h')) {
      io.stdout(ANALYZE_USAGE);
      return 0;
    }
    const threshold = level(options.get('failure-threshold'));
    if (!positionals.length) throw new UsageError('no design file given');
    const { messages } = load(positionals, (t) => io.stderr(t));
    if (options.has('json')) {
      io.stdout(JSON.stringify({ messages }, null, 2));
    } else if (messages.length) {
      io.stdout(messages.map(formatMessage).join('\n'));
    } else {
      io.stderr(`✔ No validation issues found when analyzing ${positionals.join(', ')}.`);
    }
    return messages.some((m) => LEVEL_RANK[m.level] >= LEVEL_RANK[threshold]) ? EXIT_ISSUES : 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`meshcraft analyze: ${e.message}\n\n${ANALYZE_USAGE}`);
      return 2;
    }
    if (e instanceof InputError) {
      io.stderr(`meshcraft analyze: ${e.message}`);
      return 2;
    }
    io.stderr(`meshcraft analyze: internal error: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}
