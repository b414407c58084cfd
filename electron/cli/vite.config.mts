/**
 * Builds the command-line interface into one CommonJS file, out/cli/index.js,
 * that plain Node 20+ runs (electron/cli/bin.cjs requires it).
 *
 *   vite build -c electron/cli/vite.config.mts
 *
 * Everything is bundled (zod, the shared code, the service) except Node's
 * built-ins and the two native addons, which stay in node_modules so that the
 * CLI loads the same better-sqlite3 and @napi-rs/keyring builds as the tests.
 */
import { defineConfig } from 'vite';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = resolve(here, '../..');
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { version: string };

const NATIVE = ['better-sqlite3', '@napi-rs/keyring'];
const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

function isExternal(id: string): boolean {
  if (id.startsWith('node:') || builtins.has(id)) return true;
  return NATIVE.some((name) => id === name || id.startsWith(`${name}/`));
}

export default defineConfig({
  root,
  publicDir: false,
  logLevel: 'warn',
  define: {
    __VTD_VERSION__: JSON.stringify(pkg.version),
  },
  ssr: {
    target: 'node',
    // Bundle every dependency except the native addons (see `external` below).
    noExternal: true,
  },
  build: {
    ssr: resolve(here, 'main.ts'),
    outDir: resolve(root, 'out/cli'),
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: false,
    copyPublicDir: false,
    reportCompressedSize: false,
    rolldownOptions: {
      external: isExternal,
      output: {
        format: 'cjs',
        entryFileNames: 'index.js',
        codeSplitting: false,
        exports: 'named',
      },
    },
  },
});
