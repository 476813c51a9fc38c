/** The request form's fields (kept in the store: switching the drawer's tabs, or closing it, keeps what was typed). Pure. */
import type { RequestInput, SourceInput } from '../engine/types';

export interface RequestForm {
  source: string;
  method: string;
  authority: string;
  port: string;
  path: string;
  headers: string;
}

export const sourceKey = (s: SourceInput) => (s.gateway ? `gw:${s.gateway}` : `wl:${s.namespace ?? 'default'}/${s.workload}`);

export function toForm(input: RequestInput): RequestForm {
  return {
    source: sourceKey(input.source),
    method: input.request.method ?? 'GET',
    authority: input.request.authority ?? '',
    port: input.request.port ? String(input.request.port) : '',
    path: input.request.path ?? '/',
    headers: Object.entries(input.request.headers ?? {})
      .map(([k, v]) => `${k}: ${v}`)
      .join('\n'),
  };
}

/** `name: value` per line; returns an error message for a malformed line. */
export function parseHeaders(text: string): Record<string, string> | string {
  const out: Record<string, string> = {};
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) return `Header line ${i + 1} needs the form "name: value".`;
    out[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return out;
}
