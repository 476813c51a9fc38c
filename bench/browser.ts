/**
 * What the UI benchmarks share: the production build served by `vite preview` on a port of their own, and Debian's
 * Chromium with the same flags as the e2e tests. `withBrowser` returns [] (with a note) without a build or Chromium.
 */
import { chromium, type Browser } from '@playwright/test';
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
  const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort', ...(process.env.BENCH_DIST ? ['--outDir', process.env.BENCH_DIST] : [])], { stdio: 'ignore', detached: true });
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
