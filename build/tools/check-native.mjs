#!/usr/bin/env node
// The native step `npm start` and `npm run dev` run first (issue 10): makes sure the two native modules load
// in the pinned Electron, without a compiler wherever a prebuilt binary exists.
//
// - better-sqlite3 13 is a Node-API addon and ships its prebuilt binaries inside the npm package (Linux x64
//   and arm64, glibc and musl; macOS x64 and arm64; Windows x64 and arm64). A Node-API binary has no
//   per-runtime ABI: the same file loads in Node 22+ and in Electron. Nothing is downloaded or compiled.
// - @napi-rs/keyring is Node-API too, one optional npm package per platform.
//
// What this step checks, because better-sqlite3 prefers a compiled build/Release binary over its prebuild:
// a compiled binary must be Node-API or carry the pinned Electron's ABI (node-abi gives the number). One of
// any other ABI (say node-gyp built it against the system Node's headers, as Debian's `nodedir=/usr` npm
// config makes it do) is deleted, never left to crash the app at its first SQLite call.
// Only where no prebuilt binary exists does it compile, with the Electron target passed even when npm's
// config sets `nodedir`, and it checks what it produced the same way.
// On failure it prints one message naming the cause and the fix, and exits 1.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const NAPI_EXPORT = 'napi_register_module_v1';
const ABI_EXPORT = /node_register_module_v(\d+)/;

/**
 * What a native module was built for, read from the name of its registration export, which every format
 * (ELF, Mach-O, PE) stores as plain text: 'napi' (Node-API: any runtime), an ABI number, or null.
 */
export function moduleAbi(file) {
  const text = readFileSync(file).toString('latin1');
  if (text.includes(NAPI_EXPORT)) return 'napi';
  const match = ABI_EXPORT.exec(text);
  return match ? Number(match[1]) : null;
}

/** Whether a module of `abi` loads in an Electron whose ABI is `electronAbi`. */
export function loadsInElectron(abi, electronAbi) {
  return abi === 'napi' || abi === electronAbi;
}

/** The better-sqlite3 binaries that would be loaded, in better-sqlite3's own order (lib/binding.js). */
export function sqliteCandidates(sqliteDir, platformTarget) {
  return {
    compiled: ['Debug', 'Release'].map((d) => join(sqliteDir, 'build', d, 'better_sqlite3.node')).filter(existsSync),
    prebuilt: join(sqliteDir, 'prebuilds', `${platformTarget}.node`),
  };
}

/** better-sqlite3's name for this platform's prebuild (linux or linuxmusl, darwin, win32; then the arch). */
export function platformTarget(sqliteDir) {
  // better-sqlite3's own answer (it tells glibc from musl); null where it ships no prebuild.
  const found = createRequire(join(sqliteDir, 'package.json'))('./lib/binding.js').getPrebuildPath();
  return found ? basename(found, '.node') : `${process.platform}-${process.arch}`;
}

/** The environment node-gyp gets: npm's `nodedir`/`target` settings removed, so the flags below decide. */
export function compileEnvironment(env) {
  const clean = { ...env };
  for (const key of Object.keys(clean)) {
    if (/^npm_config_(nodedir|target|runtime|disturl|dist_url|arch)$/i.test(key)) delete clean[key];
  }
  return clean;
}

class NativeStepError extends Error {}

function fail(cause, fix) {
  throw new NativeStepError(`${cause}\n  Fix: ${fix}`);
}

function compileForElectron({ root, sqliteDir, electronVersion, log }) {
  log(
    `No prebuilt better-sqlite3 for ${process.platform}-${process.arch}; compiling it for Electron ${electronVersion}…`,
  );
  const nodeGyp = join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  if (!existsSync(nodeGyp)) {
    fail(
      'No prebuilt better-sqlite3 binary exists for this platform, and node-gyp is not installed.',
      'run `npm install node-gyp` and try again.',
    );
  }
  try {
    execFileSync(
      process.execPath,
      [
        nodeGyp,
        'rebuild',
        '--release',
        '--force_build=1',
        `--target=${electronVersion}`,
        '--runtime=electron',
        '--dist-url=https://electronjs.org/headers',
        `--arch=${process.arch}`,
      ],
      { cwd: sqliteDir, stdio: 'inherit', env: compileEnvironment(process.env) },
    );
  } catch {
    fail(
      `Compiling better-sqlite3 for Electron ${electronVersion} failed (see node-gyp's output above).`,
      'install a C++ toolchain (Xcode command line tools; Visual Studio Build Tools with "Desktop development with C++"; build-essential and python3), ' +
        "and allow HTTPS to electronjs.org for Electron's headers (set HTTPS_PROXY behind a proxy).",
    );
  }
}

/** Runs the step; returns the binary better-sqlite3 will load in Electron. Throws NativeStepError. */
export function checkNative({ root, log = console.log, compile = compileForElectron } = {}) {
  const require = createRequire(join(root, 'package.json'));
  const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
  const { getAbi } = require('node-abi');
  const electronAbi = Number(getAbi(electronVersion, 'electron'));
  const sqliteDir = dirname(require.resolve('better-sqlite3/package.json'));
  const target = platformTarget(sqliteDir);

  const { compiled, prebuilt } = sqliteCandidates(sqliteDir, target);
  for (const file of compiled) {
    const abi = moduleAbi(file);
    if (loadsInElectron(abi, electronAbi)) return file;
    // Never leave it: better-sqlite3 would load it before the prebuild, and Electron would crash on it.
    rmSync(file, { force: true });
    log(
      `Deleted ${file}: built for ABI ${abi ?? 'unknown'}, but Electron ${electronVersion} needs ABI ${electronAbi} or Node-API.`,
    );
  }
  if (existsSync(prebuilt)) {
    const abi = moduleAbi(prebuilt);
    if (!loadsInElectron(abi, electronAbi)) {
      fail(
        `better-sqlite3's prebuilt ${target} binary is for ABI ${abi ?? 'unknown'}, not Electron ${electronVersion} (ABI ${electronAbi}).`,
        'reinstall the pinned better-sqlite3 (`npm ci`); bump Electron and better-sqlite3 together (README, "Native modules").',
      );
    }
  } else {
    compile({ root, sqliteDir, electronVersion, log });
    const [built] = sqliteCandidates(sqliteDir, target).compiled.slice(-1);
    const abi = built ? moduleAbi(built) : null;
    if (!built || !loadsInElectron(abi, electronAbi)) {
      if (built) rmSync(built, { force: true });
      fail(
        `The compiled better-sqlite3 is for ABI ${abi ?? 'unknown'}, not Electron ${electronVersion} (ABI ${electronAbi}); it was deleted.`,
        'remove `nodedir` and `target` from your npm config (`npm config delete nodedir`) and run `npm start` again.',
      );
    }
    return built;
  }

  const keyringDir = dirname(require.resolve('@napi-rs/keyring/package.json'));
  const scope = join(keyringDir, '..');
  const platformPackage = readdirSync(scope).find((name) =>
    name.startsWith(`keyring-${process.platform}-${process.arch}`),
  );
  if (!platformPackage) {
    fail(
      `@napi-rs/keyring has no binary for ${process.platform}-${process.arch} in node_modules (its optional platform package was not installed).`,
      'run `npm install` again without `--no-optional`/`--omit=optional`.',
    );
  }
  return prebuilt;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
  try {
    checkNative({ root });
  } catch (error) {
    if (!(error instanceof NativeStepError)) throw error;
    console.error(`Vault Token Desk cannot start: ${error.message}`);
    process.exit(1);
  }
}
