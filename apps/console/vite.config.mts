import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Static assets served at `/` by the admin API and the embedded process: relative URLs, no CDN.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', reportCompressedSize: true },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
