import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** Builds the renderer into dist/renderer; relative asset paths work under app:// and http://. */
export default defineConfig({
  root: `${import.meta.dirname}/renderer`,
  base: './',
  plugins: [react()],
  build: {
    outDir: `${import.meta.dirname}/dist/renderer`,
    emptyOutDir: true,
    minify: true,
    sourcemap: false,
    chunkSizeWarningLimit: 2000,
  },
});
