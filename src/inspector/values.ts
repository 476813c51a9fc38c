/**
 * Form values ↔ YAML values, and the validation that runs before anything is written. Pure: the inspector's
 * fields are strings; these turn them into what the model holds (or a message why not), and back.
 */
import { parseDurationMs } from '../engine/duration';

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A field's text read as a model value: `value` undefined removes the field. */
export type Parsed<T> = { ok: true; value: T | undefined } | { ok: false; error: string };
export type Parser<T> = (text: string) => Parsed<T>;

const ok = <T>(value: T | undefined): Parsed<T> => ({ ok: true, value });
const bad = (error: string): Parsed<never> => ({ ok: false, error });

/** Free text; empty removes the field unless `required`. */
export const text = (opts: { required?: string; pattern?: [RegExp, string] } = {}): Parser<string> => (s) => {
  const v = s.trim();
  if (!v) return opts.required ? bad(opts.required) : ok(undefined);
  if (opts.pattern && !opts.pattern[0].test(v)) return bad(opts.pattern[1]);
  return ok(v);
};

/** A whole number in [min, max]; empty removes the field. */
export const integer = (min: number, max = Number.MAX_SAFE_INTEGER, what = 'a whole number'): Parser<number> => (s) => {
  const v = s.trim();
  if (!v) return ok(undefined);
  if (!/^-?\d+$/.test(v)) return bad(`Enter ${what}${max < Number.MAX_SAFE_INTEGER ? ` from ${min} to ${max}` : min > 0 ? ` of at least ${min}` : ''}.`);
  const n = Number(v);
  if (n < min || n > max) return bad(max < Number.MAX_SAFE_INTEGER ? `Must be from ${min} to ${max}.` : `Must be at least ${min}.`);
  return ok(n);
};

/** A percentage 0–100 (decimals allowed, `%` tolerated); empty removes it. */
export const percent: Parser<number> = (s) => {
  const v = s.trim().replace(/%$/, '').trim();
  if (!v) return ok(undefined);
  if (!/^\d+(\.\d+)?$|^\.\d+$/.test(v)) return bad('Enter a percentage from 0 to 100.');
  const n = Number(v);
  if (n > 100) return bad('A percentage is at most 100.');
  return ok(n);
};

/** A protobuf duration as Istio takes it (`5s`, `100ms`, `1m30s`); empty removes it. */
export const duration: Parser<string> = (s) => {
  const v = s.trim();
  if (!v) return ok(undefined);
  if (/^\d+(\.\d+)?$/.test(v)) return bad(`Add a unit: ${v}s or ${v}ms.`);
  const ms = parseDurationMs(v);
  if (ms === null) return bad('Enter a duration like 5s, 100ms or 1m30s.');
  if (ms <= 0) return bad('A duration must be longer than 0.');
  return ok(v);
};

/** A list typed as `a, b, c` (commas or new lines); empty removes it. */
export const list = (item?: [RegExp, string]): Parser<string[]> => (s) => {
  const items = s.split(/[,\n]/).map((x) => x.trim()).filter(Boolean);
  if (!items.length) return ok(undefined);
  const wrong = item && items.find((x) => !item[0].test(x));
  if (wrong) return bad(`"${wrong}": ${item![1]}`);
  return ok(items);
};
export const formatList = (v: unknown) => (Array.isArray(v) ? v.map(String).join(', ') : '');

const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/** Kubernetes labels typed as `app=web, version=v1`; empty removes them. */
export const labels: Parser<Record<string, string>> = (s) => {
  const out: Record<string, string> = {};
  for (const part of s.split(/[,\n]/).map((x) => x.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) return bad(`"${part}": write labels as key=value.`);
    const k = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    if (!LABEL_KEY.test(k) || k.length > 316) return bad(`"${k}" is not a valid label key.`);
    if (!LABEL_VALUE.test(v) || v.length > 63) return bad(`"${v}" is not a valid label value (letters, digits, -, _, .).`);
    out[k] = v;
  }
  return ok(Object.keys(out).length ? out : undefined);
};
export const formatLabels = (v: unknown) => (isObj(v) ? Object.entries(v).map(([k, x]) => `${k}=${String(x)}`).join(', ') : '');

/** How a model value shows in a text field. */
export const show = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** DNS-1123 names (Kubernetes object names), for the validators above. */
export const NAME: [RegExp, string] = [/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, 'use lower-case letters, digits, "-" and "."'];
export const HOST: [RegExp, string] = [/^(\*|(\*\.)?[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*|[a-z0-9-]+\/(\*|(\*\.)?[A-Za-z0-9.-]+))$/, 'not a host name'];

/**
 * `obj` with the value at `path` replaced (`undefined` removes it), copying only the maps on the way. Maps that
 * the removal leaves empty go too; the result is undefined when nothing is left.
 */
export function setIn(obj: unknown, path: readonly string[], value: unknown): Obj | undefined {
  const base: Obj = isObj(obj) ? { ...obj } : {};
  const [head, ...rest] = path;
  const next = rest.length ? setIn(base[head], rest, value) : value;
  if (next === undefined) delete base[head];
  else base[head] = next;
  return Object.keys(base).length ? base : undefined;
}

export function getIn(obj: unknown, path: readonly (string | number)[]): unknown {
  let cur = obj;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[p];
  }
  return cur;
}

/** Istio `Percent` (`{value: n}`) or the deprecated integer `percent` beside it. */
export function readPercentage(holder: unknown): number | undefined {
  if (!isObj(holder)) return undefined;
  const p = holder.percentage;
  if (isObj(p) && typeof p.value === 'number') return p.value;
  return typeof holder.percent === 'number' ? holder.percent : undefined;
}

const RETRY_ON = new Set([
  '5xx', 'gateway-error', 'reset', 'connect-failure', 'envoy-ratelimited', 'retriable-4xx', 'refused-stream', 'retriable-status-codes',
  'retriable-headers', 'cancelled', 'deadline-exceeded', 'internal', 'resource-exhausted', 'unavailable', 'http3-post-connect-failure',
]);

/** `retryOn`: Envoy retry policies (and status codes), comma-separated. */
export function parseRetryOn(s: string): Parsed<string> {
  const parts = s.split(',').map((x) => x.trim()).filter(Boolean);
  if (!parts.length) return { ok: true, value: undefined };
  const wrong = parts.find((p) => !RETRY_ON.has(p) && !/^[1-5]\d\d$/.test(p));
  if (wrong) return { ok: false, error: `"${wrong}" is not a retry condition (5xx, gateway-error, reset, connect-failure, retriable-4xx, …).` };
  return { ok: true, value: parts.join(',') };
}

/** `holder` with its percentage set the current way (`percentage.value`), dropping the old integer `percent`. */
export const withPercentage = (holder: unknown, value: number | undefined) => setIn(setIn(holder, ['percent'], undefined), ['percentage', 'value'], value);

