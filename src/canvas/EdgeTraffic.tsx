/** What a load run adds to an edge: a metrics row in its label, and particles moving along it. */
import { memo } from 'react';
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

const DIAMOND = 'M0,-4.5 L4.5,0 L0,4.5 L-4.5,0 Z';

/**
 * Kiali's encoding: dots for successes, red diamonds for errors in proportion to the error rate; more particles for
 * more traffic (capped per edge and over the canvas, see traffic.ts), slower for slower answers. SVG animateMotion:
 * no layout, no React work per frame.
 */
function ParticlesView({ path, t }: { path: string; t: EdgeTraffic }) {
  const n = t.particles;
  if (!n) return null;
  const dur = t.duration;
  const items = [];
  for (let i = 0; i < n; i++) {
    // Spread the error particles evenly among the others.
    const error = Math.floor(((i + 1) * t.errorParticles) / n) > Math.floor((i * t.errorParticles) / n);
    const motion = <animateMotion dur={`${dur}s`} begin={`${(-(i * dur) / n).toFixed(3)}s`} repeatCount="indefinite" path={path} rotate="auto" />;
    items.push(error ? <path key={i} d={DIAMOND} className="particle is-error">{motion}</path> : <circle key={i} r={3.2} className="particle">{motion}</circle>);
  }
  return (
    <g className={`particles health-${t.health}`} aria-hidden="true">
      {items}
    </g>
  );
}

export const Particles = memo(ParticlesView);
