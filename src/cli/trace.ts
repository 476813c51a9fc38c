/** `meshcraft trace FILE.yaml… --request JSON | --requests FILE.json [--mesh-config JSON] [--seed N] [--json]` */
import { readFileSync } from 'node:fs';
import { compileMesh } from '../engine/compile';
import { formatTrace } from '../engine/format';
import { trace } from '../engine/trace';
import { EngineInputError, type RequestInput, type Trace } from '../engine/types';
import { parseArgs, UsageError } from './args';
import { InputError, loadDesign } from './design';
import type { Io } from './main';

export const TRACE_USAGE = `usage: meshcraft trace FILE.yaml… (--request JSON | --requests FILE.json) [--mesh-config JSON] [--seed N] [--json]

Routes requests through the mesh described by the YAML files, as Istio would, and explains why.
  --request JSON       one request: {"source": {"workload": "productpage-v1"}, "request": {"authority": "reviews:9080", …}}
  --requests FILE      a JSON array of requests; the output is an array in the same order
  --mesh-config JSON   MeshConfig overrides, e.g. {"outboundTrafficPolicy": {"mode": "REGISTRY_ONLY"}}
  --seed N             seed for weighted choices and percentages (default 1)
  --json               print JSON instead of the human-readable explanation`;

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(`${what} is not valid JSON: ${(e as Error).message}`);
  }
}

export function runTrace(argv: string[], io: Io): number {
  const { positionals, options } = parseArgs(argv, ['request', 'requests', 'mesh-config', 'seed'], ['json', 'help']);
  if (options.has('help')) {
    io.out(TRACE_USAGE);
    return 0;
  }
  const one = options.get('request');
  const many = options.get('requests');
  if ((one === undefined) === (many === undefined)) throw new UsageError('give exactly one of --request JSON or --requests FILE.json');
  const seedOpt = options.get('seed');
  const seed = seedOpt === undefined ? 1 : Number(seedOpt);
  if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer (got ${String(seedOpt)})`);
  const meshOpt = options.get('mesh-config');
  const meshConfig = meshOpt === undefined ? null : parseJson(String(meshOpt), '--mesh-config');
  if (meshConfig !== null && (typeof meshConfig !== 'object' || Array.isArray(meshConfig))) throw new InputError('--mesh-config must be a JSON object');

  let requests: unknown;
  if (one !== undefined) requests = [parseJson(String(one), '--request')];
  else {
    let text: string;
    try {
      text = readFileSync(String(many), 'utf8');
    } catch {
      throw new InputError(`cannot read ${String(many)}`);
    }
    requests = parseJson(text, String(many));
    if (!Array.isArray(requests)) throw new InputError(`${String(many)} must hold a JSON array of requests`);
  }
  const list = requests as unknown[];
  list.forEach((r, i) => {
    if (!r || typeof r !== 'object' || Array.isArray(r)) throw new InputError(`${many !== undefined ? `request #${i + 1}: ` : ''}a request must be a JSON object with "source" and "request"`);
  });

  const design = loadDesign(positionals);
  for (const w of design.warnings) io.err(`meshcraft: ${w}`);
  const mesh = compileMesh(design.model, meshConfig as Record<string, unknown> | null);
  for (const issue of mesh.issues) io.err(`meshcraft: ${issue.severity}: ${issue.message}`);

  const traces: Trace[] = list.map((r, i) => {
    try {
      return trace(mesh, r as RequestInput, { seed });
    } catch (e) {
      if (e instanceof EngineInputError) throw new InputError(`${many !== undefined ? `request #${i + 1}: ` : ''}${e.message}`);
      throw e;
    }
  });
  if (options.has('json')) io.out(JSON.stringify(one !== undefined ? traces[0] : traces, null, 2));
  else io.out(traces.map((t, i) => formatTrace(t, many !== undefined ? `Request #${i + 1}` : undefined)).join('\n\n'));
  return 0;
}
