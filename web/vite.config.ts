import { defineConfig } from 'vite';

// `vite build web` makes this folder the root, so paths here are relative to web/.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The Cognito SDK is the largest dependency (~100 kB gzip is normal for it); warn only beyond that.
    chunkSizeWarningLimit: 700,
    sourcemap: true,
  },
  preview: { port: 4173, strictPort: false },
});
