/** One-line summaries of VirtualService matches, for edge labels and explanations. */

type StringMatch = { exact?: string; prefix?: string; regex?: string } | undefined;

function str(m: StringMatch): string {
  if (!m) return '';
  if (m.exact !== undefined) return `= ${m.exact}`;
  if (m.prefix !== undefined) return `^ ${m.prefix}`;
  if (m.regex !== undefined) return `~ ${m.regex}`;
  return '';
}

/** One HTTPMatchRequest → `uri ^ /v1, end-user = jason`. */
export function summarizeHttpMatch(m: Record<string, any>): string {
  const parts: string[] = [];
  if (m.uri) parts.push(`uri ${str(m.uri)}`);
  if (m.method) parts.push(`method ${str(m.method)}`);
  if (m.authority) parts.push(`authority ${str(m.authority)}`);
  if (m.scheme) parts.push(`scheme ${str(m.scheme)}`);
  for (const [h, v] of Object.entries((m.headers ?? {}) as Record<string, StringMatch>)) parts.push(`${h} ${str(v) || 'present'}`);
  for (const [h] of Object.entries((m.withoutHeaders ?? {}) as Record<string, StringMatch>)) parts.push(`no ${h}`);
  for (const [q, v] of Object.entries((m.queryParams ?? {}) as Record<string, StringMatch>)) parts.push(`?${q} ${str(v) || 'present'}`);
  if (m.port) parts.push(`port ${m.port}`);
  if (m.sourceLabels) parts.push(`from ${Object.entries(m.sourceLabels).map(([k, v]) => `${k}=${v}`).join(',')}`);
  if (m.sourceNamespace) parts.push(`from ns ${m.sourceNamespace}`);
  return parts.join(', ');
}

/** The matches of one rule (OR'ed): `uri = /v1 | uri = /v2`; `*` when the rule matches everything. */
export function summarizeRule(matches: Record<string, any>[] | undefined, kind: 'http' | 'tcp' | 'tls'): string {
  if (!matches?.length) return '*';
  const each = matches.map((m) => {
    if (kind === 'http') return summarizeHttpMatch(m);
    const parts: string[] = [];
    if (m.sniHosts) parts.push(`sni ${m.sniHosts.join(',')}`);
    if (m.port) parts.push(`port ${m.port}`);
    if (m.destinationSubnets) parts.push(`to ${m.destinationSubnets.join(',')}`);
    return parts.join(', ');
  });
  return each.some((s) => !s) ? '*' : each.join(' | ');
}
