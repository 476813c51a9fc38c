/**
 * Text → model → graph on generated meshes of 100 and 1,000 services (~4,500 and ~44,000 lines).
 *
 * - model.parse_ms: parseDesign with `validate: false` (YAML, JS objects, source map, resources).
 * - model.validate_ms: what `validate: true` adds, i.e. validateResource on every known resource, timed on its own
 *   (the difference of two medians of whole parses drowns in their noise on a shared machine).
 * - graph.derive_ms: deriveGraph on the parsed model.
 * - model.parse_validate_graph_ms: the whole path a keystroke triggers, parseDesign (validating) then deriveGraph.
 * Medians of several runs after warm-up, in milliseconds.
 */
import { deriveGraph } from '../src/graph/derive';
import type { MeshModel } from '../src/model/model';
import { parseDesign } from '../src/model/parse';
import { validateResource } from '../src/model/validate';
import { generateMesh } from './gen';
import type { BenchResult } from './run';

const SIZES: [services: number, runs: number][] = [[100, 9], [1000, 5]];

const time = (fn: () => void) => {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
};
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (ms: number) => Math.round(ms * 100) / 100;

export default async function modelBench(): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  for (const [services, runs] of SIZES) {
    const text = generateMesh({ services, seed: 1 });
    for (let i = 0; i < (services < 1000 ? 3 : 1); i++) {
      const warm = parseDesign(text);
      if (warm.diagnostics.length) throw new Error(`generated mesh has diagnostics: ${warm.diagnostics[0].message}`);
      deriveGraph(warm.model);
      parseDesign(text, { validate: false });
    }

    const parse: number[] = [];
    const validate: number[] = [];
    const derive: number[] = [];
    const total: number[] = [];
    for (let i = 0; i < runs; i++) {
      let model: MeshModel | undefined;
      parse.push(time(() => (model = parseDesign(text, { validate: false }).model)));
      validate.push(time(() => model!.resources.forEach((r) => r.known && validateResource(r))));
      let validated: MeshModel | undefined;
      const p = time(() => (validated = parseDesign(text).model));
      const d = time(() => deriveGraph(validated!));
      derive.push(d);
      total.push(p + d);
    }
    const lines = text.split('\n').length;
    console.error(`  ${services} services: ${lines.toLocaleString('en-US')} lines, ${(text.length / 1e6).toFixed(2)} MB, ${runs} runs`);
    out.push(
      { name: `model.parse_validate_graph_ms.services_${services}`, value: round(median(total)), unit: 'ms' },
      { name: `model.parse_ms.services_${services}`, value: round(median(parse)), unit: 'ms' },
      { name: `model.validate_ms.services_${services}`, value: round(median(validate)), unit: 'ms' },
      { name: `graph.derive_ms.services_${services}`, value: round(median(derive)), unit: 'ms' },
    );
  }
  return out;
}
