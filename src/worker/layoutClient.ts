import { gridLayout, type Positions } from '../graph/layout';
import type { MeshGraph } from '../graph/types';
import { latestOnlyClient } from './workerClient';

/** Auto-layout with elkjs in its own worker (loaded lazily: the first layout starts it). */
export const layoutClient = latestOnlyClient<{ graph: MeshGraph }, Positions>({
  create: () => new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module', name: 'meshcraft-layout' }),
  fallback: ({ graph }) => gridLayout(graph),
  timeoutMs: 15000,
  describe: 'auto-layout',
});
