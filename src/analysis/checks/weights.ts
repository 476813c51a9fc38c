/**
 * Route weights (http, tcp and tls routes).
 *
 *   IST0106 SchemaValidationError — several destinations whose weights add up to 0: Istio rejects the resource.
 *   MC101   RouteWeights — weights that work but probably not as meant: a destination without weight next to
 *           weighted ones gets no traffic (Warning); weights that do not add up to 100 are relative shares since
 *           Istio 1.15 (Info); a weight on a single destination is ignored (Info). Each with a fix to 100.
 */
import type { FieldPath } from '../../model/resource';
import { asArray } from '../../engine/raw';
import type { Ctx, VsInfo } from '../context';

/** Integer weights summing to 100, proportional to `ws` (largest remainder), equal when all are 0. */
export function toHundred(ws: number[]): number[] {
  const sum = ws.reduce((a, b) => a + b, 0);
  const exact = sum > 0 ? ws.map((w) => (w * 100) / sum) : ws.map(() => 100 / ws.length);
  const out = exact.map(Math.floor);
  let left = 100 - out.reduce((a, b) => a + b, 0);
  const order = exact.map((v, i) => ({ i, frac: v - Math.floor(v) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) out[order[k].i]++;
  return out;
}

/** What the author probably meant: missing weights share what is left of 100; otherwise scale to 100. */
export function proposeWeights(ws: Array<number | undefined>): number[] {
  const given = ws.map((w) => w ?? 0);
  const sum = given.reduce((a, b) => a + b, 0);
  const missing = ws.map((w, i) => (w === undefined ? i : -1)).filter((i) => i >= 0);
  if (missing.length && sum > 0 && sum < 100) {
    const rest = 100 - sum;
    const base = Math.floor(rest / missing.length);
    const out = [...given];
    missing.forEach((i, k) => (out[i] = base + (k < rest - base * missing.length ? 1 : 0)));
    return out;
  }
  return toHundred(given);
}

const pct = (w: number, sum: number) => `${Math.round((w * 1000) / sum) / 10}%`;

function checkRoute(ctx: Ctx, vs: VsInfo, items: Array<{ weight?: unknown }>, path: FieldPath): void {
  const ws = items.map((d) => (typeof d?.weight === 'number' ? d.weight : undefined));
  const fix = (weights: number[], title: string) => ({ title, kind: 'normalizeWeights' as const, target: vs.res.key, path, weights });
  if (items.length === 1) {
    const w = ws[0];
    if (w !== undefined && w !== 100) {
      ctx.report('MC101', vs.res, [...path, 0, 'weight'], `Weight ${w} is ignored: a single destination receives all the traffic.`, { fix: fix([100], 'Set the weight to 100') });
    }
    return;
  }
  const sum = ws.reduce<number>((a, w) => a + (w ?? 0), 0);
  if (sum === 0) {
    ctx.report('IST0106', vs.res, path, 'Schema validation error: total destination weight = 0 (with several destinations at least one needs a weight above 0).', {
      fix: fix(toHundred(ws.map(() => 0)), 'Split the traffic evenly'),
    });
    return;
  }
  const missing = ws.map((w, i) => (w === undefined ? i : -1)).filter((i) => i >= 0);
  if (missing.length) {
    const proposed = proposeWeights(ws);
    ctx.report('MC101', vs.res, [...path, missing[0]],
      `Destination${missing.length > 1 ? 's' : ''} ${missing.map((i) => `#${i}`).join(', ')} ${missing.length > 1 ? 'have' : 'has'} no weight, so ${missing.length > 1 ? 'they receive' : 'it receives'} no traffic (a missing weight counts as 0 when other destinations have one).`,
      { level: 'Warning', fix: fix(proposed, `Set weights to ${proposed.join('/')}`) });
    return;
  }
  if (sum !== 100) {
    const proposed = toHundred(ws as number[]);
    ctx.report('MC101', vs.res, path,
      `Weights add up to ${sum}, not 100; they are relative shares (${(ws as number[]).map((w) => pct(w, sum)).join(' / ')}), which Istio accepts since 1.15.`,
      { fix: fix(proposed, `Normalise weights to ${proposed.join('/')}`) });
  }
}

export function checkWeights(ctx: Ctx): void {
  for (const vs of ctx.virtualServices) {
    for (const proto of ['http', 'tcp', 'tls'] as const) {
      asArray(vs.spec[proto] as Array<{ route?: Array<{ weight?: unknown }> }> | undefined).forEach((rule, i) => {
        const route = asArray(rule?.route).filter((d) => d && typeof d === 'object');
        if (route.length === asArray(rule?.route).length && route.length) checkRoute(ctx, vs, route, ['spec', proto, i, 'route']);
      });
    }
  }
}
