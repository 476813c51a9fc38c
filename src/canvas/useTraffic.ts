/** The last load run as a canvas overlay, while results are shown (memoised per graph and result). */
import { useMemo } from 'react';
import type { MeshGraph } from '../graph/types';
import { useStore } from '../store/store';
import { trafficOverlay, type TrafficOverlay } from './traffic';

export function useTraffic(graph: MeshGraph): { traffic?: TrafficOverlay; animate: boolean } {
  const run = useStore((s) => (s.showTraffic ? s.loadResult : undefined));
  const animate = useStore((s) => s.animateTraffic);
  const traffic = useMemo(() => (run ? trafficOverlay(graph, run.result, run.resources) : undefined), [graph, run]);
  return { traffic, animate: animate && !!traffic };
}
