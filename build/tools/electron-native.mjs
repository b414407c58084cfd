#!/usr/bin/env node
// Prepares better-sqlite3 for Electron without touching node_modules, so the
// same checkout runs `npm test` (plain Node ABI) and `npm start` (Electron
// ABI). Result: .electron-native/<electron version>/better_sqlite3.node,
// loaded by electron/native-binding.ts through better-sqlite3's nativeBinding.
// Tries the prebuilt binary first (prebuild-install), then a local compile
// against Electron's headers (node-gyp). Both need internet the first time.
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(join(root, 'package.json'));
const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
const sqliteDir = dirname(require.resolve('better-sqlite3/package.json'));
const target = join(root, '.electron-native', electronVersion, 'better_sqlite3.node');

if (existsSync(target)) process.exit(0);

const work = mkdtempSync(join(tmpdir(), 'vtd-electron-sqlite-'));
const copy = join(work, 'better-sqlite3');
cpSync(sqliteDir, copy, { recursive: true, filter: (src) => !src.includes(`${join(sqliteDir, 'build')}`) });
const bin = (name) => join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);
const run = (cmd, args) =>
  execFileSync(cmd, args, { cwd: copy, stdio: 'inherit', shell: process.platform === 'win32' });

console.log(`Preparing better-sqlite3 for Electron ${electronVersion} (one time)…`);
try {
  try {
    run(bin('prebuild-install'), [
      '--runtime',
      'electron',
      '--target',
      electronVersion,
      '--arch',
      process.arch,
      '--platform',
      process.platform,
    ]);
  } catch {
    console.log('No prebuilt binary; compiling against Electron headers with node-gyp…');
    run(bin('node-gyp'), [
      'rebuild',
      '--release',
      `--target=${electronVersion}`,
      '--dist-url=https://electronjs.org/headers',
      '--runtime=electron',
      `--arch=${process.arch}`,
    ]);
  }
  mkdirSync(dirname(target), { recursive: true });
  cpSync(join(copy, 'build', 'Release', 'better_sqlite3.node'), target);
  console.log(`Ready: ${target}`);
} catch (error) {
  console.error(
    `Could not prepare better-sqlite3 for Electron ${electronVersion}: ${error.message}\n` +
      'This step needs internet access once (prebuilt binary or Electron headers). Tests do not need it.',
  );
  process.exit(1);
} finally {
  rmSync(work, { recursive: true, force: true });
}
