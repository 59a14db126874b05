import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Static assets served at `/` by the admin API and the embedded process: relative URLs, no CDN.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  // The editor chunk (CodeMirror) is ~500 kB raw, ~170 kB gzip, and loads only on the editor pages.
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 600 },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
