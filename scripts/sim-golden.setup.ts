/**
 * Vitest setup for `scripts/sim-golden.ts`: appends `<test name> #<k> <sha1 of the result JSON>` to
 * $SIM_GOLDEN for every `Simulation.result()` a test takes (k counts the results within one test).
 */
import { createHash } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { expect } from 'vitest';
import { Simulation } from '../src/engine/sim/simulator';

const out = process.env.SIM_GOLDEN;
const seen = new Map<string, number>();
const result = Simulation.prototype.result;
if (out) {
  Simulation.prototype.result = function (this: Simulation) {
    const r = result.call(this);
    const name = `${expect.getState().testPath?.replace(/^.*\/src\//, 'src/')} > ${expect.getState().currentTestName}`;
    const k = (seen.get(name) ?? 0) + 1;
    seen.set(name, k);
    appendFileSync(out, `${name} #${k} ${createHash('sha1').update(JSON.stringify(r)).digest('hex')}\n`);
    return r;
  };
}
