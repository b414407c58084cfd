/**
 * `vault-token-desk token import FILE`, in-process through `run()` (as
 * cli-terminal.test.ts does, for a terminal to test with): the rows land
 * read-only, a second import updates them in place, and the progress line is
 * on stderr only when stderr is a terminal.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../electron/cli/main';
import type { CliIO } from '../../electron/cli/io';
import { MemorySecretStore } from '../../electron/secrets/memory-store';
import { openDatabase } from '../../electron/store/database';
import { databasePath } from '../../electron/paths';
import { toJson } from '../../shared/inventory-export';
import type { TokenRow } from '../../shared/tokens';
import { tempDir } from '../helpers/temp-dir';
import { stripAnsi } from '../../shared/control-chars';
import { cliTestContext } from '../helpers/context';

const ROWS = 25_000;

function exportFile(path: string, rows: number, name = 'Reviewed'): string {
  const tokens: TokenRow[] = Array.from({ length: rows }, (_, i) => ({
    rowId: i + 1,
    connectionId: 'c1',
    connectionName: 'Colleague PROD',
    sandboxName: null,
    vaultId: 77,
    vaultDns: 'colleague.veevavault.com',
    tokenId: `0PI${String(i).padStart(12, '0')}`,
    name: `${name} ${i}`,
    userId: '5005',
    userName: 'Fox Mulder',
    status: i % 10 === 0 ? 'revoked' : 'active',
    expiresAt: new Date(Date.UTC(2027, 0, 1) + i * 60_000).toISOString(),
    daysLeft: null,
    lastUsedAt: null,
    createdAt: null,
    secretStored: false,
    source: 'sync',
    readOnly: false,
    revokedAt: i % 10 === 0 ? '2026-05-01T00:00:00.000Z' : null,
    lastSyncedAt: '2026-06-01T00:00:00.000Z',
    userActiveCount: 0,
  }));
  writeFileSync(path, toJson(tokens, { exportedAt: '2026-06-01T12:00:00.000Z' }));
  return path;
}

function streams(stderrTTY: boolean): { io: CliIO; stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  const stdin = Object.assign(new PassThrough(), { isTTY: false });
  stdin.end();
  return {
    io: {
      stdin,
      stdout: { isTTY: false, write: (chunk: string) => ((out += chunk), true) },
      stderr: { isTTY: stderrTTY, columns: 120, write: (chunk: string) => ((err += chunk), true) } as CliIO['stderr'],
      env: {},
      now: () => new Date(),
    },
    stdout: () => out,
    stderr: () => err,
  };
}

describe('vault-token-desk token import', () => {
  const dir = tempDir('vtd-cli-import-');
  const cli = (argv: string[], s: ReturnType<typeof streams>) =>
    run(['--data-dir', join(dir.path, 'data'), ...argv], s.io, {
      createContext: (dataDir, emit, logger) => cliTestContext(new MemorySecretStore())(dataDir, emit, logger),
    });
  afterAll(() => dir.cleanup());

  it('imports on a terminal with a progress line rewritten in place, then cleared', async () => {
    const file = exportFile(join(dir.path, 'export.json'), ROWS);
    const t = streams(true);
    expect(await cli(['token', 'import', file], t)).toBe(0);
    expect(t.stdout()).toBe(
      `Imported ${ROWS} tokens from ${file}. Imported rows are read-only (metadata for review); the app lists them with “Show imported”.\n`,
    );
    const err = t.stderr();
    expect(err).toContain('\r\u001b[2Kimport: reading the file…');
    expect(err).toContain('\r\u001b[2Kimport: checking rows: 10,000 of 25,000 (40%)');
    expect(err).toContain('\r\u001b[2Kimport: writing rows: 25,000 of 25,000 (100%)');
    expect(err.endsWith('\r\u001b[2K')).toBe(true);
    expect(err).not.toContain('\n');

    const db = openDatabase(databasePath(join(dir.path, 'data')));
    try {
      expect(
        db
          .prepare("SELECT count(*) FROM tokens WHERE source = 'import' AND read_only = 1 AND connection_id IS NULL")
          .pluck()
          .get(),
      ).toBe(ROWS);
    } finally {
      db.close();
    }
  });

  it('prints no progress when stderr is not a terminal; a second import updates the rows in place', async () => {
    const file = exportFile(join(dir.path, 'again.json'), 100, 'Renamed');
    const p = streams(false);
    expect(await cli(['--json', 'token', 'import', file], p)).toBe(0);
    expect(p.stderr()).toBe('');
    expect(JSON.parse(p.stdout())).toEqual({ file, imported: 0, replaced: 100 });
  });

  it('says which file it cannot read, and what is wrong with one it cannot import', async () => {
    const missing = streams(false);
    expect(await cli(['token', 'import', join(dir.path, 'nope.json')], missing)).toBe(1);
    expect(missing.stderr()).toMatch(/error: cannot read .*nope\.json: no such file/);
    const bad = join(dir.path, 'bad.json');
    writeFileSync(bad, '{"format":"vault-token-desk-inventory","version":1,"rows":[{"tokenId":""}]}');
    const t = streams(true);
    expect(await cli(['token', 'import', bad], t)).toBe(1);
    expect(t.stderr()).toMatch(/error:\S* The file cannot be imported\. row 1/);
    // The progress line was cleared before the error.
    const err = stripAnsi(t.stderr());
    expect(err.lastIndexOf('\r\u001b[2K')).toBeGreaterThan(-1);
    expect(err.lastIndexOf('\r\u001b[2K')).toBeLessThan(err.indexOf('error:'));
  });
});
