import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(__dirname, '..');
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { version: string };

// Builds main, preload and renderer into out/ (package.json "main" points at out/main/index.js).
export default defineConfig({
  main: {
    // The installed app is also the CLI (electron/shell/cli-mode.ts), which prints this with --version.
    define: { __VTD_VERSION__: JSON.stringify(pkg.version) },
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
