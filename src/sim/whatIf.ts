/**
 * What-if: a load run on a variant of the design (other canary weights, an injected abort) without touching the
 * user's YAML. The variant is a copy of the resources with the affected VirtualService specs replaced; the same
 * changes can be applied to the design as commands through the edit path. Pure.
 */
import type { Command, RuleRef } from '../model/edit';
import type { Resource } from '../model/resource';

/** `<VirtualService key>#<protocol>/<index>` */
export type RuleId = string;

export interface WhatIf {
  /** New weights per weighted rule (one integer per destination, summing to 100). */
  weights: Record<RuleId, number[]>;
  /** true: the rule aborts 50 % of requests with 503; false: its abort is removed; absent: as designed. */
  aborts: Record<RuleId, boolean>;
}

export const NO_WHAT_IF: WhatIf = { weights: {}, aborts: {} };
export const ABORT = { percentage: { value: 50 }, httpStatus: 503 } as const;

export interface RuleInfo {
  id: RuleId;
  ref: RuleRef;
  /** `my-service · canary`, or `my-service · http[4]` for a rule without a name. */
  name: string;
  named: boolean;
  /** Destinations (`subset` or `host`) and their weights as designed. */
  dests: { label: string; weight: number }[];
  /** The design's rule aborts requests. */
  aborts: boolean;
}

type Obj = Record<string, any>;
const PROTOCOLS = ['http', 'tcp', 'tls'] as const;

export const ruleId = (ref: RuleRef): RuleId => `${ref.vs}#${ref.protocol}/${ref.index}`;

/** Rules of the design's VirtualServices, optionally only those whose id is in `only`. */
export function rulesOf(resources: readonly Resource[], only?: ReadonlySet<RuleId>): RuleInfo[] {
  const out: RuleInfo[] = [];
  for (const r of resources) {
    if (r.kind !== 'VirtualService') continue;
    const spec = r.spec as Obj;
    for (const protocol of PROTOCOLS) {
      ((spec?.[protocol] ?? []) as Obj[]).forEach((rule, index) => {
        const ref: RuleRef = { vs: r.key, protocol, index };
        const id = ruleId(ref);
        if (only && !only.has(id)) return;
        const route = (Array.isArray(rule?.route) ? rule.route : []) as Obj[];
        out.push({
          id,
          ref,
          name: `${r.name} · ${typeof rule?.name === 'string' ? rule.name : `${protocol}[${index}]`}`,
          named: typeof rule?.name === 'string',
          dests: route.map((d) => ({ label: String(d?.destination?.subset ?? d?.destination?.host ?? '?'), weight: route.length === 1 ? 100 : typeof d?.weight === 'number' ? d.weight : 0 })),
          aborts: !!rule?.fault?.abort,
        });
      });
    }
  }
  return out;
}

export const isEmpty = (w: WhatIf) => !Object.keys(w.weights).length && !Object.keys(w.aborts).length;

/** The design with the what-if changes in place (untouched resources are shared, changed ones copied). */
export function applyWhatIf(resources: readonly Resource[], w: WhatIf): Resource[] {
  if (isEmpty(w)) return resources as Resource[];
  const byVs = new Map<string, [string, number, 'weights' | 'abort', unknown][]>();
  for (const [id, weights] of Object.entries(w.weights)) push(byVs, id, 'weights', weights);
  for (const [id, on] of Object.entries(w.aborts)) push(byVs, id, 'abort', on);
  return resources.map((r) => {
    const changes = byVs.get(r.key);
    if (!changes) return r;
    const spec = structuredClone(r.spec) as Obj;
    for (const [protocol, index, what, value] of changes) {
      const rule = spec?.[protocol]?.[index] as Obj | undefined;
      if (!rule) continue;
      if (what === 'weights') {
        const route = (rule.route ?? []) as Obj[];
        (value as number[]).forEach((wt, i) => route[i] && (route[i].weight = wt));
      } else if (value) {
        rule.fault = { ...rule.fault, abort: { ...ABORT } };
      } else if (rule.fault) {
        delete rule.fault.abort;
        if (!Object.keys(rule.fault).length) delete rule.fault;
      }
    }
    return { ...r, spec } as Resource;
  });
}

function push(map: Map<string, [string, number, 'weights' | 'abort', unknown][]>, id: string, what: 'weights' | 'abort', value: unknown) {
  const m = /^(.*)#(http|tcp|tls)\/(\d+)$/.exec(id);
  if (!m) return;
  const list = map.get(m[1]) ?? [];
  list.push([m[2], Number(m[3]), what, value]);
  map.set(m[1], list);
}

/** The commands that make the design what the what-if ran (for "Apply to design"). */
export function whatIfCommands(resources: readonly Resource[], w: WhatIf): Command[] {
  const rules = new Map(rulesOf(resources).map((r) => [r.id, r]));
  const out: Command[] = [];
  for (const [id, weights] of Object.entries(w.weights)) {
    const r = rules.get(id);
    if (r && weights.some((x, i) => x !== r.dests[i]?.weight)) out.push({ type: 'setWeights', rule: r.ref, weights });
  }
  for (const [id, on] of Object.entries(w.aborts)) {
    const r = rules.get(id);
    if (!r || r.aborts === on) continue;
    const vs = resources.find((x) => x.key === r.ref.vs)!;
    const fault = ((vs.spec as Obj)[r.ref.protocol][r.ref.index] as Obj).fault as Obj | undefined;
    const next = on ? { ...fault, abort: { ...ABORT } } : { ...fault, abort: undefined };
    if (!on) delete next.abort;
    out.push({ type: 'setRuleField', rule: r.ref, field: 'fault', value: Object.keys(next).length ? next : undefined });
  }
  return out;
}
