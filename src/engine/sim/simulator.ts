/**
 * The load simulator's public face: `Simulation` (validate and prepare, then run in chunks with
 * progress, then build the result) and `simulate` (all at once). The work is done by `SimCore`
 * (core.ts) and the modules it dispatches to; see core.ts for the map.
 *
 * Per request the routing engine's fast path decides at the first proxy (once per request
 * template, routing.ts); the simulator then plays what that proxy does over time (semantics
 * reference §10): fault delay and abort, mirrors, the route timeout, attempts through the
 * cluster's connection pool (circuit breakers), load balancing over hosts not ejected by outlier
 * detection, per-try timeouts, retries with Envoy's jittered back-off, and the upstream
 * application's behaviour (latency, statuses, resets). A gateway an attempt reaches is a proxy of
 * its own that plays the same, nested in the attempt (hops.ts).
 *
 * Time frame: event times are when the client proxy sees things. A client sends `hopMs` before its
 * request reaches the proxy and gets the answer `hopMs` after the proxy has it; an upstream attempt
 * adds `hopMs` each way. Connections take `connectMs` to open.
 */
import type { CompiledMesh } from '../compile';
import { SimCore } from './core';
import { buildResult } from './results';
import type { SimProgress, SimResult, SimSpec } from './types';

export class Simulation {
  private readonly core: SimCore;

  /** Validates the spec (throws SimInputError with every problem found) and prepares the run. */
  constructor(
    readonly mesh: CompiledMesh,
    spec: SimSpec,
  ) {
    this.core = new SimCore(mesh, spec);
  }

  /** Warnings about the spec and the run so far (e.g. the request limit reached). */
  get warnings(): string[] {
    return this.core.warnings;
  }

  /** Simulated time of the last event processed. */
  get now(): number {
    return this.core.now;
  }

  /** Processes up to `maxEvents` events. Returns true when the simulation has finished. */
  step(maxEvents: number): boolean {
    return this.core.step(maxEvents);
  }

  /** Runs to the end (for tests, the CLI and benchmarks). */
  runToEnd(): SimResult {
    while (!this.core.step(1 << 16));
    return this.result();
  }

  isDone(): boolean {
    return this.core.done;
  }

  progress(): SimProgress {
    return this.core.progress();
  }

  /** The result so far (final once `step` has returned true). */
  result(): SimResult {
    return buildResult(this.core);
  }
}

/** Validates, creates and runs a simulation to the end. Throws SimInputError for bad input. */
export function simulate(mesh: CompiledMesh, spec: SimSpec): SimResult {
  return new Simulation(mesh, spec).runToEnd();
}
