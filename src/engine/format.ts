/** Human-readable rendering of a trace (the CLI's default output, in the spirit of `istioctl x describe`). */
import type { Trace } from './types';

export function formatTrace(t: Trace, title?: string): string {
  const lines: string[] = [];
  if (title) lines.push(title);
  const head = t.status !== null ? `${t.status}${t.flags.length ? ` (${t.flags.join(',')})` : ''}` : t.outcome.replace(/_/g, ' ') + (t.flags.length ? ` (${t.flags.join(',')})` : '');
  lines.push(`Result:      ${head} from ${t.responseFrom} in ${t.durationMs} ms${t.upstreamAttempts > 1 ? `, ${t.upstreamAttempts} upstream attempts` : ''}`);
  if (t.destination) lines.push(`Destination: ${t.destination.cluster}${t.destination.workload ? ` → ${t.destination.workload}` : ''}`);
  else if (t.cluster) lines.push(`Destination: ${t.cluster}`);
  if (t.location) lines.push(`Location:    ${t.location}`);
  if (t.delayMs) lines.push(`Delay:       ${t.delayMs} ms injected`);
  for (const m of t.mirroredTo) lines.push(`Mirrored to: ${m.service} (authority ${m.authority})`);
  lines.push('Hops:');
  t.hops.forEach((h, i) => {
    const parts = [h.proxy, h.listenerPort !== null ? `port ${h.listenerPort}` : null, h.route ? `route ${h.route}` : null, h.vhost ? `vhost ${h.vhost}` : null, h.matchedRule ? `rule ${h.virtualService ? `${h.virtualService} ` : ''}${h.matchedRule}` : null, h.cluster ? `cluster ${h.cluster}` : null, h.upstreamTls ? `upstream ${h.upstreamTls}` : null].filter(Boolean);
    lines.push(`  ${i + 1}. ${parts.join(' | ')}`);
  });
  lines.push('Explanation:');
  for (const s of t.explanation) {
    const where = s.resource ? `  [${s.resource}${s.path && s.path.length ? ` ${s.path.join('.')}` : ''}]` : '';
    lines.push(`  ${s.hop >= 0 ? `${s.hop + 1}.` : '-'} ${s.message}${where}`);
  }
  return lines.join('\n');
}
