/**
 * What the UI benchmarks share: the production build served by `vite preview` on a port of their own, and Debian's
 * Chromium with the same flags as the e2e tests. `withBrowser` returns [] (with a note) without a build or Chromium.
 */
import { chromium, type Browser, type Page } from '@playwright/test';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

export const round = (n: number) => Math.round(n * 10) / 10;

async function waitForServer(url: string) {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('vite preview did not start');
}

export async function withBrowser<T>(name: string, port: number, run: (browser: Browser, url: string) => Promise<T[]>): Promise<T[]> {
  if (!existsSync('dist/index.html') || !existsSync(CHROMIUM)) {
    console.warn(`${name}: needs \`npm run build\` and Chromium at /usr/bin/chromium (or CHROMIUM_PATH); skipped.`);
    return [];
  }
  const url = `http://127.0.0.1:${port}/`;
  const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], { stdio: 'ignore', detached: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    await waitForServer(url);
    return await run(browser, url);
  } finally {
    await browser.close();
    try {
      process.kill(-server.pid!);
    } catch {
      server.kill();
    }
  }
}

/**
 * Replaces the editor's text with a generated design and waits until that design (not the example) is parsed and laid
 * out. (A loaded machine lays 1,000 nodes out slowly: hence the long default.)
 */
export async function loadDesign(page: Page, text: string, timeout = 240_000) {
  await page.evaluate((t) => {
    const ed = (window as any).__meshcraftEditor.editor;
    ed.executeEdits('bench', [{ range: ed.getModel().getFullModelRange(), text: t }]);
  }, text);
  await page.waitForFunction(
    '(() => { const s = window.__meshcraftStore.getState(); return s.version > 1 && s.analyzedVersion === s.version && s.graph.nodes.length > 100 && !s.layoutBusy; })()',
    null,
    { timeout },
  );
}
