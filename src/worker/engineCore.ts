/** The engine side of the trace worker: keeps the design compiled between requests. Pure; runs in tests too. */
import { compileMesh, trace, type CompiledMesh, type RequestInput, type Trace } from '../engine';
import { buildModel } from '../model/model';
import type { Resource } from '../model/resource';

export interface TraceRequest {
  /** Bumped whenever the design changes; `resources` is sent only with a new version. */
  version: number;
  resources?: Resource[];
  input: RequestInput;
  seed: number;
}

let compiled: { version: number; mesh: CompiledMesh } | undefined;

export function runTrace(req: TraceRequest): Trace {
  if (!compiled || compiled.version !== req.version) {
    if (!req.resources) throw new Error('The design was not sent to the engine; send the request again.');
    compiled = { version: req.version, mesh: compileMesh(buildModel(req.resources)) };
  }
  return trace(compiled.mesh, req.input, { seed: req.seed });
}
