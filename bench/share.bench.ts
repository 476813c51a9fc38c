/**
 * Never losing work, and pictures of large designs.
 * - history.*: the undo history autosave keeps with a generated ~4,500-line design after 100 edits (typing and canvas
 *   edits: a few characters to a few lines each) — the log's save (what every autosave adds), checking a saved
 *   history against the text on load, and the size stored.
 * - export.*: Export → PNG / SVG of a generated ~330-node design zoomed out to its overview, click to download, in
 *   Chromium against the production build (skipped without a build).
 * Medians, in milliseconds.
 */
import type { Page } from '@playwright/test';
import { diffOp, historyBase, UndoLog, type SavedHistory } from '../src/editor/undoLog';
import { round, withBrowser } from './browser';
import { generateMesh } from './gen';
import type { BenchResult } from './run';

const PORT = Number(process.env.SHARE_BENCH_PORT ?? 4203);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const time = (fn: () => void) => {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
};

/** 100 edits spread over the text, alternating typed words and multi-line (canvas-like) changes, one step each. */
function editedLog(text: string): { log: UndoLog; text: string } {
  const log = new UndoLog();
  let t = text;
  for (let i = 0; i < 100; i++) {
    const at = t.indexOf('weight: ', Math.floor((t.length * i) / 100));
    const next = i % 2 ? t.slice(0, at + 8) + i + t.slice(at + 8) : t.slice(0, at) + '# note ' + i + '\n      ' + t.slice(at);
    log.record(diffOp(t, next)!, i + 2);
    log.close();
    t = next;
  }
  return { log, text: t };
}

function historyResults(): BenchResult[] {
  const { log, text } = editedLog(generateMesh({ services: 100, seed: 3 }));
  let saved: SavedHistory | undefined;
  const saves = Array.from({ length: 30 }, () => time(() => (saved = structuredClone(log.save(text)))));
  const checks = Array.from({ length: 15 }, () => time(() => historyBase(text, saved!)));
  if (historyBase(text, saved!) === undefined) throw new Error('the saved history does not fit its text');
  return [
    { name: 'history.save_ms.steps_100.lines_4500', value: round(median(saves)), unit: 'ms' },
    { name: 'history.check_on_load_ms.steps_100.lines_4500', value: round(median(checks)), unit: 'ms' },
    { name: 'history.saved_kb.steps_100', value: round(JSON.stringify(saved).length / 1024), unit: 'KB' },
  ];
}

async function exportMs(page: Page, name: string): Promise<number> {
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const t0 = Date.now();
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), page.getByRole('menuitem', { name }).click()]);
  await download.path();
  return Date.now() - t0;
}

export default async function shareBench(): Promise<BenchResult[]> {
  const results = historyResults();
  const ui = await withBrowser('share bench', PORT, async (browser, url) => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    await page.goto(url);
    await page.locator('.monaco-editor').waitFor({ timeout: 60_000 });
    await page.evaluate((t) => {
      const ed = (window as any).__meshcraftEditor.editor;
      ed.executeEdits('bench', [{ range: ed.getModel().getFullModelRange(), text: t }]);
    }, generateMesh({ services: 100, seed: 11 }));
    await page.waitForFunction('(() => { const s = window.__meshcraftStore.getState(); return s.analyzedVersion === s.version && s.graph.nodes.length > 300 && !s.layoutBusy; })()', null, { timeout: 90_000 });
    await page.evaluate(() => (window as any).__meshcraftFlow.fitView({ duration: 0 }));
    await page.locator('.react-flow.lod-canvas').waitFor();
    const nodes = await page.evaluate(() => (window as any).__meshcraftFlow.getNodes().length as number);
    const out: BenchResult[] = [{ name: 'export.nodes', value: nodes, unit: 'nodes' }];
    for (const [format, label] of [['svg', 'Export the canvas as an SVG image'], ['png', 'Export the canvas as a PNG image']] as const) {
      const runs = [];
      for (let i = 0; i < 3; i++) runs.push(await exportMs(page, label));
      out.push({ name: `export.${format}_ms.nodes_330`, value: median(runs), unit: 'ms' });
    }
    return out;
  });
  return [...results, ...ui];
}
