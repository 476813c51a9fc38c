/**
 * `meshcraft simulate FILE.yaml… --request JSON | --requests FILE.json [--count N] [--concurrency C]
 * [--qps Q] [--seed S] [--mesh-config JSON] [--json]`
 *
 * Each request (entry) is simulated in turn in one mesh: an entry starts when the previous one has
 * finished, and proxy state (connection pools, ejections, status-sequence positions) carries over.
 */
import { readFileSync } from 'node:fs';
import { compileMesh } from '../engine/compile';
import { LIMITS, SimInputError, Simulation } from '../engine/sim';
import type { LoadSpec, SimRequestTemplate, SimResult, TrafficGroup, GroupResult } from '../engine/sim/types';
import { parseArgs, UsageError } from './args';
import { InputError, loadDesign } from './design';
import type { Io } from './main';

export const SIMULATE_USAGE = `usage: meshcraft simulate FILE.yaml… (--request JSON | --requests FILE.json) [--count N] [--concurrency C] [--qps Q] [--seed S] [--mesh-config JSON] [--json]

Sends many requests through the mesh over simulated time: load balancing, connection pools and
circuit breakers, outlier detection, retries, timeouts and faults, as the client proxies would.
  --request JSON       one request, as for "meshcraft trace"; its "assume" describes upstream behaviour, e.g.
                       {"upstream": {"httpbin": {"latencyMs": {"dist": "lognormal", "p50": 5, "p99": 20}, "errorRate": 0.1}}}
  --requests FILE      a JSON array of requests, simulated one after another (proxy state carries over). An entry may add
                         "repeat": N          send it N times, all at once
                         "sequential": true   one at a time (each after the previous answer)
                         "load": {"requests": N, "concurrency": C, "qps": Q, "durationMs": T}
  --count N            requests per entry without "repeat" or "load" (default 100)
  --concurrency C      connections sending at once, like fortio -c (default 1)
  --qps Q              total requests per second over all connections (default: as fast as possible)
  --seed S             seed for every random draw (default 1)
  --mesh-config JSON   MeshConfig overrides, e.g. {"outboundTrafficPolicy": {"mode": "REGISTRY_ONLY"}}
  --json               print JSON: per request count, bySubset, byWorkload, statusCounts, flagCounts,
                       latencyMs {p50, p90, p99, max}, stats, ejectedEndpoints`;

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(`${what} is not valid JSON: ${(e as Error).message}`);
  }
}

function intOption(options: Map<string, string | true>, name: string, min: number, max: number): number | undefined {
  const v = options.get(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')} (got ${String(v)})`);
  return n;
}

interface Entry {
  template: SimRequestTemplate;
  load: LoadSpec;
}

function entryOf(raw: unknown, i: number, many: boolean, flags: { count?: number; concurrency?: number; qps?: number }): Entry {
  const where = many ? `request #${i + 1}: ` : '';
  if (!isObj(raw)) throw new InputError(`${where}a request must be a JSON object with "source" and "request"`);
  const { repeat, sequential, load, ...template } = raw as Record<string, unknown> & { repeat?: unknown; sequential?: unknown; load?: unknown };
  if (repeat !== undefined && (!Number.isInteger(repeat) || (repeat as number) < 1 || (repeat as number) > LIMITS.requests)) throw new InputError(`${where}"repeat" must be a whole number from 1 to ${LIMITS.requests.toLocaleString('en-US')} (got ${JSON.stringify(repeat)})`);
  if (sequential !== undefined && typeof sequential !== 'boolean') throw new InputError(`${where}"sequential" must be true or false (got ${JSON.stringify(sequential)})`);
  if (load !== undefined && !isObj(load)) throw new InputError(`${where}"load" must be an object like {"requests": 100, "concurrency": 4, "qps": 50}`);
  const l = (load ?? {}) as LoadSpec;
  const r = repeat as number | undefined;
  const requests = l.requests ?? (l.durationMs !== undefined ? undefined : r ?? flags.count ?? 100);
  const concurrency = l.concurrency ?? (sequential === true ? 1 : flags.concurrency ?? r ?? 1);
  const qps = l.qps ?? flags.qps;
  return {
    template: template as unknown as SimRequestTemplate,
    load: { ...l, ...(requests !== undefined ? { requests } : {}), concurrency, ...(qps !== undefined ? { qps } : {}) },
  };
}

/** Validation messages name the request, not the internal traffic group. */
function cliMessage(m: string, many: boolean): string {
  return m.replace(/^traffic\[(\d+)\](?:\.mix\[0\])?(?::\s*|\.)/, (_s, i: string) => (many ? `request #${Number(i) + 1}: ` : ''));
}

const pct = (n: number, total: number) => `${((100 * n) / Math.max(1, total)).toFixed(1)} %`;
const ms = (v: number) => `${Math.round(v * 100) / 100} ms`;

function describeEntry(e: Entry): string {
  const t = e.template;
  const rq = t.request ?? {};
  const src = t.source?.gateway ? `gateway ${t.source.gateway}` : `${t.source?.workload ?? '?'}`;
  const l = e.load;
  const amount = l.requests !== undefined ? `${l.requests.toLocaleString('en-US')} requests` : `${l.durationMs} ms of traffic`;
  return `${(rq.method ?? 'GET').toUpperCase()} ${rq.authority ?? rq.sni ?? ''}${rq.path ?? ''} from ${src} — ${amount}, ${l.concurrency} connection${l.concurrency === 1 ? '' : 's'}, ${l.qps ? `${l.qps} qps` : 'max qps'}`;
}

function formatGroup(g: GroupResult, e: Entry, result: SimResult, title: string | null): string {
  const lines: string[] = [];
  lines.push(`${title ? `${title}  ` : ''}${describeEntry(e)}`);
  const counts = (o: Record<string, number>, total: number) => Object.entries(o).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} × ${v.toLocaleString('en-US')} (${pct(v, total)})`).join(', ') || '(none)';
  lines.push(`  statuses   ${counts(g.statusCounts, g.count)}`);
  if (Object.keys(g.flagCounts).length) lines.push(`  flags      ${counts(g.flagCounts, g.count)}`);
  lines.push(`  subsets    ${counts(g.bySubset, g.count)}`);
  lines.push(`  workloads  ${counts(g.byWorkload, g.count)}`);
  const l = g.latencyMs;
  lines.push(`  latency    p50 ${ms(l.p50)}, p90 ${ms(l.p90)}, p99 ${ms(l.p99)}, max ${ms(l.max)} (over ${ms(g.endMs - g.startMs)} of simulated time)`);
  const stats = Object.entries(entryStats(g, result)).filter(([k, v]) => v !== 0 && !/circuit_breakers\.default\.remaining/.test(k));
  if (stats.length) lines.push(...stats.map(([k, v], i) => `${i === 0 ? '  stats      ' : '             '}${k}: ${v.toLocaleString('en-US')}`));
  const ej = entryEjections(g, result);
  if (ej.length) lines.push(...ej.map((x, i) => `${i === 0 ? '  ejected    ' : '             '}${x.pod} by ${x.proxy} (${x.cluster}), ${x.times} time${x.times === 1 ? '' : 's'}${x.ejectedAtEnd ? ', still ejected' : ''}`));
  return lines.join('\n');
}

function entryStats(g: GroupResult, result: SimResult): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of g.proxies) for (const [k, v] of Object.entries(g.stats?.[p] ?? result.stats[p] ?? {})) out[k] = (out[k] ?? 0) + v;
  return out;
}

const entryEjections = (g: GroupResult, result: SimResult) => result.ejectedEndpoints.filter((e) => g.proxies.includes(e.proxy));

function progressBar(done: number, total: number | null, fraction: number | null): string {
  const f = fraction ?? 0;
  const width = 30;
  const full = Math.round(f * width);
  return `\r[${'#'.repeat(full)}${'-'.repeat(width - full)}] ${Math.floor(f * 100)}% ${done.toLocaleString('en-US')}${total !== null ? `/${total.toLocaleString('en-US')}` : ''} requests`;
}

export function runSimulate(argv: string[], io: Io): number {
  const { positionals, options } = parseArgs(argv, ['request', 'requests', 'mesh-config', 'seed', 'count', 'concurrency', 'qps'], ['json', 'help']);
  if (options.has('help')) {
    io.out(SIMULATE_USAGE);
    return 0;
  }
  const one = options.get('request');
  const many = options.get('requests');
  if ((one === undefined) === (many === undefined)) throw new UsageError('give exactly one of --request JSON or --requests FILE.json');
  const seed = intOption(options, 'seed', -(2 ** 31), 2 ** 31 - 1) ?? 1;
  const count = intOption(options, 'count', 1, LIMITS.requests);
  const concurrency = intOption(options, 'concurrency', 1, LIMITS.concurrency);
  const qpsOpt = options.get('qps');
  let qps: number | undefined;
  if (qpsOpt !== undefined) {
    qps = Number(qpsOpt);
    if (!Number.isFinite(qps) || qps < 0 || qps > LIMITS.qps) throw new UsageError(`--qps must be a number from 0 (as fast as possible) to ${LIMITS.qps.toLocaleString('en-US')} (got ${String(qpsOpt)})`);
  }
  const meshOpt = options.get('mesh-config');
  const meshConfig = meshOpt === undefined ? null : parseJson(String(meshOpt), '--mesh-config');
  if (meshConfig !== null && !isObj(meshConfig)) throw new InputError('--mesh-config must be a JSON object');

  let raw: unknown[];
  if (one !== undefined) raw = [parseJson(String(one), '--request')];
  else {
    let text: string;
    try {
      text = readFileSync(String(many), 'utf8');
    } catch {
      throw new InputError(`cannot read ${String(many)}`);
    }
    const list = parseJson(text, String(many));
    if (!Array.isArray(list) || list.length === 0) throw new InputError(`${String(many)} must hold a non-empty JSON array of requests`);
    raw = list;
  }
  const isMany = many !== undefined;
  const entries = raw.map((r, i) => entryOf(r, i, isMany, { count, concurrency, qps }));

  const design = loadDesign(positionals);
  for (const w of design.warnings) io.err(`meshcraft: ${w}`);
  const mesh = compileMesh(design.model, meshConfig as Record<string, unknown> | null);
  for (const issue of mesh.issues) io.err(`meshcraft: ${issue.severity}: ${issue.message}`);

  const traffic: TrafficGroup[] = entries.map((e, i) => ({ name: isMany ? `#${i + 1}` : 'request', mix: [e.template], load: e.load, phase: i }));
  let sim: Simulation;
  try {
    sim = new Simulation(mesh, { seed, traffic });
  } catch (e) {
    if (e instanceof SimInputError) throw new InputError(e.errors.map((m) => cliMessage(m, isMany)).join('\n'));
    throw e;
  }
  for (const w of sim.warnings) io.err(`meshcraft: warning: ${cliMessage(w, isMany)}`);

  // Run in chunks; a progress bar on stderr for long runs when stderr is a terminal.
  const tty = process.stderr.isTTY === true;
  const started = Date.now();
  let lastDraw = 0;
  let drawn = false;
  while (!sim.step(50_000)) {
    if (!tty) continue;
    const t = Date.now();
    if (t - started > 300 && t - lastDraw >= 100) {
      const p = sim.progress();
      process.stderr.write(progressBar(p.requestsDone, p.requestsTotal, p.fraction));
      lastDraw = t;
      drawn = true;
    }
  }
  if (drawn) process.stderr.write('\r\x1b[K');
  const result = sim.result();
  for (const w of result.warnings) if (!sim.warnings.includes(w)) io.err(`meshcraft: warning: ${cliMessage(w, isMany)}`);

  if (options.has('json')) {
    const out = result.groups.map((g) => ({
      count: g.count,
      bySubset: g.bySubset,
      byWorkload: g.byWorkload,
      statusCounts: g.statusCounts,
      flagCounts: g.flagCounts,
      latencyMs: { p50: g.latencyMs.p50, p90: g.latencyMs.p90, p99: g.latencyMs.p99, max: g.latencyMs.max },
      stats: entryStats(g, result),
      ejectedEndpoints: entryEjections(g, result),
      simulatedMs: Math.round((g.endMs - g.startMs) * 1000) / 1000,
    }));
    io.out(JSON.stringify(isMany ? out : out[0], null, 2));
  } else {
    io.out(result.groups.map((g, i) => formatGroup(g, entries[i], result, isMany ? `Request #${i + 1}` : null)).join('\n\n'));
  }
  return 0;
}
