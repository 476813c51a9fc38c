/** Commands on VirtualService rules (routes, matches, destinations, weights, rule fields) and DestinationRules. */
import type { MeshModel } from '../../model';
import type { FieldPath, ResourceKey } from '../../resource';
import type { Patch } from '../patch';
import { destName, done, fail, find, findRule, label, pathLabel, removeWithEmptyParents, ruleName, toPercent, evenSplit, distribute, type CommandResult, type Destination, type Obj, type RouteProtocol, type RuleRef } from './util';

export type RuleField = 'fault' | 'retries' | 'timeout' | 'mirror' | 'mirrorPercentage' | 'redirect' | 'rewrite';
export type PolicyField = 'tls' | 'loadBalancer' | 'connectionPool' | 'outlierDetection';
export type TlsMode = 'DISABLE' | 'SIMPLE' | 'MUTUAL' | 'ISTIO_MUTUAL';

export type RouteCommand =
  /** A new rule at `index` (default: before a trailing catch-all http rule, else at the end); `rule` defaults to a route to the first host. */
  | { type: 'addRoute'; vs: ResourceKey; protocol: RouteProtocol; index?: number; rule?: Obj }
  | { type: 'removeRoute'; rule: RuleRef }
  | { type: 'moveRoute'; rule: RuleRef; direction: 'up' | 'down' }
  /** `undefined` or `[]` removes the matches (the rule then matches everything). */
  | { type: 'setMatches'; rule: RuleRef; match: Obj[] | undefined }
  /** Without `weight`, a weighted rule is rebalanced evenly. */
  | { type: 'addDestination'; rule: RuleRef; destination: Destination; weight?: number }
  | { type: 'removeDestination'; rule: RuleRef; index: number }
  /** One integer per destination, summing to 100. */
  | { type: 'setWeights'; rule: RuleRef; weights: number[] }
  /**
   * `undefined` removes the field (removing `mirror` also removes `mirrorPercentage`). Setting `redirect` replaces
   * the rule's `route` (a rule has one or the other).
   */
  | { type: 'setRuleField'; rule: RuleRef; field: RuleField; value: unknown }
  | { type: 'addSubset'; dr: ResourceKey; name: string; labels?: Record<string, string> }
  | { type: 'removeSubset'; dr: ResourceKey; name: string }
  /** A traffic policy field of the DestinationRule, or of one of its subsets; `undefined` removes it. */
  | { type: 'setPolicy'; dr: ResourceKey; subset?: string; field: PolicyField; value: unknown }
  | { type: 'setTlsMode'; dr: ResourceKey; subset?: string; mode: TlsMode | undefined };

const RULE_FIELDS: readonly RuleField[] = ['fault', 'retries', 'timeout', 'mirror', 'mirrorPercentage', 'redirect', 'rewrite'];
const POLICY_FIELDS: readonly PolicyField[] = ['tls', 'loadBalancer', 'connectionPool', 'outlierDetection'];
const TLS_MODES: readonly TlsMode[] = ['DISABLE', 'SIMPLE', 'MUTUAL', 'ISTIO_MUTUAL'];

const weightsOf = (route: Obj[]) => route.map((d) => (typeof d.weight === 'number' ? d.weight : undefined));
const percentList = (route: Obj[], weights: number[]) => route.map((d, i) => `${destName(d)} ${weights[i]}%`).join(', ');

/** Patches that give each destination its weight (a lone destination needs none). */
function weightPatches(key: ResourceKey, routePath: FieldPath, route: Obj[], weights: (number | undefined)[]): Patch[] {
  const out: Patch[] = [];
  route.forEach((d, i) => {
    const w = route.length === 1 ? undefined : weights[i];
    if (w === d.weight) return;
    out.push(w === undefined ? { type: 'delete', key, path: [...routePath, i, 'weight'] } : { type: 'set', key, path: [...routePath, i, 'weight'], value: w });
  });
  return out;
}

export function routeCommand(model: MeshModel, c: RouteCommand): CommandResult {
  switch (c.type) {
    case 'addRoute': {
      const vs = find(model, c.vs, 'VirtualService');
      if (typeof vs === 'string') return fail(vs);
      const rules = (vs.spec[c.protocol] ?? []) as Obj[];
      const host = vs.spec.hosts?.[0];
      if (!c.rule && !host) return fail(`${label(vs)} has no host to route to; give the rule.`);
      const route = [{ destination: { host } }];
      const rule = c.rule ?? (c.protocol === 'tls' ? { match: [{ port: 443, sniHosts: [host] }], route } : { route });
      const catchAll = c.protocol === 'http' && rules.length > 0 && !rules[rules.length - 1].match;
      const index = c.index ?? (catchAll ? rules.length - 1 : rules.length);
      if (!Number.isInteger(index) || index < 0 || index > rules.length) return fail(`${label(vs)} has ${rules.length} ${c.protocol} rules; cannot add one at position ${index + 1}.`);
      return done([{ type: 'insert', key: vs.key, path: ['spec', c.protocol], index, value: rule }], `Add ${ruleName(rule, { protocol: c.protocol, index })} to ${label(vs)} at position ${index + 1}`);
    }
    case 'removeRoute': {
      const r = findRule(model, c.rule);
      if (typeof r === 'string') return fail(r);
      const path = r.rules.length === 1 ? ['spec', c.rule.protocol] : r.path;
      return done([{ type: 'delete', key: r.vs.key, path }], `Remove ${r.name} from ${label(r.vs)}`);
    }
    case 'moveRoute': {
      const r = findRule(model, c.rule);
      if (typeof r === 'string') return fail(r);
      const to = c.rule.index + (c.direction === 'up' ? -1 : 1);
      if (to < 0 || to >= r.rules.length) return fail(`${r.name} is already the ${c.direction === 'up' ? 'first' : 'last'} ${c.rule.protocol} rule of ${label(r.vs)}.`);
      return done([{ type: 'move', key: r.vs.key, path: ['spec', c.rule.protocol], from: c.rule.index, to }], `Move ${r.name} ${c.direction} to position ${to + 1} in ${label(r.vs)}`);
    }
    case 'setMatches': {
      const r = findRule(model, c.rule);
      if (typeof r === 'string') return fail(r);
      if (!c.match?.length) {
        if (r.rule.match === undefined) return fail(`${r.name} of ${label(r.vs)} has no matches.`);
        return done([{ type: 'delete', key: r.vs.key, path: [...r.path, 'match'] }], `Remove the matches of ${r.name} in ${label(r.vs)} (it now matches every request)`);
      }
      return done([{ type: 'set', key: r.vs.key, path: [...r.path, 'match'], value: c.match }], `Set ${c.match.length} match${c.match.length > 1 ? 'es' : ''} on ${r.name} in ${label(r.vs)}`);
    }
    case 'addDestination': {
      const r = findRule(model, c.rule);
      if (typeof r === 'string') return fail(r);
      if (!c.destination.host) return fail('A destination needs a host.');
      const route = (Array.isArray(r.rule.route) ? r.rule.route : []) as Obj[];
      const entry: Obj = { destination: { ...c.destination } };
      const next = [...route, entry];
      const old = weightsOf(route);
      let weights: (number | undefined)[];
      if (c.weight !== undefined) {
        if (!Number.isInteger(c.weight) || c.weight < 0 || c.weight > 100) return fail('A weight is an integer from 0 to 100.');
        weights = [...distribute(100 - c.weight, route.map((_, i) => old[i] ?? (route.length === 1 ? 100 : 0))), c.weight];
      } else if (route.length === 0) weights = [undefined];
      else weights = evenSplit(next.length);
      const patches: Patch[] = [{ type: 'insert', key: r.vs.key, path: [...r.path, 'route'], index: route.length, value: entry }];
      patches.push(...weightPatches(r.vs.key, [...r.path, 'route'], next, weights));
      const split = next.length > 1 ? `; weights now ${percentList(next, weights as number[])}` : '';
      return done(patches, `Add destination ${destName(entry)} to ${r.name} in ${label(r.vs)}${split}`);
    }
    case 'removeDestination': {
      const r = findRule(model, c.rule);
      if (typeof r === 'string') return fail(r);
      const route = (Array.isArray(r.rule.route) ? r.rule.route : []) as Obj[];
      if (!route[c.index]) return fail(`${r.name} of ${label(r.vs)} has no destination ${c.index + 1}.`);
      if (route.length === 1) return fail(`${destName(route[0])} is the only destination of ${r.name}; remove the rule instead.`);
      const next = route.filter((_, i) => i !== c.index);
      const old = weightsOf(next);
      const weights = next.length === 1 ? [undefined] : old.every((w) => w !== undefined) ? toPercent(old as number[]) : old;
      const patches: Patch[] = [{ type: 'delete', key: r.vs.key, path: [...r.path, 'route', c.index] }];
      patches.push(...weightPatches(r.vs.key, [...r.path, 'route'], next, weights));
      const split = next.length > 1 && weights.every((w) => w !== undefined) ? `; weights now ${percentList(next, weights as number[])}` : '';
      return done(patches, `Remove destination ${destName(route[c.index])} from ${r.name} in ${label(r.vs)}${split}`);
    }
    case 'setWeights': {
      const r = findRule(model, c.rule);
      if (typeof r === 'string') return fail(r);
      const route = (Array.isArray(r.rule.route) ? r.rule.route : []) as Obj[];
      if (c.weights.length !== route.length) return fail(`${r.name} has ${route.length} destinations; give ${route.length} weights.`);
      if (c.weights.some((w) => !Number.isInteger(w) || w < 0 || w > 100)) return fail('Weights are integers from 0 to 100.');
      const sum = c.weights.reduce((a, b) => a + b, 0);
      if (sum !== 100) return fail(`Weights must add up to 100 (these add up to ${sum}).`);
      const changed = route.flatMap((d, i) => (d.weight === c.weights[i] ? [] : [`${destName(d)} ${c.weights[i]}%`]));
      if (!changed.length) return fail(`${r.name} already has these weights.`);
      const patches = route.map((_, i): Patch => ({ type: 'set', key: r.vs.key, path: [...r.path, 'route', i, 'weight'], value: c.weights[i] })).filter((_, i) => route[i].weight !== c.weights[i]);
      const what = changed.length === 1 ? `weight of ${changed[0].replace(/ (\d+)%$/, ' to $1%')}` : `weights ${changed.join(', ')}`;
      return done(patches, `Set ${what} in ${r.name} of ${label(r.vs)}`);
    }
    case 'setRuleField': {
      const r = findRule(model, c.rule);
      if (typeof r === 'string') return fail(r);
      if (!RULE_FIELDS.includes(c.field)) return fail(`Unknown rule field ${c.field}.`);
      if (c.rule.protocol !== 'http') return fail(`${c.field} applies to http rules only.`);
      const path = [...r.path, c.field];
      if (c.value === undefined) {
        if (r.rule[c.field] === undefined) return fail(`${r.name} of ${label(r.vs)} has no ${c.field}.`);
        // Without a mirror, its percentage means nothing: it goes too.
        const alsoPercentage = c.field === 'mirror' && r.rule.mirrorPercentage !== undefined;
        const patches: Patch[] = [{ type: 'delete', key: r.vs.key, path }];
        if (alsoPercentage) patches.push({ type: 'delete', key: r.vs.key, path: [...r.path, 'mirrorPercentage'] });
        return done(patches, `Remove ${c.field}${alsoPercentage ? ' and mirrorPercentage' : ''} from ${r.name} in ${label(r.vs)}`);
      }
      const patches: Patch[] = [{ type: 'set', key: r.vs.key, path, value: c.value }];
      let extra = '';
      if (c.field === 'redirect' && r.rule.route !== undefined) {
        patches.push({ type: 'delete', key: r.vs.key, path: [...r.path, 'route'] });
        extra = ' (replacing its route)';
      }
      const shown = typeof c.value === 'object' ? '' : ` to ${String(c.value)}`;
      return done(patches, `Set ${c.field}${shown} on ${r.name} in ${label(r.vs)}${extra}`);
    }
    case 'addSubset': {
      const dr = find(model, c.dr, 'DestinationRule');
      if (typeof dr === 'string') return fail(dr);
      const subsets = dr.spec.subsets ?? [];
      if (subsets.some((s) => s.name === c.name)) return fail(`${label(dr)} already has a subset ${c.name}.`);
      if (!/^[a-zA-Z0-9]([-a-zA-Z0-9_.]*[a-zA-Z0-9])?$/.test(c.name)) return fail(`"${c.name}" is not a valid subset name.`);
      const subset = { name: c.name, labels: c.labels ?? { version: c.name } };
      return done([{ type: 'insert', key: dr.key, path: ['spec', 'subsets'], index: subsets.length, value: subset }], `Add subset ${c.name} to ${label(dr)}`);
    }
    case 'removeSubset': {
      const dr = find(model, c.dr, 'DestinationRule');
      if (typeof dr === 'string') return fail(dr);
      const subsets = dr.spec.subsets ?? [];
      const i = subsets.findIndex((s) => s.name === c.name);
      if (i < 0) return fail(`${label(dr)} has no subset ${c.name}.`);
      return done([{ type: 'delete', key: dr.key, path: subsets.length === 1 ? ['spec', 'subsets'] : ['spec', 'subsets', i] }], `Remove subset ${c.name} from ${label(dr)}`);
    }
    case 'setPolicy':
    case 'setTlsMode': {
      const dr = find(model, c.dr, 'DestinationRule');
      if (typeof dr === 'string') return fail(dr);
      let base: FieldPath = ['spec', 'trafficPolicy'];
      let where = label(dr);
      if (c.subset !== undefined) {
        const i = (dr.spec.subsets ?? []).findIndex((s) => s.name === c.subset);
        if (i < 0) return fail(`${label(dr)} has no subset ${c.subset}.`);
        base = ['spec', 'subsets', i, 'trafficPolicy'];
        where = `subset ${c.subset} of ${label(dr)}`;
      }
      const field = c.type === 'setTlsMode' ? 'tls' : c.field;
      if (!POLICY_FIELDS.includes(field)) return fail(`Unknown traffic policy field ${field}.`);
      const path: FieldPath = c.type === 'setTlsMode' ? [...base, 'tls', 'mode'] : [...base, field];
      const value = c.type === 'setTlsMode' ? c.mode : c.value;
      if (c.type === 'setTlsMode' && c.mode !== undefined && !TLS_MODES.includes(c.mode)) return fail(`Unknown TLS mode ${c.mode}.`);
      const what = c.type === 'setTlsMode' ? 'TLS mode' : field;
      if (value === undefined) {
        const patches = removeWithEmptyParents(dr, path, base.length - 1);
        if (!patches.length) return fail(`${where} has no ${what}.`);
        return done(patches, `Remove ${what} from ${where}`);
      }
      const shown = typeof value === 'object' ? '' : ` to ${String(value)}`;
      return done([{ type: 'set', key: dr.key, path, value }], `Set ${what}${shown} in ${where} (${pathLabel(path)})`);
    }
  }
}
