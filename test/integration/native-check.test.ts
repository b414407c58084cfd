/**
 * The native step that `npm start` runs first (build/tools/check-native.mjs, issue 10): the better-sqlite3
 * binary Electron will load must be Node-API or carry the pinned Electron's ABI, and one that is neither is
 * deleted, never left behind. Run against copies of the installed packages, plus once through npm with
 * Debian's `nodedir=/usr` config, exactly as `npm start` runs it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { tempDir } from '../helpers/temp-dir';
// @ts-expect-error: a plain .mjs build tool without type declarations
import * as native from '../../build/tools/check-native.mjs';
// @ts-expect-error: a plain .mjs build tool without type declarations
import * as lockGypfile from '../../build/tools/lock-gypfile.mjs';

interface NativeTool {
  moduleAbi(file: string): 'napi' | number | null;
  loadsInElectron(abi: 'napi' | number | null, electronAbi: number): boolean;
  compileEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  checkNative(options: {
    root: string;
    log?: (line: string) => void;
    compile?: (args: { sqliteDir: string }) => void;
  }): string;
}
const tool = native as NativeTool;
const lockTool = lockGypfile as { withGypfileOff(text: string): string | null };

const ROOT = resolve(__dirname, '../..');
const load = createRequire(join(ROOT, 'package.json'));
const SQLITE = dirname(load.resolve('better-sqlite3/package.json'));
const ELECTRON_ABI = Number(readFileSync(join(ROOT, 'node_modules/electron/abi_version'), 'utf8').trim());

/** A binary stub that registers the way a module built for `abi` does. */
function fakeModule(path: string, abi: number | 'napi'): void {
  mkdirSync(dirname(path), { recursive: true });
  const name = abi === 'napi' ? 'napi_register_module_v1' : `node_register_module_v${abi}`;
  writeFileSync(path, Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0]), Buffer.from(`\0${name}\0`)]));
}

/** A project root whose node_modules has the real electron, node-abi and keyring, and a copy of better-sqlite3. */
function fakeProject(dir: string): { root: string; sqliteDir: string } {
  const root = join(dir, 'project');
  const modules = join(root, 'node_modules');
  mkdirSync(join(modules, '@napi-rs'), { recursive: true });
  writeFileSync(join(root, 'package.json'), '{"name":"native-check-fixture","private":true}');
  for (const name of ['electron', 'node-abi', 'semver']) {
    symlinkSync(join(ROOT, 'node_modules', name), join(modules, name), 'dir');
  }
  for (const name of ['keyring', `keyring-${process.platform}-${process.arch}-gnu`]) {
    const from = join(ROOT, 'node_modules/@napi-rs', name);
    if (existsSync(from)) symlinkSync(from, join(modules, '@napi-rs', name), 'dir');
  }
  const sqliteDir = join(modules, 'better-sqlite3');
  for (const part of ['package.json', 'lib', 'prebuilds'])
    cpSync(join(SQLITE, part), join(sqliteDir, part), { recursive: true });
  return { root, sqliteDir };
}

let dir: ReturnType<typeof tempDir> | null = null;
afterEach(() => {
  dir?.cleanup();
  dir = null;
});

describe('native step: what a binary was built for', () => {
  it('reads Node-API from the installed better-sqlite3 prebuild, and an ABI number from a node-gyp build', () => {
    dir = tempDir();
    const prebuild = load(join(SQLITE, 'lib/binding.js')).getPrebuildPath() as string;
    expect(tool.moduleAbi(prebuild)).toBe('napi');
    fakeModule(join(dir.path, 'old.node'), 115);
    expect(tool.moduleAbi(join(dir.path, 'old.node'))).toBe(115);
    writeFileSync(join(dir.path, 'junk.node'), 'not a module');
    expect(tool.moduleAbi(join(dir.path, 'junk.node'))).toBeNull();
  });

  it('takes the pinned Electron ABI from node-abi, matching the electron package', () => {
    const { getAbi } = load('node-abi') as { getAbi: (v: string, r: string) => string };
    const { version } = JSON.parse(readFileSync(join(ROOT, 'node_modules/electron/package.json'), 'utf8'));
    expect(Number(getAbi(version, 'electron'))).toBe(ELECTRON_ABI);
    expect(tool.loadsInElectron('napi', ELECTRON_ABI)).toBe(true);
    expect(tool.loadsInElectron(ELECTRON_ABI, ELECTRON_ABI)).toBe(true);
    expect(tool.loadsInElectron(115, ELECTRON_ABI)).toBe(false);
    expect(tool.loadsInElectron(null, ELECTRON_ABI)).toBe(false);
  });

  it("hands node-gyp no npm nodedir/target, so its --target flags decide (Debian's npm sets nodedir=/usr)", () => {
    const env = tool.compileEnvironment({ npm_config_nodedir: '/usr', npm_config_target: '20.0.0', PATH: '/bin' });
    expect(env).toEqual({ PATH: '/bin' });
  });
});

describe('native step: never leaves a wrong-ABI binary', () => {
  it('deletes a compiled binary of another ABI and falls back to the Node-API prebuild', () => {
    dir = tempDir();
    const { root, sqliteDir } = fakeProject(dir.path);
    const wrong = join(sqliteDir, 'build/Release/better_sqlite3.node');
    fakeModule(wrong, 115);
    const lines: string[] = [];
    const chosen = tool.checkNative({ root, log: (line) => lines.push(line) });
    expect(existsSync(wrong)).toBe(false);
    expect(chosen).toMatch(/prebuilds[/\\][a-z0-9-]+\.node$/);
    expect(lines.join('\n')).toContain(`built for ABI 115, but Electron`);
    expect(lines.join('\n')).toContain(`needs ABI ${ELECTRON_ABI} or Node-API`);
  });

  it('keeps a compiled Node-API binary, which better-sqlite3 loads first', () => {
    dir = tempDir();
    const { root, sqliteDir } = fakeProject(dir.path);
    const built = join(sqliteDir, 'build/Release/better_sqlite3.node');
    fakeModule(built, 'napi');
    expect(tool.checkNative({ root, log: () => undefined })).toBe(built);
    expect(existsSync(built)).toBe(true);
  });

  it('with no prebuild, compiles, and deletes a result of the wrong ABI with one message naming the fix', () => {
    dir = tempDir();
    const { root, sqliteDir } = fakeProject(dir.path);
    rmSync(join(sqliteDir, 'prebuilds'), { recursive: true });
    const built = join(sqliteDir, 'build/Release/better_sqlite3.node');
    const compile = () => fakeModule(built, 115); // what node-gyp makes of nodedir=/usr on Node 20
    expect(() => tool.checkNative({ root, log: () => undefined, compile })).toThrow(
      /compiled better-sqlite3 is for ABI 115, not Electron [\d.]+ \(ABI \d+\); it was deleted\.\n {2}Fix: remove `nodedir`/,
    );
    expect(existsSync(built)).toBe(false);
  });

  it('with no prebuild, keeps a compiled binary of the right ABI', () => {
    dir = tempDir();
    const { root, sqliteDir } = fakeProject(dir.path);
    rmSync(join(sqliteDir, 'prebuilds'), { recursive: true });
    const built = join(sqliteDir, 'build/Release/better_sqlite3.node');
    expect(tool.checkNative({ root, log: () => undefined, compile: () => fakeModule(built, ELECTRON_ABI) })).toBe(
      built,
    );
  });

  it('runs as `npm start` runs it, through npm with nodedir=/usr: no compile, exit 0, nothing left behind', () => {
    const result = spawnSync('npm', ['run', '--silent', 'native'], {
      cwd: ROOT,
      env: { ...process.env, npm_config_nodedir: '/usr' },
      encoding: 'utf8',
    });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    // Whatever npm's install left in build/ (it may run better-sqlite3's gyp file, which builds nothing
    // when a prebuild exists), no binary there is of another ABI.
    const compiled = ['Debug', 'Release']
      .map((d) => join(SQLITE, 'build', d, 'better_sqlite3.node'))
      .filter(existsSync);
    for (const file of compiled) expect(tool.moduleAbi(file), file).toBe('napi');
  });

  it('fails with one message and exit 1 when a platform binary is missing', () => {
    dir = tempDir();
    const { root } = fakeProject(dir.path);
    rmSync(join(root, 'node_modules/@napi-rs'), { recursive: true });
    mkdirSync(join(root, 'node_modules/@napi-rs/keyring'), { recursive: true });
    writeFileSync(join(root, 'node_modules/@napi-rs/keyring/package.json'), '{"name":"@napi-rs/keyring"}');
    const tools = join(root, 'build/tools');
    mkdirSync(tools, { recursive: true });
    cpSync(join(ROOT, 'build/tools/check-native.mjs'), join(tools, 'check-native.mjs'));
    const result = spawnSync(process.execPath, [join(tools, 'check-native.mjs')], { cwd: root, encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^Vault Token Desk cannot start: @napi-rs\/keyring has no binary for /),
      expect.stringMatching(/^ {2}Fix: run `npm install` again/),
    ]);
  });
});

describe('installing needs no compiler', () => {
  it("the lock tells npm that better-sqlite3 has nothing to build (npm reads the lock, not the package's gypfile)", () => {
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { gypfile?: boolean }>;
    };
    expect(
      lock.packages['node_modules/better-sqlite3']?.gypfile,
      'run `node build/tools/lock-gypfile.mjs` (npm install does, through "prepare")',
    ).toBe(false);
  });

  it('the prepare step puts the field back after npm rewrites the lock, and leaves it alone otherwise', () => {
    const entry = { version: '13.2.0', license: 'MIT' };
    const rewritten = `${JSON.stringify({ packages: { 'node_modules/better-sqlite3': entry } }, null, 2)}\n`;
    const fixed = lockTool.withGypfileOff(rewritten)!;
    expect(JSON.parse(fixed).packages['node_modules/better-sqlite3']).toEqual({ ...entry, gypfile: false });
    expect(lockTool.withGypfileOff(fixed)).toBeNull();
  });
});
