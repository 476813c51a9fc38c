/**
 * Load-simulation UI benchmarks in a real Chromium against the production build (`npm run build` first):
 * - Run → results rendered for 100,000 requests on the example (the whole traffic mix; in-page clock from the click
 *   to the result summary and the three charts being in the DOM, then one frame), median of 3;
 * - frames per second while particles animate on a generated design with 200 traffic-carrying edges (100 services,
 *   each a 80/20 canary called by one client).
 * Skipped with a note when there is no build or no Chromium.
 */
import type { Page } from '@playwright/test';
import { round, withBrowser } from './browser';

const PORT = Number(process.env.LOAD_UI_BENCH_PORT ?? 4182);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** `services` canaries (80/20 over subsets v1, v2) and one client that calls them all: 2 × services edges. */
export function canaryDesign(services: number): string {
  const docs = ['apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: client, namespace: default}\nspec: {selector: {matchLabels: {app: client}}, template: {metadata: {labels: {app: client}}}}'];
  for (let i = 0; i < services; i++) {
    const s = `svc-${i}`;
    docs.push(`apiVersion: v1\nkind: Service\nmetadata: {name: ${s}, namespace: default}\nspec: {selector: {app: ${s}}, ports: [{name: http, port: 80}]}`);
    for (const v of ['v1', 'v2']) docs.push(`apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${s}-${v}, namespace: default}\nspec: {selector: {matchLabels: {app: ${s}, version: ${v}}}, template: {metadata: {labels: {app: ${s}, version: ${v}}}}}`);
    docs.push(`apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: ${s}, namespace: default}\nspec: {host: ${s}, subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]}`);
    docs.push(`apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: ${s}, namespace: default}\nspec:\n  hosts: [${s}]\n  http:\n  - name: canary\n    route:\n    - {destination: {host: ${s}, subset: v1}, weight: 80}\n    - {destination: {host: ${s}, subset: v2}, weight: 20}`);
  }
  return docs.join('\n---\n');
}

/** Click Run and time it in the page until the summary of run `n` and the charts are in the DOM, plus one frame. */
const RUN_SCRIPT = (n: number) => `new Promise((resolve, reject) => {
  const done = () => {
    const s = document.querySelector('[aria-label="Load result"]');
    return s && s.textContent.includes('Run ${n}') && document.querySelectorAll('.load-charts canvas').length === 3;
  };
  const observer = new MutationObserver(() => {
    if (!done()) return;
    observer.disconnect();
    clearTimeout(timer);
    requestAnimationFrame(() => resolve(performance.now() - t0));
  });
  observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  const timer = setTimeout(() => (observer.disconnect(), reject(new Error('no result'))), 60000);
  const t0 = performance.now();
  document.querySelector('form[aria-label="Load"] button[type="submit"]').click();
})`;

/** rAF callbacks per second over 3 s. */
const FPS_SCRIPT = `new Promise((resolve) => {
  let frames = 0;
  const t0 = performance.now();
  const tick = () => {
    frames++;
    if (performance.now() - t0 < 3000) requestAnimationFrame(tick);
    else resolve((frames * 1000) / (performance.now() - t0));
  };
  requestAnimationFrame(tick);
})`;

async function openLoad(page: Page, requests: string) {
  await page.getByRole('button', { name: 'Simulate load' }).click();
  await page.getByRole('table', { name: 'Traffic mix' }).waitFor();
  await page.getByRole('button', { name: 'Reset from design' }).click();
  await page.getByLabel('Requests', { exact: true }).fill(requests);
}

export default function loadUiBench() {
  return withBrowser('load ui bench', PORT, async (browser, URL_) => {
    const results = [];
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(URL_);
    await page.getByRole('group', { name: 'Service default/my-service', exact: true }).waitFor();
    await page.locator('.monaco-editor').waitFor();
    await openLoad(page, '100000');
    const times: number[] = [];
    for (let n = 1; n <= 4; n++) {
      const ms = (await page.evaluate(RUN_SCRIPT(n))) as number;
      if (n > 1) times.push(ms); // the first run also starts the worker and compiles the design
      await page.waitForTimeout(300);
    }
    results.push({ name: 'ui.load_100k_ms', value: round(median(times)), unit: 'ms' });

    await page.goto(URL_);
    await page.locator('.monaco-editor').waitFor();
    await page.evaluate((t) => {
      const ed = (window as any).__meshcraftEditor.editor;
      ed.executeEdits('bench', [{ range: ed.getModel().getFullModelRange(), text: t }]);
    }, canaryDesign(100));
    await page.waitForFunction(() => (window as any).__meshcraftFlow.getNodes().length >= 301, null, { timeout: 60000 });
    await page.waitForFunction(() => !document.querySelector('button[aria-label="Auto-layout"][disabled]'), null, { timeout: 60000 });
    await openLoad(page, '20000');
    await page.evaluate(RUN_SCRIPT(1));
    await page.evaluate(() => (window as any).__meshcraftFlow.fitView({ duration: 0 }));
    await page.waitForTimeout(1000);
    // Particles are drawn on one canvas, which tells how many edges and particles it animates.
    const layer = page.locator('canvas.particles');
    const edges = Number(await layer.getAttribute('data-edges'));
    const particles = Number(await layer.getAttribute('data-particles'));
    results.push({ name: 'ui.particles_edges', value: edges, unit: 'edges' });
    results.push({ name: 'ui.particles_count_200_edges', value: particles, unit: 'particles' });
    results.push({ name: 'ui.particles_fps_200_edges', value: round((await page.evaluate(FPS_SCRIPT)) as number), unit: 'fps' });
    // The same view with the results shown but particles off: what the particles cost.
    await page.getByRole('checkbox', { name: 'Animate' }).uncheck();
    await page.waitForTimeout(500);
    results.push({ name: 'ui.static_fps_200_edges', value: round((await page.evaluate(FPS_SCRIPT)) as number), unit: 'fps' });
    return results;
  });
}
