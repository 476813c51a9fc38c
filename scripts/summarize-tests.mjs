// Sums the Vitest and Playwright JSON reports into one closing line: `N passed, N failed`.
import { existsSync, readFileSync } from 'node:fs';

const read = (f) => (existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')) : undefined);
const v = read('reports/vitest.json');
const p = read('reports/playwright.json');
let passed = 0;
let failed = 0;
const lines = [];
if (v) {
  passed += v.numPassedTests;
  failed += v.numFailedTests;
  lines.push(`vitest: ${v.numPassedTests} passed, ${v.numFailedTests} failed`);
} else {
  failed += 1;
  lines.push('vitest: no report (the run did not complete)');
}
if (p) {
  const s = p.stats;
  passed += s.expected + s.flaky;
  failed += s.unexpected;
  lines.push(`playwright: ${s.expected + s.flaky} passed, ${s.unexpected} failed${s.skipped ? `, ${s.skipped} skipped` : ''}`);
} else {
  failed += 1;
  lines.push('playwright: no report (the build or the run did not complete)');
}
// Typecheck and lint count as one check each.
for (const name of ['typecheck', 'lint']) {
  const f = `reports/${name}.status`;
  const ok = existsSync(f) && readFileSync(f, 'utf8').trim() === 'pass';
  if (ok) passed += 1;
  else failed += 1;
  lines.push(`${name}: ${ok ? 'passed' : 'failed'}`);
}
console.log('\n' + lines.join('\n'));
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
