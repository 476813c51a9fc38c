/**
 * Bundle sizes from the production build's manifest (run `npm run build` first): the JavaScript a first visit
 * loads before the canvas paints, the lazily loaded editor (Monaco), and the workers. Gzip level 9, in KiB.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

interface Chunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}

const dist = 'dist';
const kib = (n: number) => Math.round((n / 1024) * 10) / 10;
const gz = (file: string) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;

export default async function bundleBench() {
  const manifestPath = join(dist, '.vite/manifest.json');
  if (!existsSync(manifestPath)) {
    console.warn('bundle bench: no dist/.vite/manifest.json — run `npm run build` first; skipped.');
    return [];
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, Chunk>;
  const closure = (keys: string[]) => {
    const seen = new Set<string>();
    const visit = (k: string) => {
      if (seen.has(k) || !manifest[k]) return;
      seen.add(k);
      for (const i of manifest[k].imports ?? []) visit(i);
    };
    keys.forEach(visit);
    return seen;
  };
  const entries = Object.keys(manifest).filter((k) => manifest[k].isEntry);
  const initial = closure(entries);
  const editorKeys = Object.keys(manifest).filter((k) => k.includes('src/editor/YamlEditor'));
  const editor = [...closure(editorKeys)].filter((k) => !initial.has(k));
  const sum = (keys: Iterable<string>) => [...keys].reduce((n, k) => n + gz(manifest[k].file), 0);
  const initialJs = sum(initial);
  const editorJs = sum(editor);
  const workers = readdirSync(join(dist, 'assets')).filter((f) => /worker.*\.js$/i.test(f));
  const workerBytes = workers.reduce((n, f) => n + gz(join('assets', f)), 0);
  return [
    { name: 'bundle.initial_js_gzip_kib', value: kib(initialJs), unit: 'KiB' },
    { name: 'bundle.editor_js_gzip_kib', value: kib(editorJs), unit: 'KiB' },
    { name: 'bundle.initial_plus_editor_js_gzip_kib', value: kib(initialJs + editorJs), unit: 'KiB' },
    { name: 'bundle.workers_js_gzip_kib', value: kib(workerBytes), unit: 'KiB' },
  ];
}
