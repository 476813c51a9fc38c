/** What a load run adds to an edge's label: a metrics row (its particles are drawn by ParticleLayer). */
import './traffic.css';
import { formatMs, formatPct, formatRps, type EdgeTraffic } from './traffic';

/** `90.1% · 812 rps · 0.5% err · p99 12 ms` (share only for split routes, errors only when there are some). */
export function trafficText(t: EdgeTraffic): string {
  const parts: string[] = [];
  if (t.share !== undefined) parts.push(formatPct(t.share));
  parts.push(formatRps(t.rps));
  if (t.errorRate > 0) parts.push(`${formatPct(t.errorRate)} err`);
  if (t.clientErrorRate > 0) parts.push(`${formatPct(t.clientErrorRate)} 4xx`);
  if (t.requests > 0) parts.push(`p99 ${formatMs(t.p99)}`);
  return parts.join(' · ');
}

export function TrafficRow({ t }: { t: EdgeTraffic }) {
  if (t.requests === 0) return <span className="edge-traffic is-idle">no traffic</span>;
  return <span className={`edge-traffic health-${t.health}`}>{trafficText(t)}</span>;
}
