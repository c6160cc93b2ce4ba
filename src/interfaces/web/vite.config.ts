/// <reference types="node" />
/**
 * Builds the web UI into dist/web/, which `mmrag serve` serves at its root. Everything is
 * bundled (no CDN, no web fonts). Asset URLs are absolute, so pages at /sources/ load them too.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: '/',
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../../../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // One small bundle: an inlined module preload polyfill would fetch nothing anyway.
    modulePreload: { polyfill: false },
  },
});
