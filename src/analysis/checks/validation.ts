/**
 * What Istio's validating webhook rejects and the CRD schema (checked at parse time) cannot see.
 *
 *   IST0106 SchemaValidationError — an invalid RE2 regular expression (match fields, `uriRegexRewrite.match`, CORS
 *           origins), or the host `*` on a VirtualService bound to the mesh. (istioctl's own IST0122 InvalidRegexp
 *           is retired: Istio's validation rejects such resources, so they never take effect.)
 */
import { RE2JS } from 're2js';
import type { FieldPath } from '../../model/resource';
import { asArray } from '../../engine/raw';
import type { Ctx, VsInfo } from '../context';

/** Compile results by pattern, kept across calls (the same patterns come back after every keystroke). */
const cache = new Map<string, string | null>();
const CACHE_LIMIT = 2000;

/** The RE2 syntax error of a pattern, or null when it compiles. */
export function regexError(pattern: string): string | null {
  let err = cache.get(pattern);
  if (err === undefined) {
    try {
      RE2JS.compile(pattern);
      err = null;
    } catch (e) {
      err = (e as Error).message;
    }
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(pattern, err);
  }
  return err;
}

const dotted = (path: FieldPath) => path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').slice(1);

function checkRegex(ctx: Ctx, vs: VsInfo, value: unknown, path: FieldPath): void {
  if (typeof value !== 'string') return;
  const err = regexError(value);
  if (err !== null) ctx.report('IST0106', vs.res, path, `Schema validation error: ${dotted(path)}: invalid regular expression "${value}" (${err}).`);
}

function checkStringMatch(ctx: Ctx, vs: VsInfo, sm: unknown, path: FieldPath, header: boolean): void {
  if (!sm || typeof sm !== 'object') return;
  const regex = (sm as { regex?: unknown }).regex;
  // The engine (like Istio's translator) reads `regex: "*"` in headers/queryParams as "present".
  if (header && regex === '*') return;
  checkRegex(ctx, vs, regex, [...path, 'regex']);
}

export function checkValidation(ctx: Ctx): void {
  for (const vs of ctx.virtualServices) {
    if (vs.meshBound) {
      for (const h of vs.hosts) {
        if (h.raw === '*') ctx.report('IST0106', vs.res, ['spec', 'hosts', h.index], 'Schema validation error: wildcard host * is not allowed for virtual services bound to the mesh gateway.');
      }
    }
    asArray(vs.spec.http as Array<Record<string, any>> | undefined).forEach((rule, i) => {
      if (!rule || typeof rule !== 'object') return;
      const base: FieldPath = ['spec', 'http', i];
      asArray(rule.match as Array<Record<string, unknown>>).forEach((m, j) => {
        if (!m || typeof m !== 'object') return;
        const mp = [...base, 'match', j];
        for (const k of ['uri', 'scheme', 'method', 'authority']) checkStringMatch(ctx, vs, m[k], [...mp, k], false);
        for (const k of ['headers', 'withoutHeaders', 'queryParams']) {
          const map = m[k];
          if (map && typeof map === 'object') for (const name of Object.keys(map)) checkStringMatch(ctx, vs, (map as Record<string, unknown>)[name], [...mp, k, name], true);
        }
      });
      checkRegex(ctx, vs, rule.rewrite?.uriRegexRewrite?.match, [...base, 'rewrite', 'uriRegexRewrite', 'match']);
      asArray(rule.corsPolicy?.allowOrigins as unknown[]).forEach((o, k) => checkStringMatch(ctx, vs, o, [...base, 'corsPolicy', 'allowOrigins', k], false));
    });
  }
}
