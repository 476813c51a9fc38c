/**
 * Runs a simulation in time slices, yielding to the message loop between slices, so that a worker
 * (or the main thread, where workers are unavailable) can report progress and take a cancellation
 * within one slice. Simulated time is independent of these wall-clock slices.
 */
import type { Simulation } from './simulator';
import type { SimProgress } from './types';

export interface ChunkControl {
  /** Checked before every slice: true stops the run. */
  cancelled: () => boolean;
  onProgress?: (p: SimProgress) => void;
  /** Wall-clock budget of a slice before yielding (default 10 ms). */
  sliceMs?: number;
  /** Least time between progress reports (default 50 ms; a report follows at most one slice later). */
  progressMs?: number;
  /** Events processed between clock checks (default 4096). */
  eventsPerCheck?: number;
  now?: () => number;
  yieldToLoop?: () => Promise<void>;
}

export type ChunkOutcome = 'done' | 'cancelled';

const defaultYield = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export async function runChunked(sim: Simulation, ctl: ChunkControl): Promise<ChunkOutcome> {
  const now = ctl.now ?? (() => performance.now());
  const slice = ctl.sliceMs ?? 10;
  const every = ctl.progressMs ?? 50;
  const batch = ctl.eventsPerCheck ?? 4096;
  const pause = ctl.yieldToLoop ?? defaultYield;
  let last = -Infinity;
  for (;;) {
    if (ctl.cancelled()) return 'cancelled';
    const start = now();
    let done = false;
    do done = sim.step(batch);
    while (!done && now() - start < slice);
    if (done) {
      ctl.onProgress?.(sim.progress());
      return 'done';
    }
    const t = now();
    if (t - last >= every) {
      last = t;
      ctl.onProgress?.(sim.progress());
    }
    await pause();
  }
}
