/**
 * The `token_deliveries` table (migration 009) on a real SQLite file: targets round-trip, runs are
 * recorded, a rotation moves targets without doubling them, and a delivery goes with its token
 * row (so a reused row id never inherits another token's targets).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../electron/store/database';
import { TokensRepo } from '../../electron/tokens/tokens-repo';
import { DeliveriesRepo } from '../../electron/deliveries/deliveries-repo';
import { DeliveryTargetSchema, DotenvTargetSchema } from '../../shared/contract/deliveries';
import { tempDir } from '../helpers/temp-dir';

const AT = '2030-01-01T00:00:00.000Z';
let dir: ReturnType<typeof tempDir> | null = null;
let db: Db | null = null;
afterEach(() => {
  db?.close();
  db = null;
  dir?.cleanup();
  dir = null;
});

function setup() {
  dir = tempDir('vtd-deliveries-repo-');
  db = openDatabase(join(dir.path, 'db.sqlite'));
  db.prepare(
    "INSERT INTO connections (id, name, dns, username, auth_method, created_at, updated_at) VALUES ('c1', 'Acme QA', 'qa.veevavault.com', 'me', 'password', ?, ?)",
  ).run(AT, AT);
  const tokens = new TokensRepo(db);
  const token = (tokenId: string) =>
    tokens.insertGenerated({
      connectionId: 'c1',
      connectionName: 'Acme QA',
      vaultId: 42,
      vaultDns: 'qa.veevavault.com',
      tokenId,
      name: 'Nightly ETL',
      userId: '100',
      userName: null,
      expiresAt: null,
      secretStored: true,
      at: AT,
    });
  return { db, tokens, repo: new DeliveriesRepo(db), token };
}

const dotenv = DotenvTargetSchema.parse({ kind: 'dotenv', path: '/srv/etl/.env', key: 'VAULT_TOKEN' });
const command = DeliveryTargetSchema.parse({ kind: 'command', argv: ['gh', 'secret', 'set', 'VAULT_TOKEN'] });

describe('DeliveriesRepo', () => {
  it('stores a target and reads it back with its token', () => {
    const { repo, token } = setup();
    const rowId = token('T1');
    const id = repo.add(rowId, command, 'gh', AT);
    expect(repo.get(id)).toEqual({
      id,
      rowId,
      connectionId: 'c1',
      connectionName: 'Acme QA',
      tokenId: 'T1',
      tokenName: 'Nightly ETL',
      target: { kind: 'command', argv: ['gh', 'secret', 'set', 'VAULT_TOKEN'], shell: false, timeoutMs: 60_000 },
      label: 'gh',
      createdAt: AT,
      updatedAt: AT,
      lastRunAt: null,
      lastStatus: null,
      lastExitCode: null,
      lastMessage: null,
    });
    expect(repo.findSame(rowId, command)).toBe(id);
    expect(repo.findSame(rowId, dotenv)).toBeNull();
  });

  it('records the last run of a target', () => {
    const { repo, token } = setup();
    const id = repo.add(token('T1'), command, 'gh', AT);
    repo.recordRun(id, { status: 'failed', exitCode: 4, message: 'exit 4: HTTP 401' }, '2030-01-02T00:00:00.000Z');
    expect(repo.get(id)).toMatchObject({
      lastRunAt: '2030-01-02T00:00:00.000Z',
      lastStatus: 'failed',
      lastExitCode: 4,
      lastMessage: 'exit 4: HTTP 401',
    });
  });

  it('moves targets to a replacement, dropping one it already has', () => {
    const { repo, token } = setup();
    const old = token('OLD');
    const replacement = token('NEW');
    repo.add(old, dotenv, dotenv.path, AT);
    repo.add(old, command, 'gh', AT);
    repo.add(replacement, command, 'gh', AT);
    expect(repo.move(old, replacement, AT)).toBe(1);
    expect(repo.forToken(old)).toEqual([]);
    expect(repo.forToken(replacement).map((d) => d.target.kind)).toEqual(['dotenv', 'command']);
    expect(repo.move(old, replacement, AT)).toBe(0);
  });

  it('lists by connection and in all', () => {
    const { repo, token } = setup();
    repo.add(token('B'), command, 'gh', AT);
    repo.add(token('A'), dotenv, dotenv.path, AT);
    expect(repo.all('c1').map((d) => d.tokenId)).toEqual(['A', 'B']);
    expect(repo.all().length).toBe(2);
    expect(repo.all('other')).toEqual([]);
  });

  it('goes with its token row', () => {
    const { db, repo, token } = setup();
    const rowId = token('T1');
    repo.add(rowId, dotenv, dotenv.path, AT);
    db.prepare('DELETE FROM tokens WHERE id = ?').run(rowId);
    expect(db.prepare('SELECT count(*) AS n FROM token_deliveries').get()).toEqual({ n: 0 });
  });

  it('has no column that could hold a value', () => {
    const { db } = setup();
    const columns = (db.prepare('PRAGMA table_info(token_deliveries)').all() as { name: string }[]).map((c) => c.name);
    expect(columns).toEqual([
      'id',
      'token_row_id',
      'kind',
      'config',
      'label',
      'created_at',
      'updated_at',
      'last_run_at',
      'last_status',
      'last_exit_code',
      'last_message',
    ]);
  });
});
