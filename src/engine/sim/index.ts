/**
 * Meshcraft load simulator: what happens to many requests over simulated time, on top of the
 * routing engine. Pure TypeScript: runs unchanged in a Web Worker, in Vitest and in the CLI.
 *
 *   const mesh = compileMesh(model);
 *   const result = simulate(mesh, { traffic: [{ mix: [request], load: { requests: 10_000, concurrency: 8 } }] });
 *
 *   const sim = new Simulation(mesh, spec);          // validates (throws SimInputError) and prepares
 *   while (!sim.step(50_000)) report(sim.progress()); // chunked, for workers and progress bars
 *   const result = sim.result();
 *
 * In the browser use `createSimClient()` from src/worker/simClient.ts (worker, progress, cancel).
 */
export { Simulation, simulate } from './simulator';
export { validateSimSpec, SimInputError, LIMITS } from './validate';
export { runChunked, type ChunkControl, type ChunkOutcome } from './runner';
export { SimJobRunner, type SimJob, type SimEvent, type SimCommand } from './job';
export { STAT_NAMES } from './stats';
export type * from './types';
