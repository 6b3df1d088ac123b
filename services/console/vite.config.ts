import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** Where the built console goes; the API serves it from there (services/api/console-route.ts). */
export const CONSOLE_OUT_DIR = fileURLToPath(new URL('../../dist/console/', import.meta.url));

/**
 * The console's build. Everything it emits must pass the strict Content-Security-Policy
 * the API sends with it: no inline script or style, no `data:` assets, no eval.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  publicDir: 'public',
  // React's automatic JSX runtime through Vite's own transform: no Babel, no plugin.
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: CONSOLE_OUT_DIR,
    emptyOutDir: true,
    target: 'es2022',
    // Small assets stay files: an inlined `data:` URL would need a looser CSP.
    assetsInlineLimit: 0,
    // Every browser the console supports has modulepreload; the polyfill would only add code.
    modulePreload: { polyfill: false },
    sourcemap: false,
    reportCompressedSize: false,
  },
  logLevel: 'warn',
});
