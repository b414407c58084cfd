/**
 * Runs once before all suites. The shell smoke suite runs the built main bundle and the browser suites load
 * the built preload and renderer, so out/ must match the sources: it is rebuilt with electron-vite (the
 * build `npm start` and the packaged app use) when a bundle is missing or older than any source file.
 * `npm test` builds first (test/run.sh), so there this finds everything fresh.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const BUNDLES = ['out/main/index.js', 'out/preload/index.js', 'out/renderer/index.html'];
const SOURCES = ['electron', 'shared', 'renderer', 'build/icon.png'];

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules') continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

export function appBundlesFresh(): boolean {
  const bundles = BUNDLES.map((b) => join(ROOT, b));
  if (!bundles.every((b) => existsSync(b))) return false;
  const oldestBundle = Math.min(...bundles.map((b) => statSync(b).mtimeMs));
  return SOURCES.every((s) => newestMtime(join(ROOT, s)) <= oldestBundle);
}

export default function setup(): void {
  process.env.TZ ??= 'UTC';
  if (!appBundlesFresh()) {
    execFileSync(
      process.execPath,
      [
        join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'),
        'build',
        '-c',
        'electron/electron.vite.config.ts',
      ],
      { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
    );
  }
}
