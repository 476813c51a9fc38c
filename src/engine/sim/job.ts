/**
 * One simulation job as a worker (or the main thread, where workers are unavailable) runs it:
 * build and compile the design (kept between jobs while its version is unchanged), validate, run in
 * slices with progress, stop on cancellation or when a newer job arrives. Messages are plain data.
 */
import { compileMesh, type CompiledMesh } from '../compile';
import { buildModel } from '../../model/model';
import type { Resource } from '../../model/resource';
import { runChunked, type ChunkControl } from './runner';
import { Simulation } from './simulator';
import type { SimProgress, SimResult, SimSpec } from './types';
import { SimInputError } from './validate';

export interface SimJob {
  id: number;
  /** Bumped whenever the design changes; `resources` is sent only with a new version. */
  version: number;
  resources?: readonly Resource[];
  meshConfig?: Record<string, unknown> | null;
  spec: SimSpec;
}

export type SimEvent =
  | { type: 'progress'; id: number; progress: SimProgress }
  | { type: 'done'; id: number; result: SimResult }
  | { type: 'invalid'; id: number; errors: string[]; warnings: string[] }
  | { type: 'cancelled'; id: number }
  /** The worker no longer has the design of this version: send the job again with `resources`. */
  | { type: 'need-design'; id: number }
  | { type: 'error'; id: number; error: string };

export type SimCommand = ({ type: 'run' } & SimJob) | { type: 'cancel'; id: number };

export class SimJobRunner {
  private compiled: { version: number; config: string; mesh: CompiledMesh } | undefined;
  /** The job allowed to run; older ones stop at their next slice. */
  private current = 0;

  constructor(private readonly control: Omit<ChunkControl, 'cancelled' | 'onProgress'> = {}) {}

  cancel(id: number): void {
    if (this.current === id) this.current = 0;
  }

  handle(cmd: SimCommand, post: (e: SimEvent) => void): Promise<void> {
    if (cmd.type === 'cancel') {
      this.cancel(cmd.id);
      return Promise.resolve();
    }
    return this.run(cmd, post);
  }

  async run(job: SimJob, post: (e: SimEvent) => void): Promise<void> {
    const id = job.id;
    this.current = id;
    try {
      const config = JSON.stringify(job.meshConfig ?? null);
      if (!this.compiled || this.compiled.version !== job.version || this.compiled.config !== config) {
        if (!job.resources) {
          post({ type: 'need-design', id });
          return;
        }
        this.compiled = { version: job.version, config, mesh: compileMesh(buildModel(job.resources), job.meshConfig ?? null) };
      }
      let sim: Simulation;
      try {
        sim = new Simulation(this.compiled.mesh, job.spec);
      } catch (e) {
        if (e instanceof SimInputError) {
          post({ type: 'invalid', id, errors: e.errors, warnings: e.warnings });
          return;
        }
        throw e;
      }
      post({ type: 'progress', id, progress: sim.progress() });
      const outcome = await runChunked(sim, {
        ...this.control,
        cancelled: () => this.current !== id,
        onProgress: (progress) => {
          if (this.current === id) post({ type: 'progress', id, progress });
        },
      });
      if (outcome === 'cancelled') post({ type: 'cancelled', id });
      else post({ type: 'done', id, result: sim.result() });
    } catch (e) {
      post({ type: 'error', id, error: e instanceof Error ? e.message : String(e) });
    } finally {
      if (this.current === id) this.current = 0;
    }
  }
}
