import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';

const root = resolve(__dirname, '..');

// Builds main, preload and renderer into out/ (package.json "main" points at out/main/index.js).
export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      // Runtime dependencies (better-sqlite3, @napi-rs/keyring, zod) stay in node_modules.
      externalizeDeps: true,
      rollupOptions: { input: { index: resolve(root, 'electron/shell/main.ts') } },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      // A sandboxed preload cannot require() packages: bundle everything into one file.
      externalizeDeps: false,
      rollupOptions: { input: { index: resolve(root, 'electron/shell/preload.ts') }, output: { format: 'cjs' } },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    base: './',
    plugins: [react()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      assetsInlineLimit: 0,
      minify: true,
      modulePreload: { polyfill: false },
      rollupOptions: { input: resolve(root, 'renderer/index.html') },
    },
  },
});
