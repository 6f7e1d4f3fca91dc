import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The operators' site: a static build (no inline script, so the strict CSP holds), served from S3 or locally. */
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // three.js is most of the weight and only the order page needs it.
    chunkSizeWarningLimit: 800,
  },
});
