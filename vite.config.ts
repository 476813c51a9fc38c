import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const nodeModules = fileURLToPath(new URL('./node_modules/', import.meta.url));

export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: [
      // monaco-yaml's worker imports monaco-editor/esm/... paths that monaco-editor's exports map no longer exposes.
      { find: /^monaco-editor\/esm\/(.*)$/, replacement: `${nodeModules}monaco-editor/esm/$1` },
    ],
  },
  worker: { format: 'es' },
  optimizeDeps: { include: ['monaco-yaml/yaml.worker.js'] },
  build: { target: 'es2022', chunkSizeWarningLimit: 6000, sourcemap: false, manifest: true },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
});
