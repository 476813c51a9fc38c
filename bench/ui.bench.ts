/**
 * UI benchmarks in a real Chromium against the production build (`npm run build` first):
 * - first paint of the example (navigation → first canvas node visible),
 * - keystroke → canvas updated on a generated ~3,000-line design (p50/p95),
 * - frames per second while panning and zooming designs of ~200 and ~1,000 nodes (overview and zoomed in).
 * Skipped with a note when there is no build or no Chromium.
 */
import { chromium, type Page } from '@playwright/test';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { generateMesh } from './gen';

const PORT = Number(process.env.UI_BENCH_PORT ?? 4181);
const URL_ = `http://127.0.0.1:${PORT}/`;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const round = (n: number) => Math.round(n * 10) / 10;

async function waitForServer() {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(URL_)).ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('vite preview did not start');
}

async function loadDesign(page: Page, text: string) {
  await page.evaluate((t) => {
    const ed = (window as any).__meshcraftEditor.editor;
    ed.executeEdits('bench', [{ range: ed.getModel().getFullModelRange(), text: t }]);
  }, text);
}

async function keystrokeToCanvas(page: Page, samples: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < samples; i++) {
    const ms = await page.evaluate(
      (n) =>
        new Promise<number>((resolve, reject) => {
          const ed = (window as any).__meshcraftEditor.editor;
          const model = ed.getModel();
          const match = model.findMatches('weight: ', false, false, true, null, false)[n % 20];
          // (The whole canvas: zoomed out, a large design is drawn by the overview layer, which marks each new drawing.)
          const canvas = document.querySelector('.react-flow')!;
          const observer = new MutationObserver(() => {
            observer.disconnect();
            clearTimeout(timer);
            resolve(performance.now() - t0);
          });
          // The canvas's DOM changes only when the graph does: its first mutation after the keystroke is the update.
          observer.observe(canvas, { subtree: true, attributes: true, childList: true, characterData: true });
          const timer = setTimeout(() => (observer.disconnect(), reject(new Error('canvas did not update'))), 5000);
          const pos = match.range.getEndPosition();
          ed.setPosition(pos);
          const t0 = performance.now();
          // Type one digit after "weight: " (the weight becomes e.g. 190 → a new share on the edge).
          ed.trigger('keyboard', 'type', { text: String((n % 8) + 1) });
        }),
      i,
    );
    out.push(ms);
    await page.waitForTimeout(60);
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
  if (${zoomIn}) await settle(flow.zoomTo(1, { duration: 0 }));
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

export default async function uiBench() {
  if (!existsSync('dist/index.html') || !existsSync(CHROMIUM)) {
    console.warn('ui bench: needs `npm run build` and Chromium at /usr/bin/chromium (or CHROMIUM_PATH); skipped.');
    return [];
  }
  const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort'], { stdio: 'ignore', detached: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'] });
  const results = [];
  try {
    await waitForServer();
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
    await loadDesign(page, design3k);
    // (Zoomed out, a design this large is drawn on the overview canvas: wait for React Flow's nodes, not the DOM's.)
    await page.waitForFunction(() => (window as any).__meshcraftFlow.getNodes().length > 100, null, { timeout: 60000 });
    await page.waitForTimeout(1500);
    await keystrokeToCanvas(page, 3); // warm-up
    const k = await keystrokeToCanvas(page, 30);
    results.push({ name: 'ui.keystroke_to_canvas_ms.p50.lines_3000', value: round(quantile(k, 0.5)), unit: 'ms' });
    results.push({ name: 'ui.keystroke_to_canvas_ms.p95.lines_3000', value: round(quantile(k, 0.95)), unit: 'ms' });

    for (const [label, services] of [
      ['nodes_200', 60],
      ['nodes_1000', 300],
    ] as const) {
      await page.goto(URL_);
      await page.locator('.monaco-editor').waitFor();
      await loadDesign(page, generateMesh({ services, seed: 11 }));
      // The new graph first (on a loaded machine the parser can time out: then fail rather than measure the old one).
      await page.waitForFunction((n) => (window as any).__meshcraftFlow.getNodes().length > n, services * 3, { timeout: 60000 });
      await page.waitForFunction(() => !document.querySelector('button[aria-label="Auto-layout"][disabled]'), null, { timeout: 60000 });
      await page.waitForTimeout(1500);
      const nodes = await page.evaluate(() => (window as any).__meshcraftFlow.getNodes().length);
      results.push({ name: `ui.nodes.${label}`, value: nodes, unit: 'nodes' });
      results.push({ name: `ui.fps_overview.${label}`, value: round(await fps(page, false)), unit: 'fps' });
      results.push({ name: `ui.fps_zoomed_in.${label}`, value: round(await fps(page, true)), unit: 'fps' });
    }
  } finally {
    await browser.close();
    try {
      process.kill(-server.pid!);
    } catch {
      server.kill();
    }
  }
  return results;
}
