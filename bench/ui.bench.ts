/**
 * UI benchmarks in a real Chromium against the production build (`npm run build` first):
 * - first paint of the example (navigation → first canvas node visible),
 * - keystroke → canvas updated, and canvas edit (a weight in the inspector) → YAML updated, on a generated
 *   ~3,000-line design (p50/p95),
 * - frames per second while panning and zooming designs of ~200 and ~1,000 nodes (overview and zoomed in).
 * Skipped with a note when there is no build or no Chromium.
 */
import type { Page } from '@playwright/test';
import { loadDesign, round, withBrowser } from './browser';
import { generateMesh } from './gen';

const PORT = Number(process.env.UI_BENCH_PORT ?? 4181);

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

/**
 * Between samples: each one starts from an idle page, not during the work the previous one left behind (the cursor
 * selects what it is in 60 ms after it rests; the inspector and the canvas then show that selection).
 */
async function idle(page: Page) {
  await page.waitForTimeout(100);
  await page.evaluate('new Promise((r) => requestIdleCallback(() => r(), { timeout: 1000 }))');
}

/**
 * Keystroke → canvas: one digit typed into a weight (the cursor put there beforehand), until the canvas has committed
 * the graph of that text (its `data-version` reaches the text's version; drawn in the DOM or, zoomed out, on the
 * overview layer in the same task).
 * A string for the same reason as FPS_SCRIPT.
 */
const KEYSTROKE_SCRIPT = (n: number) => `(async () => {
  const ed = window.__meshcraftEditor.editor;
  const store = window.__meshcraftStore;
  const match = ed.getModel().findMatches('weight: ', false, false, true, null, false)[${n} % 20];
  const canvas = document.querySelector('.react-flow');
  // Put the cursor there first, and let the editor scroll to it and paint (as a click before typing would).
  ed.setPosition(match.range.getEndPosition());
  ed.revealPositionInCenterIfOutsideViewport(match.range.getEndPosition());
  for (let f = 0; f < 2; f++) await new Promise((r) => requestAnimationFrame(() => r()));
  return await new Promise((resolve, reject) => {
    let target = Infinity;
    const observer = new MutationObserver(() => {
      if (Number(canvas.dataset.version) < target) return;
      observer.disconnect();
      clearTimeout(timer);
      resolve(performance.now() - t0);
    });
    observer.observe(canvas, { attributes: true, attributeFilter: ['data-version'] });
    const timer = setTimeout(() => (observer.disconnect(), reject(new Error('canvas did not update'))), 5000);
    const t0 = performance.now();
    // Type one digit after "weight: " (the weight becomes e.g. 190 → a new share on the edge).
    ed.trigger('keyboard', 'type', { text: String((${n} % 8) + 1) });
    target = store.getState().version;
  });
})()`;

async function keystrokeToCanvas(page: Page, samples: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < samples; i++) {
    out.push(await page.evaluate(KEYSTROKE_SCRIPT(i)));
    await idle(page);
  }
  return out;
}

/**
 * Canvas edit → YAML: a weight typed into the route inspector and committed with Enter, until the editor's text has
 * changed (the command, its patches, the splice and Monaco's edit). A string for the same reason as FPS_SCRIPT.
 */
const CANVAS_EDIT_SCRIPT = (n: number) => `(async () => {
  const store = window.__meshcraftStore;
  const { graph } = store.getState();
  const split = graph.edges.filter((e) => e.weight !== undefined && e.weight > 0 && e.weight < 100);
  const edge = split[${n} % split.length];
  store.getState().select({ kind: 'edge', id: edge.id });
  let input;
  for (let i = 0; i < 100 && !input; i++) {
    await new Promise((r) => setTimeout(r, 20));
    input = [...document.querySelectorAll('input[type=number]')].find((x) => (x.getAttribute('aria-label') || '').startsWith('Weight of'));
  }
  if (!input) throw new Error('no weight input');
  const current = Number(input.value);
  const value = String(current >= 50 ? current - 1 - (${n} % 5) : current + 1 + (${n} % 5));
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
  setter.call(input, value);
  input.dispatchEvent(new Event('input', { bubbles: true }));
  await new Promise((r) => requestAnimationFrame(() => r()));
  const model = window.__meshcraftEditor.editor.getModel();
  return await new Promise((resolve, reject) => {
    const sub = model.onDidChangeContent(() => { sub.dispose(); clearTimeout(timer); resolve(performance.now() - t0); });
    const timer = setTimeout(() => { sub.dispose(); reject(new Error('the YAML did not change')); }, 5000);
    const t0 = performance.now();
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
  });
})()`;

async function canvasEditToYaml(page: Page, samples: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < samples; i++) {
    out.push(await page.evaluate(CANVAS_EDIT_SCRIPT(i)));
    await idle(page);
  }
  return out;
}

/** rAF callbacks per second while the viewport pans and zooms every frame for 3 s. (A string: tsx would inject
 * helpers into a function passed to the page.) */
const FPS_SCRIPT = (zoomIn: boolean) => `(async () => {
  const flow = window.__meshcraftFlow;
  // fitView resolves once every node is measured: do not wait forever for it on a loaded machine.
  const settle = (p) => Promise.race([p, new Promise((r) => setTimeout(r, 2000))]);
  await settle(flow.fitView({ duration: 0 }));
  // Zoomed in on the middle one of the top-level nodes (the middle of the whole layout can be empty space, where
  // nothing would be drawn).
  if (${zoomIn}) {
    const tops = flow.getNodes().filter((n) => !n.parentId);
    const at = flow.getInternalNode(tops[Math.floor(tops.length / 2)].id).internals.positionAbsolute;
    await settle(flow.setCenter(at.x + 100, at.y + 50, { zoom: 1, duration: 0 }));
  }
  await new Promise((r) => setTimeout(r, 300));
  const start = flow.getViewport();
  let frames = 0;
  const t0 = performance.now();
  await new Promise((resolve) => {
    const tick = () => {
      const t = performance.now() - t0;
      frames++;
      flow.setViewport({ x: start.x + Math.sin(t / 400) * 200, y: start.y + Math.cos(t / 500) * 120, zoom: start.zoom * (1 + 0.15 * Math.sin(t / 700)) });
      if (t < 3000) requestAnimationFrame(tick); else resolve();
    };
    requestAnimationFrame(tick);
  });
  return (frames * 1000) / (performance.now() - t0);
})()`;

const fps = (page: Page, zoomedIn: boolean): Promise<number> => page.evaluate(FPS_SCRIPT(zoomedIn));

export default function uiBench() {
  return withBrowser('ui bench', PORT, async (browser, URL_) => {
    const results = [];
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const paints: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = Date.now();
      await page.goto(URL_);
      await page.getByRole('group', { name: 'Service default/my-service', exact: true }).waitFor();
      paints.push(Date.now() - t0);
    }
    results.push({ name: 'ui.first_paint_ms.example', value: quantile(paints, 0.5), unit: 'ms' });
    await page.locator('.monaco-editor').waitFor();

    const design3k = generateMesh({ services: 67, seed: 7 });
    await loadDesign(page, design3k, 60_000);
    // Typing, not the paste's after-effects: once the design is parsed and laid out, and the workers that check a new
    // paste (the analyzer, the editor's schema validation) are done with it.
    await page.waitForTimeout(3000);
    // Warm-up: the first dozen keystrokes run before the JIT has optimised the incremental path (2–5× slower).
    await keystrokeToCanvas(page, 15);
    const k = await keystrokeToCanvas(page, 30);
    results.push({ name: 'ui.keystroke_to_canvas_ms.p50.lines_3000', value: round(quantile(k, 0.5)), unit: 'ms' });
    results.push({ name: 'ui.keystroke_to_canvas_ms.p95.lines_3000', value: round(quantile(k, 0.95)), unit: 'ms' });
    await page.waitForTimeout(500);
    await canvasEditToYaml(page, 10); // warm-up (loads the edit engine; the JIT)
    const c = await canvasEditToYaml(page, 30);
    results.push({ name: 'ui.canvas_edit_to_yaml_ms.p50.lines_3000', value: round(quantile(c, 0.5)), unit: 'ms' });
    results.push({ name: 'ui.canvas_edit_to_yaml_ms.p95.lines_3000', value: round(quantile(c, 0.95)), unit: 'ms' });

    for (const [label, services] of [
      ['nodes_200', 60],
      ['nodes_1000', 300],
    ] as const) {
      await page.goto(URL_);
      await page.locator('.monaco-editor').waitFor();
      await loadDesign(page, generateMesh({ services, seed: 11 }), 60_000);
      await page.waitForTimeout(1500);
      const nodes = await page.evaluate(() => (window as any).__meshcraftFlow.getNodes().length);
      results.push({ name: `ui.nodes.${label}`, value: nodes, unit: 'nodes' });
      results.push({ name: `ui.fps_overview.${label}`, value: round(await fps(page, false)), unit: 'fps' });
      results.push({ name: `ui.fps_zoomed_in.${label}`, value: round(await fps(page, true)), unit: 'fps' });
    }
    return results;
  });
}
