/**
 * First-match-wins reachability of VirtualService rules (http, tcp, tls), on the engine's matcher semantics.
 *
 *   IST0130 VirtualServiceUnreachableRule — every match of a rule (or the rule without matches) is covered by
 *           matches of earlier rules, so no request ever reaches it.
 *   IST0131 VirtualServiceIneffectiveMatch — one match of a still reachable rule is covered by an earlier match
 *           (of an earlier rule, or of the same rule).
 *
 * Coverage is decided match by match (src/analysis/coverage.ts): a match covered only by the union of several
 * earlier matches is not reported. A rule that delegates covers nothing (its delegate's matches narrow it).
 */
import type { FieldPath } from '../../model/resource';
import { compileHttpMatch, ConfigError, type HttpMatch } from '../../engine/match';
import { asArray, type RawHttpMatch, type RawL4Match } from '../../engine/raw';
import type { Ctx, VsInfo } from '../context';
import { l4Covers, requestCovers, scopeCovers, scopeOf, type Scope } from '../coverage';

interface Entry {
  rule: number;
  /** Index in the rule's `match`, or null for a rule without matches. */
  match: number | null;
  scope: Scope;
  /** Matches every request (within its scope). */
  all: boolean;
  http?: HttpMatch;
  l4?: RawL4Match;
}

/** Entry `c` takes every request `e` would get, wherever `e`'s route exists. */
function covers(c: Entry, e: Entry): boolean {
  if (!scopeCovers(c.scope, e.scope)) return false;
  if (c.http && e.http) return requestCovers(c.http, e.http);
  if (c.l4 && e.l4) return l4Covers(c.l4, e.l4);
  return false;
}

const ruleName = (rule: { name?: unknown } | null | undefined, i: number) => (typeof rule?.name === 'string' && rule.name ? `"${rule.name}"` : `#${i}`);
const matchName = (m: { name?: unknown } | null | undefined, j: number) => (typeof m?.name === 'string' && m.name ? `"${m.name}"` : `#${j}`);

interface Rule {
  raw: { name?: unknown; match?: unknown; delegate?: unknown } | null;
  entries: Entry[];
  /** Covers nothing for later rules (a delegating rule). */
  opaque: boolean;
}

function analyzeRules(ctx: Ctx, vs: VsInfo, proto: 'http' | 'tcp' | 'tls', rules: Rule[]): void {
  const label = proto === 'http' ? '' : `${proto} `;
  const seen: Entry[] = [];
  rules.forEach((rule, i) => {
    const rulePath: FieldPath = ['spec', proto, i];
    const coveredBy = rule.entries.map((e) => seen.find((c) => covers(c, e)) ?? null);
    if (rule.entries.length && coveredBy.every((c) => c !== null)) {
      const cs = coveredBy as Entry[];
      const catchAll = cs.find((c) => c.all && c.match === null) ?? cs.find((c) => c.all);
      let reason: string;
      if (catchAll && rule.entries.every((e) => e.match === null) && catchAll.match === null) reason = 'only the last rule can have no matches';
      else if (catchAll && cs.every((c) => c === catchAll)) reason = `rule ${ruleName(rules[catchAll.rule].raw, catchAll.rule)} ${catchAll.match === null ? 'has no matches and' : `match #${catchAll.match}`} takes every request first`;
      else reason = `every match is covered by an earlier rule: ${rule.entries.map((e, k) => `${e.match === null ? 'the rule' : `match #${e.match}`} by rule ${ruleName(rules[cs[k].rule].raw, cs[k].rule)}${cs[k].match === null ? '' : ` match #${cs[k].match}`}`).join('; ')}`;
      ctx.report('IST0130', vs.res, rulePath, `VirtualService ${label}rule ${ruleName(rule.raw, i)} not used (${reason}).`, {
        fix: { title: `Remove unreachable ${label}rule ${ruleName(rule.raw, i)}`, kind: 'removeRule', target: vs.res.key, path: rulePath },
      });
      return;
    }
    const matches = asArray(rule.raw?.match as Array<{ name?: unknown }> | undefined);
    rule.entries.forEach((e, k) => {
      if (e.match === null) return;
      const earlier = coveredBy[k] ?? rule.entries.slice(0, k).find((c) => covers(c, e)) ?? null;
      if (!earlier) return;
      const path: FieldPath = [...rulePath, 'match', e.match];
      ctx.report('IST0131', vs.res, path,
        `VirtualService ${label}rule ${ruleName(rule.raw, i)} match ${matchName(matches[e.match], e.match)} is not used (duplicate/overlapping match in rule ${ruleName(rules[earlier.rule].raw, earlier.rule)}).`,
        { fix: { title: `Remove ineffective match ${matchName(matches[e.match], e.match)}`, kind: 'removeMatch', target: vs.res.key, path } });
    });
    if (!rule.opaque) seen.push(...rule.entries);
  });
}

const EMPTY_HTTP = compileHttpMatch({}, []);

function httpRules(vs: VsInfo): Rule[] | null {
  const out: Rule[] = [];
  const list = asArray(vs.spec.http as Array<Record<string, unknown>> | undefined);
  for (let i = 0; i < list.length; i++) {
    const raw = list[i] && typeof list[i] === 'object' ? list[i] : null;
    const ms = asArray(raw?.match as RawHttpMatch[] | undefined);
    const entries: Entry[] = [];
    const add = (m: RawHttpMatch | null, j: number | null, http: HttpMatch) =>
      entries.push({ rule: i, match: j, scope: scopeOf(m, vs.gateways, vs.namespace), all: http.catchAll, http });
    try {
      if (ms.length === 0) add(null, null, EMPTY_HTTP);
      ms.forEach((m, j) => {
        const x = m && typeof m === 'object' ? m : {};
        add(x, j, compileHttpMatch(x, ['spec', 'http', i, 'match', j]));
      });
    } catch (e) {
      if (e instanceof ConfigError) return null; // an invalid regex: Istio rejects the resource (reported as IST0106)
      throw e;
    }
    out.push({ raw, entries, opaque: raw?.delegate !== undefined && raw.delegate !== null });
  }
  return out;
}

function l4Rules(vs: VsInfo, proto: 'tcp' | 'tls'): Rule[] {
  return asArray(vs.spec[proto] as Array<Record<string, unknown>> | undefined).map((r, i) => {
    const raw = r && typeof r === 'object' ? r : null;
    const ms = asArray(raw?.match as RawL4Match[] | undefined);
    const mk = (m: RawL4Match, j: number | null): Entry => ({
      rule: i, match: j, scope: scopeOf(m, vs.gateways, vs.namespace), l4: m,
      all: !asArray(m.destinationSubnets).length && !asArray(m.sniHosts).length,
    });
    const entries = ms.length ? ms.map((m, j) => mk(m && typeof m === 'object' ? m : {}, j)) : [mk({}, null)];
    return { raw, entries, opaque: false };
  });
}

export function checkReachability(ctx: Ctx): void {
  for (const vs of ctx.virtualServices) {
    const http = httpRules(vs);
    if (http) analyzeRules(ctx, vs, 'http', http);
    for (const proto of ['tcp', 'tls'] as const) {
      const rules = l4Rules(vs, proto);
      if (rules.length) analyzeRules(ctx, vs, proto, rules);
    }
  }
}
