#!/usr/bin/env node
// Keeps `"gypfile": false` on better-sqlite3's entry in package-lock.json (run by the "prepare" script
// after every `npm install`, and checked by test/unit/lockfile.test.ts).
//
// Why: installing from a lockfile, npm decides whether to run `node-gyp rebuild` from the lock entry,
// not the package's own package.json, and lock entries do not keep the package's `"gypfile": false`.
// better-sqlite3 13 ships prebuilt binaries and its gyp file then builds nothing, but node-gyp would
// still need Python and a C++ toolchain (Visual Studio on Windows) to run, so a clean `npm install`
// or `npm ci` would fail on machines without a compiler. npm itself drops the field when it rewrites
// the lock; this puts it back.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ENTRY = 'node_modules/better-sqlite3';

/** The lock's text with the field set, or null when it is set already (or there is no entry). */
export function withGypfileOff(text) {
  const lock = JSON.parse(text);
  const entry = lock.packages?.[ENTRY];
  if (!entry || entry.gypfile === false) return null;
  lock.packages[ENTRY] = { ...entry, gypfile: false };
  return `${JSON.stringify(lock, null, 2)}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const path = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'package-lock.json');
  const next = withGypfileOff(readFileSync(path, 'utf8'));
  if (next) writeFileSync(path, next);
}
