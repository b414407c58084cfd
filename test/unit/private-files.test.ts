/** Owner-only files (issue 11, finding 8): the data directory, the database and exports. */
import { chmodSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writePrivateFile } from '../../electron/store/private-files';
import { testContext } from '../helpers/context';
import { tempDir } from '../helpers/temp-dir';

const mode = (path: string) => statSync(path).mode & 0o777;
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe.skipIf(process.platform === 'win32')('file modes', () => {
  it('an existing data directory given by the person becomes 0700, and the database files 0600', async () => {
    const dir = tempDir();
    cleanups.push(() => dir.cleanup());
    const dataDir = join(dir.path, 'chosen');
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    const ctx = testContext({ dataDir });
    cleanups.push(() => ctx.close());
    await ctx.service.listConnections(undefined);
    expect(mode(dataDir)).toBe(0o700);
    const files = ['vault-token-desk.sqlite', 'vault-token-desk.sqlite-wal', 'vault-token-desk.sqlite-shm'];
    const present = files
      .map((f) => join(dataDir, f))
      .filter((f) => {
        try {
          statSync(f);
          return true;
        } catch {
          return false;
        }
      });
    expect(present.length).toBeGreaterThan(0);
    for (const f of present) expect(mode(f), f).toBe(0o600);
  });

  it('an export is created 0600; an existing 0644 file is replaced and made 0600', () => {
    const dir = tempDir();
    cleanups.push(() => dir.cleanup());
    const fresh = join(dir.path, 'new.csv');
    writePrivateFile(fresh, 'a\n');
    expect(mode(fresh)).toBe(0o600);
    const existing = join(dir.path, 'old.csv');
    writeFileSync(existing, 'old content that is longer\n', { mode: 0o644 });
    chmodSync(existing, 0o644);
    writePrivateFile(existing, 'b\n');
    expect(readFileSync(existing, 'utf8')).toBe('b\n');
    expect(mode(existing)).toBe(0o600);
  });

  it('never writes through a symlink planted at the path', () => {
    const dir = tempDir();
    cleanups.push(() => dir.cleanup());
    const target = join(dir.path, 'victim.txt');
    writeFileSync(target, 'keep me\n');
    const link = join(dir.path, 'export.csv');
    symlinkSync(target, link);
    expect(() => writePrivateFile(link, 'exported\n')).toThrow(/not a regular file/);
    expect(readFileSync(target, 'utf8')).toBe('keep me\n');
  });
});
