/** Kind shapes (Kiali's grammar: service triangle, workload/subset circle, external plate, gateway globe) and badges. */
import type { Badge, NodeKind } from '../graph/types';

export function KindIcon({ kind }: { kind: NodeKind }) {
  const common = { width: 28, height: 28, viewBox: '0 0 28 28', 'aria-hidden': true } as const;
  switch (kind) {
    case 'service':
      return (
        <svg {...common} className="icon icon-service">
          <path d="M14 3 L26 24 L2 24 Z" />
        </svg>
      );
    case 'subset':
      return (
        <svg {...common} width={20} height={20} className="icon icon-subset">
          <circle cx="14" cy="14" r="10" />
        </svg>
      );
    case 'external':
      return (
        <svg {...common} className="icon icon-external">
          <path d="M3 6 H19 L26 14 L19 22 H3 Z" />
        </svg>
      );
    case 'ingress':
    case 'egress':
      return (
        <svg {...common} className={`icon icon-${kind}`}>
          <circle cx="14" cy="14" r="11" />
          <ellipse cx="14" cy="14" rx="5" ry="11" />
          <path d="M3 14 H25 M5 8 H23 M5 20 H23" />
        </svg>
      );
    case 'client':
      return (
        <svg {...common} className="icon icon-client">
          <circle cx="14" cy="14" r="11" />
          <path d="M7 14 H19 M15 9 L20 14 L15 19" />
        </svg>
      );
    case 'namespace':
      return (
        <svg {...common} className="icon icon-namespace">
          <rect x="3" y="5" width="22" height="18" rx="3" />
          <path d="M3 10 H25 M8 15 H20 M8 19 H16" />
        </svg>
      );
    case 'mesh':
      return (
        <svg {...common} className="icon icon-mesh">
          <circle cx="8" cy="9" r="4" />
          <circle cx="20" cy="9" r="4" />
          <circle cx="14" cy="20" r="4" />
          <path d="M8 9 L20 9 L14 20 Z" />
        </svg>
      );
  }
}

export const BADGE_INFO: Record<Badge, { text: string; title: string }> = {
  mtls: { text: 'mTLS', title: 'Istio mutual TLS (ISTIO_MUTUAL)' },
  tls: { text: 'TLS', title: 'TLS' },
  fault: { text: 'fault', title: 'Fault injection' },
  retry: { text: 'retry', title: 'Retries' },
  timeout: { text: 'timeout', title: 'Timeout' },
  mirror: { text: 'mirror', title: 'Traffic mirroring' },
  'circuit-breaker': { text: 'pool', title: 'Connection pool limits (circuit breaker)' },
  outlier: { text: 'outlier', title: 'Outlier detection' },
  redirect: { text: 'redirect', title: 'Redirect or direct response' },
};

export function Badges({ badges }: { badges: readonly Badge[] }) {
  if (!badges.length) return null;
  return (
    <span className="badges">
      {badges.map((b) => (
        <span key={b} className={`badge badge-${b}`} title={BADGE_INFO[b].title}>
          {BADGE_INFO[b].text}
        </span>
      ))}
    </span>
  );
}

/** Fit view: four corners of a frame (for the canvas controls, which fill it with their colour). */
export function FitIcon() {
  return (
    <svg viewBox="0 0 32 32" aria-hidden="true">
      <path d="M3 3h9v3H6v6H3zM20 3h9v9h-3V6h-6zM3 20h3v6h6v3H3zM26 20h3v9h-9v-3h6z" />
    </svg>
  );
}
