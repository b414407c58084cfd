import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../electron/store/database';
import { ConnectionsRepo } from '../../electron/connections/connections-repo';
import {
  TokensRepo,
  type ImportTokenRow,
  type NewGeneratedToken,
  type SyncTarget,
} from '../../electron/tokens/tokens-repo';
import { planSync } from '../../electron/tokens/reconcile';
import { InventoryIndex } from '../../electron/tokens/inventory-index';
import { normaliseSearch, searchTextOf } from '../../electron/tokens/inventory-reader';
import type { VaultTokenRow } from '../../electron/vault/types';
import {
  INVENTORY_SORT_COLUMNS,
  TOKEN_STATUSES,
  type InventoryQuery,
  type TokenRow,
  type TokenStatus,
} from '../../shared/tokens';
import { tokenStatus, type RotationLinks } from '../../shared/token-status';
import { tempDir } from '../helpers/temp-dir';
import { mulberry32, pick } from '../helpers/fuzz-payloads';

const NOW = new Date('2026-06-01T12:00:00.000Z');
const DAY = 86_400_000;
const iso = (ms: number) => new Date(NOW.getTime() + ms).toISOString();
const at = NOW.toISOString();

let dir: ReturnType<typeof tempDir>;
let db: Db;
let connections: ConnectionsRepo;
let repo: TokensRepo;

beforeEach(() => {
  dir = tempDir();
  db = openDatabase(join(dir.path, 'test.sqlite'));
  connections = new ConnectionsRepo(db);
  repo = new TokensRepo(db, { timeZone: 'UTC' });
});
afterEach(() => {
  vi.restoreAllMocks();
  db.close();
  dir.cleanup();
});

function addConnection(id: string, name: string, dns: string): SyncTarget {
  connections.insert(
    {
      id,
      name,
      dns,
      apiVersion: 'v26.2',
      username: `svc@${dns}`,
      authMethod: 'password',
      clientId: 'vault-token-desk',
      secretStored: false,
    },
    at,
  );
  return { id, name, dns, vaultId: 1000 + connections.list().length };
}

function vaultToken(id: string, over: Partial<VaultTokenRow> = {}): VaultTokenRow {
  return {
    id,
    name: `Token ${id}`,
    userId: '1001',
    status: 'active__v',
    expiryDate: iso(60 * DAY),
    lastUsedDate: null,
    createdDate: iso(-30 * DAY),
    ...over,
  };
}

/** Brings Vault's listing in through the real path: planSync + applySync. */
function sync(target: SyncTarget, listing: VaultTokenRow[], opts: { seesAllTokens?: boolean; syncedAt?: string } = {}) {
  const syncedAt = opts.syncedAt ?? at;
  const plan = planSync(repo.localStateForConnection(target.id), listing, {
    seesAllTokens: opts.seesAllTokens ?? true,
    loginUserId: '1001',
    syncedAt,
  });
  return { plan, applied: repo.applySync(target, plan, syncedAt) };
}

function generated(target: SyncTarget, over: Partial<NewGeneratedToken> = {}): NewGeneratedToken {
  return {
    connectionId: target.id,
    connectionName: target.name,
    vaultId: target.vaultId,
    vaultDns: target.dns,
    tokenId: '0PI00000000GEN1',
    name: 'CI pipeline',
    userId: '1001',
    userName: 'Dana Scully',
    expiresAt: '2026-12-31T23:59:59Z',
    at,
    ...over,
  };
}

function importRow(over: Partial<ImportTokenRow> = {}): ImportTokenRow {
  return {
    connectionName: 'Colleague PROD',
    vaultId: 77,
    vaultDns: 'colleague.veevavault.com',
    tokenId: '0PI00000000IMP1',
    name: 'Imported review',
    userId: '5005',
    userName: 'Fox Mulder',
    lifecycle: 'active',
    expiresAt: iso(3 * DAY),
    lastUsedAt: null,
    createdAt: null,
    revokedAt: null,
    lastSyncedAt: iso(-DAY),
    ...over,
  };
}

const q = (over: Partial<InventoryQuery> = {}): InventoryQuery => ({ offset: 0, limit: 100, ...over });
const ids = (rows: TokenRow[]) => rows.map((r) => r.tokenId);

describe('TokensRepo writes', () => {
  it('records a generated token and reads it back with computed status, days left and active count', () => {
    const c = addConnection('c1', 'Acme QMS', 'acme-qms.veevavault.com');
    const rowId = repo.insertGenerated(generated(c));
    const row = repo.get(rowId, NOW)!;
    expect(row).toEqual({
      rowId,
      connectionId: 'c1',
      connectionName: 'Acme QMS',
      vaultId: c.vaultId,
      vaultDns: 'acme-qms.veevavault.com',
      tokenId: '0PI00000000GEN1',
      name: 'CI pipeline',
      userId: '1001',
      userName: 'Dana Scully',
      status: 'active',
      expiresAt: '2026-12-31T23:59:59.000Z',
      daysLeft: 213,
      lastUsedAt: null,
      createdAt: at,
      secretStored: false,
      source: 'generated',
      readOnly: false,
      revokedAt: null,
      lastSyncedAt: null,
      sandboxName: null,
      userActiveCount: 1,
      // No rotation in this app has linked it to another token (migration 008).
      replacedBy: null,
      replaces: null,
    } satisfies TokenRow & RotationLinks);
    expect(repo.getByTokenId('c1', '0PI00000000GEN1', NOW)?.rowId).toBe(rowId);
    expect(repo.getByTokenId('c1', 'nope', NOW)).toBeNull();
    expect(repo.get(9999, NOW)).toBeNull();
  });

  it('refuses an expiry that is not a date rather than storing "never expires"', () => {
    const c = addConnection('c1', 'Acme QMS', 'acme-qms.veevavault.com');
    expect(() => repo.insertGenerated(generated(c, { expiresAt: 'end of year' }))).toThrow(/expiresAt/);
    expect(repo.localStateForConnection('c1')).toEqual([]);
  });

  it('a generated token that a sync brought in first becomes that same row', () => {
    const c = addConnection('c1', 'Acme QMS', 'acme-qms.veevavault.com');
    sync(c, [vaultToken('0PI00000000GEN1')]);
    const [synced] = repo.localStateForConnection('c1');
    const rowId = repo.insertGenerated(generated(c));
    expect(rowId).toBe(synced!.rowId);
    expect(repo.get(rowId, NOW)).toMatchObject({ source: 'generated', name: 'CI pipeline', userName: 'Dana Scully' });
    expect(repo.localStateForConnection('c1')).toHaveLength(1);
  });

  it('has nowhere to put a token value, and does not keep one passed by mistake', () => {
    const columns = (db.prepare('PRAGMA table_info(tokens)').all() as { name: string }[]).map((c) => c.name);
    // Vault record ids (the rotation links of migration 008 are token ids too) and a flag; never a value.
    expect(columns.filter((n) => /value|secret|token/.test(n))).toEqual([
      'token_id',
      'secret_stored',
      'replaced_by_token_id',
      'replaces_token_id',
    ]);
    const c = addConnection('c1', 'Acme QMS', 'acme-qms.veevavault.com');
    repo.insertGenerated({ ...generated(c), value: 'veeva-vault-SECRET123' } as NewGeneratedToken);
    const everything = JSON.stringify(db.prepare('SELECT * FROM tokens').all());
    expect(everything).not.toContain('veeva-vault-');
  });

  describe('applySync', () => {
    it('adds tokens made elsewhere as sync rows without a stored secret, with user names', () => {
      const c = addConnection('c1', 'Acme QMS', 'acme-qms.veevavault.com');
      const { applied } = sync({ ...c, userNames: { '1001': 'Dana Scully' } }, [
        vaultToken('A'),
        vaultToken('B', { userId: '2002', expiryDate: null }),
      ]);
      expect(applied).toEqual({ added: 2, updated: 0, revoked: 0, unchanged: 0 });
      const page = repo.query(q({ sort: { column: 'tokenId', direction: 'asc' } }), NOW);
      expect(page.rows.map((r) => [r.tokenId, r.source, r.secretStored, r.userName, r.lastSyncedAt, r.status])).toEqual(
        [
          ['A', 'sync', false, 'Dana Scully', at, 'active'],
          ['B', 'sync', false, null, at, 'active'],
        ],
      );
    });

    it('updates metadata, revokes what is gone, keeps every row, and stamps the sync time', () => {
      const c = addConnection('c1', 'Acme QMS', 'acme-qms.veevavault.com');
      sync(c, [vaultToken('A'), vaultToken('B'), vaultToken('C')]);
      const later = iso(DAY);
      const { applied } = sync(
        c,
        [
          vaultToken('A', { name: 'Renamed', lastUsedDate: iso(DAY - 1000) }),
          vaultToken('B', { status: 'inactive__v' }),
          vaultToken('D'),
        ],
        { syncedAt: later },
      );
      expect(applied).toEqual({ added: 1, updated: 1, revoked: 2, unchanged: 0 });
      const rows = repo.exportRows({ sort: { column: 'tokenId', direction: 'asc' } }, NOW);
      expect(rows.map((r) => [r.tokenId, r.name, r.status, r.revokedAt, r.lastSyncedAt])).toEqual([
        ['A', 'Renamed', 'active', null, later],
        ['B', 'Token B', 'revoked', later, later],
        ['C', 'Token C', 'revoked', later, later],
        ['D', 'Token D', 'active', null, later],
      ]);
      expect(rows[0]!.lastUsedAt).toBe(iso(DAY - 1000));
      // The next sync leaves the revoked rows where they are.
      const third = sync(c, [vaultToken('A', { name: 'Renamed', lastUsedDate: iso(DAY - 1000) }), vaultToken('D')], {
        syncedAt: iso(2 * DAY),
      });
      expect(third.applied).toEqual({ added: 0, updated: 0, revoked: 0, unchanged: 2 });
      expect(repo.get(rows[1]!.rowId, NOW)?.revokedAt).toBe(later);
    });

    it('keeps the connection name and DNS on its rows current, and search follows', () => {
      const c = addConnection('c1', 'Acme QMS', 'acme-qms.veevavault.com');
      sync(c, [vaultToken('A')]);
      expect(repo.query(q({ search: 'acme qms' }), NOW).total).toBe(1);
      sync({ ...c, name: 'Globex Quality', dns: 'globex-quality.veevavault.com' }, [vaultToken('A')]);
      const [row] = repo.exportRows({}, NOW);
      expect(row).toMatchObject({ connectionName: 'Globex Quality', vaultDns: 'globex-quality.veevavault.com' });
      expect(repo.query(q({ search: 'acme' }), NOW).total).toBe(0);
      expect(repo.query(q({ search: 'globex-quality.veeva' }), NOW).total).toBe(1);
    });

    it('never changes a known Vault id (keychain items are named after it), and leaves rows of another Vault as they are', () => {
      const c = addConnection('c1', 'Acme QMS', 'acme-qms.veevavault.com');
      sync({ ...c, vaultId: null }, [vaultToken('A')]); // Vault id not learned yet
      const sandboxRow = repo.insertGenerated(
        generated(c, { tokenId: 'SBX', vaultId: 555, connectionName: 'Acme QMS → sandbox UAT' }),
      );
      sync({ ...c, name: 'Acme QMS (prod)' }, [vaultToken('A'), vaultToken('SBX')], { syncedAt: iso(DAY) });
      expect(repo.getByTokenId('c1', 'A', NOW)).toMatchObject({
        vaultId: c.vaultId,
        connectionName: 'Acme QMS (prod)',
      });
      expect(repo.get(sandboxRow, NOW)).toMatchObject({ vaultId: 555, connectionName: 'Acme QMS → sandbox UAT' });
    });

    it('names users, and says which ids still lack a name', () => {
      const c = addConnection('c1', 'Acme QMS', 'acme-qms.veevavault.com');
      sync(c, [
        vaultToken('A', { userId: '1001' }),
        vaultToken('B', { userId: '2002' }),
        vaultToken('C', { userId: '2002' }),
      ]);
      expect(repo.userIdsWithoutNames('c1')).toEqual(['1001', '2002']);
      expect(repo.setUserNames('c1', { '2002': 'Walter Skinner', '9999': 'Nobody' }, at)).toBe(2);
      expect(repo.userIdsWithoutNames('c1')).toEqual(['1001']);
      expect(
        ids(repo.query(q({ search: 'skinner', sort: { column: 'tokenId', direction: 'asc' } }), NOW).rows),
      ).toEqual(['B', 'C']);
      expect(repo.setUserNames('c1', { '2002': 'Walter Skinner' }, at)).toBe(0);
    });

    it('is one transaction: a failing step leaves nothing applied', () => {
      const c = addConnection('c1', 'Acme QMS', 'acme-qms.veevavault.com');
      sync(c, [vaultToken('A')]);
      const [a] = repo.localStateForConnection('c1');
      const plan = planSync([a!], [vaultToken('B')], { seesAllTokens: true, loginUserId: '1001', syncedAt: iso(DAY) });
      expect(plan.revokes).toHaveLength(1);
      plan.inserts.push({ ...plan.inserts[0]!, tokenId: 'C', name: null as unknown as string }); // violates NOT NULL
      expect(() => repo.applySync(c, plan, iso(DAY))).toThrow(/NOT NULL/);
      expect(repo.localStateForConnection('c1').map((r) => [r.tokenId, r.lifecycle])).toEqual([['A', 'active']]);
    });

    it('never writes rows of another connection or imported rows, whatever the plan says', () => {
      const c1 = addConnection('c1', 'Acme QMS', 'acme-qms.veevavault.com');
      const c2 = addConnection('c2', 'Acme RIM', 'acme-rim.veevavault.com');
      sync(c2, [vaultToken('X')]);
      repo.importRows([importRow()], at);
      const others = repo.exportRows({ includeImported: true }, NOW).map((r) => r.rowId);
      const applied = repo.applySync(
        c1,
        {
          inserts: [],
          updates: others.map((rowId) => ({ rowId, tokenId: '?', changes: { name: 'hijacked' } })),
          revokes: others.map((rowId) => ({ rowId, tokenId: '?', reason: 'missing' as const })),
          unchanged: others,
          untouched: [],
          warnings: [],
        },
        iso(DAY),
      );
      expect(applied).toEqual({ added: 0, updated: 0, revoked: 0, unchanged: 0 });
      expect(repo.exportRows({ includeImported: true }, NOW).map((r) => [r.name, r.status])).toEqual([
        ['Imported review', 'expiring'],
        ['Token X', 'active'],
      ]);
    });
  });

  it('markRevoked revokes active rows once, keeps the first revocation time, and skips imported rows', () => {
    const c = addConnection('c1', 'Acme QMS', 'acme-qms.veevavault.com');
    sync(c, [vaultToken('A'), vaultToken('B')]);
    repo.importRows([importRow()], at);
    const [a, b] = repo.localStateForConnection('c1');
    const imported = repo.exportRows({ includeImported: true, connectionIds: undefined }, NOW).find((r) => r.readOnly)!;
    expect(repo.markRevoked([a!.rowId, imported.rowId], iso(1000))).toBe(1);
    expect(repo.markRevoked([a!.rowId, b!.rowId], iso(2000))).toBe(1);
    expect(repo.get(a!.rowId, NOW)).toMatchObject({ status: 'revoked', revokedAt: iso(1000) });
    expect(repo.get(b!.rowId, NOW)).toMatchObject({ status: 'revoked', revokedAt: iso(2000) });
    expect(repo.get(imported.rowId, NOW)?.status).toBe('expiring');
  });

  it('setSecretStored flips the flag on writable rows only', () => {
    const c = addConnection('c1', 'Acme QMS', 'acme-qms.veevavault.com');
    const rowId = repo.insertGenerated(generated(c));
    expect(repo.setSecretStored(rowId, true, at)).toBe(true);
    expect(repo.get(rowId, NOW)?.secretStored).toBe(true);
    expect(repo.setSecretStored(rowId, false, at)).toBe(true);
    expect(repo.get(rowId, NOW)?.secretStored).toBe(false);
    repo.importRows([importRow()], at);
    const imported = repo.exportRows({ includeImported: true }, NOW).find((r) => r.readOnly)!;
    expect(repo.setSecretStored(imported.rowId, true, at)).toBe(false);
    expect(repo.setSecretStored(424242, true, at)).toBe(false);
  });

  it('clearRevoked deletes only revoked, non-imported rows, and search forgets them', () => {
    const c = addConnection('c1', 'Acme QMS', 'acme-qms.veevavault.com');
    sync(c, [vaultToken('A'), vaultToken('B'), vaultToken('C')]);
    repo.importRows([importRow({ lifecycle: 'revoked', revokedAt: iso(-DAY) })], at);
    const [a, b, cc] = repo.localStateForConnection('c1');
    repo.markRevoked([a!.rowId, b!.rowId], at);
    expect(repo.revokedRows(NOW).map((r) => r.tokenId)).toEqual(['A', 'B']);
    expect(repo.clearRevoked([b!.rowId, cc!.rowId])).toBe(1); // C is active: stays
    expect(repo.clearRevoked([])).toBe(0);
    expect(repo.query(q({ search: 'token b' }), NOW).total).toBe(0);
    expect(repo.clearRevoked()).toBe(1);
    expect(repo.localStateForConnection('c1').map((r) => r.tokenId)).toEqual(['C']);
    expect(repo.exportRows({ includeImported: true }, NOW).filter((r) => r.readOnly)).toHaveLength(1);
  });

  it('removing a connection takes its rows with it, and search forgets them', () => {
    const c = addConnection('c1', 'Acme QMS', 'acme-qms.veevavault.com');
    sync(c, [vaultToken('A', { name: 'Cascade me' })]);
    expect(repo.query(q({ search: 'cascade' }), NOW).total).toBe(1);
    connections.remove('c1');
    expect(repo.query(q({ search: 'cascade' }), NOW).total).toBe(0);
    // The cascade goes around TokensRepo: the in-memory index still sees it (tokens_version triggers).
    expect(repo.query(q({ includeImported: true }), NOW).total).toBe(0);
  });

  describe('imports', () => {
    it('are read-only, without a connection, and replace the same token in place on re-import', () => {
      const first = repo.importRows([importRow(), importRow({ tokenId: '0PI00000000IMP2', name: 'Second' })], at);
      expect(first).toEqual({ imported: 2, replaced: 0 });
      const before = repo.query(q({ includeImported: true }), NOW).rows;
      expect(before.map((r) => [r.connectionId, r.source, r.readOnly, r.secretStored])).toEqual([
        [null, 'import', true, false],
        [null, 'import', true, false],
      ]);
      const again = repo.importRows([importRow({ name: 'Renamed on the other machine' })], iso(1000));
      expect(again).toEqual({ imported: 0, replaced: 1 });
      const after = repo.exportRows({ includeImported: true, sort: { column: 'tokenId', direction: 'asc' } }, NOW);
      expect(after.map((r) => [r.rowId, r.name])).toEqual([
        [before.find((r) => r.tokenId === '0PI00000000IMP1')!.rowId, 'Renamed on the other machine'],
        [before.find((r) => r.tokenId === '0PI00000000IMP2')!.rowId, 'Second'],
      ]);
    });

    it('are left out of queries unless asked for, and count active tokens among themselves', () => {
      const c = addConnection('c1', 'Acme QMS', 'acme-qms.veevavault.com');
      sync(c, [vaultToken('A', { userId: '5005' })]);
      repo.importRows(
        [importRow(), importRow({ tokenId: 'IMP-2' }), importRow({ tokenId: 'IMP-3', lifecycle: 'revoked' })],
        at,
      );
      expect(ids(repo.query(q(), NOW).rows)).toEqual(['A']);
      const all = repo.query(q({ includeImported: true, sort: { column: 'tokenId', direction: 'asc' } }), NOW);
      expect(all.total).toBe(4);
      expect(all.rows.map((r) => [r.tokenId, r.userActiveCount])).toEqual([
        ['0PI00000000IMP1', 2],
        ['A', 1],
        ['IMP-2', 2],
        ['IMP-3', 2],
      ]);
    });

    it('are all or nothing, and match earlier imports whatever the DNS case', () => {
      expect(() =>
        repo.importRows([importRow({ tokenId: 'OK-1' }), importRow({ tokenId: 'BAD', expiresAt: 'someday' })], at),
      ).toThrow(/expiresAt/);
      expect(repo.exportRows({ includeImported: true }, NOW)).toEqual([]);
      expect(
        repo.importRows(
          [importRow(), importRow({ vaultDns: 'COLLEAGUE.veevavault.com', name: 'same token, louder DNS' })],
          at,
        ),
      ).toEqual({
        imported: 1,
        replaced: 1,
      });
      expect(repo.exportRows({ includeImported: true }, NOW).map((r) => r.name)).toEqual(['same token, louder DNS']);
    });

    it('clearImported removes imported rows only', () => {
      const c = addConnection('c1', 'Acme QMS', 'acme-qms.veevavault.com');
      sync(c, [vaultToken('A')]);
      repo.importRows([importRow(), importRow({ tokenId: 'IMP-2' })], at);
      expect(repo.clearImported()).toBe(2);
      expect(ids(repo.exportRows({ includeImported: true }, NOW))).toEqual(['A']);
    });
  });
});

describe('TokensRepo rotation links (migration 008)', () => {
  const linksOf = (rowId: number): RotationLinks => {
    const row = repo.get(rowId, NOW) as (TokenRow & RotationLinks) | null;
    return { replacedBy: row?.replacedBy, replaces: row?.replaces };
  };

  it('links the old token to its replacement and back, read by get, query and export alike', () => {
    const c = addConnection('c1', 'Acme QMS', 'acme-qms.veevavault.com');
    const oldRow = repo.insertGenerated(generated(c, { tokenId: '0PI00000000OLD1', name: 'ETL' }));
    const newRow = repo.insertGenerated(generated(c, { tokenId: '0PI00000000NEW1', name: 'ETL' }));
    const other = repo.insertGenerated(generated(c, { tokenId: '0PI00000000OTH1', name: 'Other' }));
    expect(linksOf(oldRow)).toEqual({ replacedBy: null, replaces: null });

    expect(repo.setReplacedBy(oldRow, newRow, at)).toBe(true);
    expect(linksOf(oldRow)).toEqual({
      replacedBy: { rowId: newRow, tokenId: '0PI00000000NEW1', name: 'ETL' },
      replaces: null,
    });
    expect(linksOf(newRow)).toEqual({
      replacedBy: null,
      replaces: { rowId: oldRow, tokenId: '0PI00000000OLD1', name: 'ETL' },
    });
    expect(linksOf(other)).toEqual({ replacedBy: null, replaces: null });
    // The inventory's pages (the in-memory index) and exports read the same rows.
    const page = repo.query(q({ rowIds: [oldRow, newRow] }), NOW).rows as (TokenRow & RotationLinks)[];
    expect(page.find((r) => r.rowId === oldRow)?.replacedBy?.tokenId).toBe('0PI00000000NEW1');
    expect(page.find((r) => r.rowId === newRow)?.replaces?.tokenId).toBe('0PI00000000OLD1');
    const exported = repo.exportRows(q(), NOW) as (TokenRow & RotationLinks)[];
    expect(exported.find((r) => r.rowId === oldRow)?.replacedBy?.rowId).toBe(newRow);
  });

  it('a rotation of the replacement chains: the middle token names both ends', () => {
    const c = addConnection('c1', 'Acme QMS', 'acme-qms.veevavault.com');
    const [a, b, d] = ['0PI0000000000A1', '0PI0000000000B1', '0PI0000000000C1'].map((tokenId) =>
      repo.insertGenerated(generated(c, { tokenId })),
    ) as [number, number, number];
    expect(repo.setReplacedBy(a, b, at)).toBe(true);
    expect(repo.setReplacedBy(b, d, at)).toBe(true);
    expect(linksOf(b)).toEqual({
      replacedBy: { rowId: d, tokenId: '0PI0000000000C1', name: 'CI pipeline' },
      replaces: { rowId: a, tokenId: '0PI0000000000A1', name: 'CI pipeline' },
    });
  });

  it('refuses a link to itself, across connections, to an imported row or to a missing row', () => {
    const c1 = addConnection('c1', 'Acme QMS', 'acme-qms.veevavault.com');
    const c2 = addConnection('c2', 'Beta RIM', 'beta-rim.veevavault.com');
    const one = repo.insertGenerated(generated(c1, { tokenId: '0PI00000000ONE1' }));
    const elsewhere = repo.insertGenerated(generated(c2, { tokenId: '0PI00000000TWO1' }));
    repo.importRows([importRow()], at);
    const imported = repo.query(q({ includeImported: true, search: '0PI00000000IMP1' }), NOW).rows[0]!.rowId;
    expect(repo.setReplacedBy(one, one, at)).toBe(false);
    expect(repo.setReplacedBy(one, elsewhere, at)).toBe(false);
    expect(repo.setReplacedBy(imported, one, at)).toBe(false);
    expect(repo.setReplacedBy(one, imported, at)).toBe(false);
    expect(repo.setReplacedBy(one, 9999, at)).toBe(false);
    for (const id of [one, elsewhere, imported]) expect(linksOf(id)).toEqual({ replacedBy: null, replaces: null });
  });

  it('a link whose other row was cleared finds nothing, and a new row with that row id does not inherit it', () => {
    const c = addConnection('c1', 'Acme QMS', 'acme-qms.veevavault.com');
    const oldRow = repo.insertGenerated(generated(c, { tokenId: '0PI00000000OLD1' }));
    const newRow = repo.insertGenerated(generated(c, { tokenId: '0PI00000000NEW1' }));
    expect(repo.setReplacedBy(oldRow, newRow, at)).toBe(true);
    repo.markRevoked([oldRow], at);
    expect(repo.clearRevoked([oldRow])).toBe(1);
    expect(linksOf(newRow)).toEqual({ replacedBy: null, replaces: null });
    // SQLite may hand the cleared row id to the next insert: it is another token, with no link.
    const reused = repo.insertGenerated(generated(c, { tokenId: '0PI00000000NXT1' }));
    expect(linksOf(reused)).toEqual({ replacedBy: null, replaces: null });
    expect(linksOf(newRow)).toEqual({ replacedBy: null, replaces: null });
  });
});

describe('TokensRepo reads', () => {
  it('activeCountForUser counts active, unexpired tokens of one user on one connection', () => {
    const c1 = addConnection('c1', 'Acme QMS', 'acme-qms.veevavault.com');
    const c2 = addConnection('c2', 'Acme RIM', 'acme-rim.veevavault.com');
    sync(c1, [
      vaultToken('A'),
      vaultToken('B', { expiryDate: null }),
      vaultToken('C', { expiryDate: iso(DAY) }), // expiring still counts
      vaultToken('D', { expiryDate: iso(-DAY) }), // expired does not
      vaultToken('E', { userId: '2002' }),
    ]);
    sync(c2, [vaultToken('F')]);
    const [a] = repo.localStateForConnection('c1');
    repo.markRevoked([a!.rowId], at);
    expect(repo.activeCountForUser('c1', '1001', NOW)).toBe(2);
    expect(repo.activeCountForUser('c1', '2002', NOW)).toBe(1);
    expect(repo.activeCountForUser('c2', '1001', NOW)).toBe(1);
    expect(repo.activeCountForUser('c1', '1001', new Date(NOW.getTime() + 2 * DAY))).toBe(1);
    expect(repo.get(repo.localStateForConnection('c1')[1]!.rowId, NOW)?.userActiveCount).toBe(2);
  });

  it('localStateForConnection gives reconcile what it needs', () => {
    const c = addConnection('c1', 'Acme QMS', 'acme-qms.veevavault.com');
    sync(c, [vaultToken('A', { lastUsedDate: '2026-05-31T10:00:00Z' })]);
    expect(repo.localStateForConnection('c1')).toEqual([
      {
        rowId: expect.any(Number),
        vaultId: c.vaultId,
        tokenId: 'A',
        name: 'Token A',
        userId: '1001',
        lifecycle: 'active',
        expiresAt: iso(60 * DAY),
        lastUsedAt: '2026-05-31T10:00:00.000Z',
        createdAt: iso(-30 * DAY),
        source: 'sync',
        readOnly: false,
        sandboxName: null,
        firstSeenAt: expect.any(String),
      },
    ]);
  });

  describe('query', () => {
    /** Rows straddling every status boundary, in two connections. */
    function seedBoundaries() {
      const c1 = addConnection('c1', 'Acme QMS', 'acme-qms.veevavault.com');
      const c2 = addConnection('c2', 'Globex RIM', 'globex-rim.veevavault.com');
      const offsets = [-30 * DAY, -1, 0, 1, DAY, 14 * DAY, 14 * DAY + 1, 90 * DAY];
      sync({ ...c1, userNames: { '1001': 'Dana Scully', '2002': 'Walter Skinner' } }, [
        ...offsets.map((ms, i) =>
          vaultToken(`A${i}`, { name: `Acme token ${i}`, expiryDate: iso(ms), userId: i % 2 ? '2002' : '1001' }),
        ),
        vaultToken('ANEVER', { name: 'Acme forever', expiryDate: null }),
      ]);
      sync(c2, [
        vaultToken('G1', { name: 'Globex ETL', expiryDate: iso(5 * DAY) }),
        vaultToken('G2', { name: 'Globex report', expiryDate: iso(40 * DAY) }),
      ]);
      const a1 = repo.getByTokenId('c1', 'A7', NOW)!;
      repo.markRevoked([a1.rowId], at);
      return { c1, c2 };
    }

    it('computes status in SQL exactly as tokenStatus does, and filters and counts by it', () => {
      seedBoundaries();
      const all = repo.exportRows({}, NOW);
      expect(all).toHaveLength(11);
      for (const row of all) {
        const life = row.status === 'revoked' ? 'revoked' : 'active';
        expect(row.status).toBe(tokenStatus(life, row.expiresAt, NOW));
      }
      const expected: Record<TokenStatus, string[]> = { active: [], expiring: [], expired: [], revoked: [] };
      for (const row of all) expected[row.status].push(row.tokenId);
      for (const list of Object.values(expected)) list.sort();
      expect(expected).toEqual({
        active: ['A6', 'ANEVER', 'G2'],
        expiring: ['A3', 'A4', 'A5', 'G1'],
        expired: ['A0', 'A1', 'A2'],
        revoked: ['A7'],
      });
      for (const status of TOKEN_STATUSES) {
        const page = repo.query(q({ statuses: [status] }), NOW);
        expect(ids(page.rows).sort()).toEqual([...expected[status]].sort());
        expect(page.total).toBe(expected[status].length);
        expect(page.statusCounts).toEqual({ active: 3, expiring: 4, expired: 3, revoked: 1 });
      }
      const two = repo.query(q({ statuses: ['expired', 'expiring'] }), NOW);
      expect(two.total).toBe(7);
      expect(repo.query(q({ statuses: [] }), NOW).total).toBe(11);
      expect(repo.query(q({ statuses: [...TOKEN_STATUSES] }), NOW).total).toBe(11);
    });

    it('honours soonDays', () => {
      seedBoundaries();
      expect(repo.query(q(), NOW, 30).statusCounts).toEqual({ active: 2, expiring: 5, expired: 3, revoked: 1 });
      expect(repo.query(q(), NOW, 0).statusCounts).toEqual({ active: 7, expiring: 0, expired: 3, revoked: 1 });
    });

    it('pages in SQL: stable order, no row twice, offset past the end is empty but still counted', () => {
      seedBoundaries();
      for (const column of INVENTORY_SORT_COLUMNS) {
        for (const direction of ['asc', 'desc'] as const) {
          const sort = { column, direction };
          const whole = ids(repo.exportRows({ sort }, NOW));
          const paged: string[] = [];
          for (let offset = 0; offset < 11; offset += 3) {
            const page = repo.query(q({ sort, offset, limit: 3 }), NOW);
            expect(page.offset).toBe(offset);
            expect(page.total).toBe(11);
            paged.push(...ids(page.rows));
          }
          expect(paged).toEqual(whole);
          expect(new Set(paged).size).toBe(11);
        }
      }
      const beyond = repo.query(q({ offset: 50 }), NOW);
      expect(beyond.rows).toEqual([]);
      expect(beyond.total).toBe(11);
    });

    it('never returns more than 1000 rows a page, and pages deep into a search', () => {
      const c = addConnection('c1', 'Acme QMS', 'acme-qms.veevavault.com');
      sync(
        c,
        Array.from({ length: 5200 }, (_, i) =>
          vaultToken(`T${String(i).padStart(4, '0')}`, { expiryDate: iso((i % 97) * DAY - 40 * DAY) }),
        ),
      );
      const page = repo.query(q({ limit: 5000 }), NOW);
      expect(page.rows).toHaveLength(1000);
      expect(page.total).toBe(5200);
      expect(repo.exportRows({}, NOW)).toHaveLength(5200);
      // Past 5,000 rows a search pages with SQL OFFSET instead of the single pass: same answer.
      const search = {
        search: 'token t',
        statuses: ['active', 'expiring'] as TokenStatus[],
        sort: { column: 'expiresAt' as const, direction: 'desc' as const },
      };
      const all = ids(repo.exportRows(search, NOW));
      for (const offset of [0, 3999, 4990, all.length - 5]) {
        const deep = repo.query(q({ ...search, offset, limit: 20 }), NOW);
        expect(deep.total).toBe(all.length);
        expect(ids(deep.rows)).toEqual(all.slice(offset, offset + 20));
      }
    });

    it('every query shape pages through exactly what a plain full query returns', () => {
      const c1 = addConnection('c1', 'Acme QMS', 'acme-qms.veevavault.com');
      const c2 = addConnection('c2', 'Globex RIM', 'globex-rim.veevavault.com');
      const c3 = addConnection('c3', 'Initech Safety', 'initech-safety.veevavault.com');
      const names = ['ETL nightly', 'Salesforce sync', 'CI pipeline', 'Reporting', 'etl backfill', 'Snowflake loader'];
      let n = 0;
      for (const c of [c1, c2, c3]) {
        sync(
          { ...c, userNames: { '1001': 'Dana Scully', '2002': 'Walter Skinner', '3003': 'Alex Krycek' } },
          Array.from({ length: 22 }, () => {
            n += 1;
            return vaultToken(`0PI${String(n).padStart(12, '0')}`, {
              name: names[n % names.length],
              userId: ['1001', '2002', '3003', '4004'][n % 4],
              expiryDate: n % 9 === 0 ? null : iso(((n * 7) % 60) * DAY - 20 * DAY + (n % 3)),
              lastUsedDate: n % 4 === 0 ? null : iso(-n * 3600_000),
            });
          }),
        );
      }
      const rows = repo.exportRows({}, NOW);
      repo.markRevoked(
        rows.filter((_, i) => i % 7 === 0).map((r) => r.rowId),
        at,
      );
      for (const r of rows.filter((_, i) => i % 3 === 0)) repo.setSecretStored(r.rowId, true, at);
      repo.importRows([importRow({ name: 'ETL imported' }), importRow({ tokenId: 'IMP-2', lifecycle: 'revoked' })], at);
      const someIds = rows.filter((_, i) => i % 5 === 0).map((r) => r.rowId);

      const filters: Omit<InventoryQuery, 'offset' | 'limit'>[] = [
        {},
        { statuses: ['expiring', 'expired'] },
        { search: 'etl' }, // trigram index
        { search: 'ETL', statuses: ['active'] },
        { search: 'e' }, // too short for the trigram index: scan
        { search: 'sc', statuses: ['revoked', 'active'] },
        { connectionIds: ['c2', 'c3'] },
        { connectionIds: ['c1'], statuses: ['active'], search: 'scully' },
        { rowIds: someIds, statuses: ['revoked', 'expired'] },
        { secretNotStored: true, expiresWithinDays: 30 },
        { includeImported: true, search: 'etl' },
        { includeImported: true, statuses: ['revoked'] },
        // The nudges (shared/nudges.ts): a row set from SQL that the index narrows to.
        { stale: true, staleAfterDays: 1 },
        { stale: true, staleAfterDays: 1, search: 'etl', statuses: ['expiring'] },
        { neverExpires: true },
        { neverExpires: true, stale: true, staleAfterDays: 1, connectionIds: ['c1', 'c3'] },
        { neverExpires: true, rowIds: someIds, includeImported: true },
      ];
      let checked = 0;
      for (const filter of filters) {
        const unfiltered = repo.exportRows({ ...filter, statuses: undefined }, NOW);
        const counts = { active: 0, expiring: 0, expired: 0, revoked: 0 };
        for (const r of unfiltered) counts[r.status] += 1;
        for (const column of INVENTORY_SORT_COLUMNS) {
          for (const direction of ['asc', 'desc'] as const) {
            const sort = { column, direction };
            const expected = ids(repo.exportRows({ ...filter, sort }, NOW));
            const paged: string[] = [];
            for (let offset = 0; offset <= expected.length; offset += 7) {
              const page = repo.query({ ...filter, sort, offset, limit: 7 }, NOW);
              expect(page.statusCounts, JSON.stringify(filter)).toEqual(counts);
              expect(page.total).toBe(expected.length);
              paged.push(...ids(page.rows));
            }
            expect(paged, `${JSON.stringify(filter)} by ${column} ${direction}`).toEqual(expected);
            checked += 1;
          }
        }
        expect(unfiltered.length, JSON.stringify(filter)).toBeGreaterThan(0);
      }
      expect(checked).toBe(filters.length * INVENTORY_SORT_COLUMNS.length * 2);
    });

    it('sorts by each column with never-expiring last and row id breaking ties', () => {
      seedBoundaries();
      const byExpiry = repo.exportRows({ sort: { column: 'expiresAt', direction: 'asc' } }, NOW);
      expect(ids(byExpiry)).toEqual(['A0', 'A1', 'A2', 'A3', 'A4', 'G1', 'A5', 'A6', 'G2', 'A7', 'ANEVER']);
      expect(ids(repo.exportRows({ sort: { column: 'expiresAt', direction: 'desc' } }, NOW))).toEqual(
        [...ids(byExpiry)].reverse(),
      );
      expect(ids(repo.exportRows({ sort: { column: 'status', direction: 'asc' } }, NOW))).toEqual([
        'A6',
        'G2',
        'ANEVER',
        'A3',
        'A4',
        'G1',
        'A5',
        'A0',
        'A1',
        'A2',
        'A7',
      ]);
      const byName = repo.exportRows({ sort: { column: 'name', direction: 'asc' } }, NOW).map((r) => r.name);
      expect(byName).toEqual([...byName].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
      expect(byName[0]).toBe('Acme forever');
      const byConnection = repo.exportRows({ sort: { column: 'connection', direction: 'desc' } }, NOW);
      expect(byConnection[0]!.connectionName).toBe('Globex RIM');
      const byUser = repo
        .exportRows({ sort: { column: 'user', direction: 'asc' } }, NOW)
        .map((r) => r.userName ?? r.userId);
      expect(byUser).toEqual([...byUser].sort());
      // Equal keys (same user) fall back to row id, so the order is the same every time.
      const tied = repo.exportRows({ sort: { column: 'secretStored', direction: 'asc' } }, NOW);
      expect(ids(tied)).toEqual(ids(repo.exportRows({ sort: { column: 'secretStored', direction: 'asc' } }, NOW)));
    });

    describe('search', () => {
      beforeEach(() => {
        const c1 = addConnection('c1', 'Acme QMS Prod', 'acme-qms.veevavault.com');
        const c2 = addConnection('c2', 'Globex RIM', 'globex-rim.veevavault.com');
        sync({ ...c1, userNames: { '1001': 'Jörg MÜLLER', '2002': 'Ana García' } }, [
          vaultToken('0PI00000000AAA1', { name: 'Salesforce sync' }),
          vaultToken('0PI00000000AAA2', { name: 'ETL 100% "quoted"_x', userId: '2002' }),
        ]);
        sync(c2, [vaultToken('0PI00000000BBB1', { name: 'Jenkins deploy', userId: '3003' })]);
      });

      const hits = (search: string, extra: Partial<InventoryQuery> = {}) =>
        ids(repo.query(q({ search, sort: { column: 'tokenId', direction: 'asc' }, ...extra }), NOW).rows);

      it('matches a substring of any searchable field, ignoring case', () => {
        expect(hits('SALESFORCE')).toEqual(['0PI00000000AAA1']); // name
        expect(hits('aaa2')).toEqual(['0PI00000000AAA2']); // token id
        expect(hits('müller')).toEqual(['0PI00000000AAA1']); // user name, Unicode case
        expect(hits('MÜLL')).toEqual(['0PI00000000AAA1']);
        expect(hits('3003')).toEqual(['0PI00000000BBB1']); // user id
        expect(hits('globex-rim.veeva')).toEqual(['0PI00000000BBB1']); // DNS
        expect(hits('qms prod')).toEqual(['0PI00000000AAA1', '0PI00000000AAA2']); // connection name
        expect(hits('veevavault.com')).toHaveLength(3);
        expect(hits('nothing like it')).toEqual([]);
      });

      it('treats quotes, % and _ literally, and short searches too', () => {
        expect(hits('100% "quoted"_x')).toEqual(['0PI00000000AAA2']);
        expect(hits('"')).toEqual(['0PI00000000AAA2']);
        expect(hits('%')).toEqual(['0PI00000000AAA2']);
        expect(hits('_')).toEqual(['0PI00000000AAA2']);
        expect(hits('ü')).toEqual(['0PI00000000AAA1']);
        expect(hits('je')).toEqual(['0PI00000000BBB1']);
        expect(hits('  jenkins  ')).toEqual(['0PI00000000BBB1']);
      });

      it('does not match across two fields', () => {
        // name "Salesforce sync" is followed by the token id: no "sync0pi".
        expect(hits('sync0pi')).toEqual([]);
        expect(hits('sync 0pi')).toEqual([]);
      });

      it('combines with the other filters, and counts ignore only the status filter', () => {
        const b1 = repo.getByTokenId('c2', '0PI00000000BBB1', NOW)!;
        repo.markRevoked([b1.rowId], at);
        expect(hits('veevavault', { connectionIds: ['c2'] })).toEqual(['0PI00000000BBB1']);
        const page = repo.query(q({ search: 'veevavault', statuses: ['revoked'] }), NOW);
        expect(ids(page.rows)).toEqual(['0PI00000000BBB1']);
        expect(page.statusCounts).toEqual({ active: 2, expiring: 0, expired: 0, revoked: 1 });
        expect(page.total).toBe(1);
      });

      it('follows renames made by a later sync', () => {
        const c1 = { id: 'c1', name: 'Acme QMS Prod', dns: 'acme-qms.veevavault.com', vaultId: 1001 };
        sync(c1, [
          vaultToken('0PI00000000AAA1', { name: 'Snowflake loader' }),
          vaultToken('0PI00000000AAA2', { name: 'ETL 100% "quoted"_x', userId: '2002' }),
        ]);
        expect(hits('salesforce')).toEqual([]);
        expect(hits('snowflake')).toEqual(['0PI00000000AAA1']);
      });
    });

    it('filters by connection, row ids, missing secret and expiry window', () => {
      seedBoundaries();
      expect(repo.query(q({ connectionIds: ['c2'] }), NOW).total).toBe(2);
      expect(repo.query(q({ connectionIds: ['c1', 'c2'] }), NOW).total).toBe(11);
      expect(repo.query(q({ connectionIds: ['nope'] }), NOW).total).toBe(0);
      const g1 = repo.getByTokenId('c2', 'G1', NOW)!;
      const a0 = repo.getByTokenId('c1', 'A0', NOW)!;
      expect(ids(repo.query(q({ rowIds: [g1.rowId, a0.rowId] }), NOW).rows).sort()).toEqual(['A0', 'G1']);
      repo.setSecretStored(g1.rowId, true, at);
      expect(ids(repo.query(q({ secretNotStored: true, connectionIds: ['c2'] }), NOW).rows)).toEqual(['G2']);
      // Not yet expired and within 7 days: A3 (now+1ms), A4 (1 day), G1 (5 days).
      expect(ids(repo.query(q({ expiresWithinDays: 7 }), NOW).rows)).toEqual(['A3', 'A4', 'G1']);
      const combined = repo.query(q({ expiresWithinDays: 7, secretNotStored: true, statuses: ['expiring'] }), NOW);
      expect(ids(combined.rows)).toEqual(['A3', 'A4']);
      expect(combined.statusCounts).toEqual({ active: 0, expiring: 2, expired: 0, revoked: 0 });
    });

    it('gives days left in the configured zone and the owner’s active count on every row', () => {
      const c = addConnection('c1', 'Acme QMS', 'acme-qms.veevavault.com');
      // 03:59:59 on June 2 in UTC is 23:59:59 on June 1 in New York; NOW is 08:00 on June 1 there.
      sync(c, [
        vaultToken('A', { expiryDate: '2026-06-02T03:59:59Z' }),
        vaultToken('B', { expiryDate: '2026-06-02T03:59:59Z' }),
      ]);
      const utc = repo.exportRows({}, NOW);
      expect(utc.map((r) => [r.daysLeft, r.userActiveCount])).toEqual([
        [1, 2],
        [1, 2],
      ]);
      const ny = new TokensRepo(db, { timeZone: 'America/New_York' });
      expect(ny.exportRows({}, NOW).map((r) => r.daysLeft)).toEqual([0, 0]);
    });
  });

  it('expiringWithin and expiredAt list active, writable tokens for reminders', () => {
    const c = addConnection('c1', 'Acme QMS', 'acme-qms.veevavault.com');
    sync(c, [
      vaultToken('SOON', { expiryDate: iso(2 * DAY) }),
      vaultToken('SOONER', { expiryDate: iso(DAY) }),
      vaultToken('LATER', { expiryDate: iso(20 * DAY) }),
      vaultToken('GONE', { expiryDate: iso(-DAY) }),
      vaultToken('LONGGONE', { expiryDate: iso(-9 * DAY) }),
      vaultToken('NEVER', { expiryDate: null }),
    ]);
    repo.importRows([importRow({ expiresAt: iso(DAY) })], at);
    const revokedSoon = repo.getByTokenId('c1', 'SOON', NOW)!;
    expect(ids(repo.expiringWithin(7, NOW))).toEqual(['SOONER', 'SOON']);
    repo.markRevoked([revokedSoon.rowId], at);
    expect(ids(repo.expiringWithin(7, NOW))).toEqual(['SOONER']);
    expect(ids(repo.expiringWithin(30, NOW))).toEqual(['SOONER', 'LATER']);
    expect(ids(repo.expiredAt(NOW))).toEqual(['GONE', 'LONGGONE']);
  });
});

// ---------------------------------------------------------------------------
// The in-memory inventory index (electron/tokens/inventory-index.ts) against references it must
// agree with: a brute-force filter in JavaScript over every row, and exportRows (the same filters
// in SQL). It must stay exact through every kind of write: TokensRepo's own (patched in), other
// SQL on the same connection, another connection, rollbacks (rebuilt).

/** Counts the index's full rebuilds and patches from here on. */
function spyOnUpdates(): { rebuilds: () => number; patches: () => number } {
  const index = InventoryIndex.prototype as unknown as Record<'rebuild' | 'patch', () => void>;
  const rebuild = vi.spyOn(index, 'rebuild');
  const patch = vi.spyOn(index, 'patch');
  return { rebuilds: () => rebuild.mock.calls.length, patches: () => patch.mock.calls.length };
}

const WORDS = [
  'ETL',
  'Salesforce',
  'Jörg',
  'ÉTÉ',
  'naïve',
  'Integration – SAP',
  '100% "quoted"',
  'a_b',
  'Σίσυφος',
  '😀 emoji',
  'x',
];

function addVault(n: number): SyncTarget {
  const name = `${pick(mulberry32(n), ['Acme', 'Globex', 'Müller AG', 'Initech'])} ${n}`;
  const target = addConnection(`c${n}`, name, `vault-${n}.veevavault.com`);
  // Client groups (issue 15): clients differing only in case, some without, environments or none.
  const r = mulberry32(n * 31);
  setGroup(target.id, pick(r, ['Acme', 'acme', 'Globex', null]), pick(r, ['PROD', 'DEV', 'sandbox', null]));
  return target;
}

function setGroup(connectionId: string, client: string | null, environment: string | null): void {
  db.prepare('UPDATE connections SET client = ?, environment = ? WHERE id = ?').run(client, environment, connectionId);
}

function listing(r: () => number, count: number, prefix: string): VaultTokenRow[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `0PI${prefix}${String(i).padStart(8, '0')}`,
    name: `${pick(r, WORDS)} ${pick(r, WORDS)} ${Math.floor(r() * 50)}`,
    userId: String(1000 + Math.floor(r() * 6)),
    status: 'active__v',
    // Expiries around NOW (some at the very instant), some never.
    expiryDate: r() < 0.1 ? null : r() < 0.05 ? at : iso(Math.floor((r() * 80 - 30) * DAY)),
    lastUsedDate: r() < 0.3 ? null : iso(-Math.floor(r() * 40 * DAY)),
    createdDate: iso(-Math.floor(r() * 400 * DAY)),
  }));
}

function syncListing(target: SyncTarget, rows: VaultTokenRow[], syncedAt = at) {
  const plan = planSync(repo.localStateForConnection(target.id), rows, {
    seesAllTokens: true,
    loginUserId: '1000',
    syncedAt,
  });
  return repo.applySync(target, plan, syncedAt);
}

const randomUserNames = (r: () => number) =>
  Object.fromEntries(Array.from({ length: 6 }, (_, u) => [String(1000 + u), `${pick(r, WORDS)} User ${u}`]));

function randomImportRow(r: () => number, n: number): ImportTokenRow {
  const revoked = r() < 0.2;
  return {
    connectionName: `Colleague ${pick(r, WORDS)}`,
    vaultId: 77,
    vaultDns: pick(r, ['colleague.veevavault.com', 'other.veevavault.com']),
    tokenId: `0PIIMP${String(n).padStart(9, '0')}`,
    name: `${pick(r, WORDS)} imported`,
    userId: String(5000 + Math.floor(r() * 3)),
    userName: r() < 0.5 ? null : 'Fox Mulder',
    lifecycle: revoked ? 'revoked' : 'active',
    expiresAt: r() < 0.1 ? null : iso(Math.floor((r() * 60 - 20) * DAY)),
    lastUsedAt: null,
    createdAt: null,
    revokedAt: revoked ? iso(-DAY) : null,
    lastSyncedAt: iso(-DAY),
  };
}

/** A few thousand rows over several connections, with imports, revocations and stored values. */
function seed(r: () => number, perConnection = 500, connectionCount = 6): SyncTarget[] {
  const targets = Array.from({ length: connectionCount }, (_, n) => addVault(n + 1));
  for (const t of targets)
    syncListing({ ...t, userNames: randomUserNames(r) }, listing(r, perConnection, t.id.toUpperCase()));
  const all = repo.exportRows({ includeImported: true }, NOW);
  repo.markRevoked(
    all.filter(() => r() < 0.15).map((x) => x.rowId),
    at,
  );
  for (const x of all) if (r() < 0.3) repo.setSecretStored(x.rowId, true, at);
  repo.importRows(
    Array.from({ length: 60 }, (_, n) => randomImportRow(r, n)),
    at,
  );
  return targets;
}

const rowIdsOf = (rows: TokenRow[]) => rows.map((x) => x.rowId);

/** Every row of a query, paged through the in-memory index. */
function pagedRowIds(query: Omit<InventoryQuery, 'offset' | 'limit'>, now = NOW, limit = 1000): number[] {
  const out: number[] = [];
  for (let offset = 0; ; offset += limit) {
    const page = repo.query({ ...query, offset, limit }, now);
    out.push(...rowIdsOf(page.rows));
    if (offset + limit >= page.total) return out;
  }
}

/**
 * The index's answer equals SQL's (exportRows) for this query: counts, total and order. The
 * counts are the rows' own status, or (`bySql`, for expiries that are not canonical timestamps,
 * where tokenStatus reads the date but SQL compares the text) SQL's status filters.
 */
function expectSameAsSql(query: Omit<InventoryQuery, 'offset' | 'limit'>, now = NOW, bySql = false): void {
  const expected = repo.exportRows(query, now);
  const counts: Record<TokenStatus, number> = { active: 0, expiring: 0, expired: 0, revoked: 0 };
  if (bySql) for (const s of TOKEN_STATUSES) counts[s] = repo.exportRows({ ...query, statuses: [s] }, now).length;
  else for (const x of repo.exportRows({ ...query, statuses: undefined }, now)) counts[x.status] += 1;
  const first = repo.query({ ...query, offset: 0, limit: 1 }, now);
  expect(first.statusCounts, JSON.stringify(query)).toEqual(counts);
  expect(first.total, JSON.stringify(query)).toBe(expected.length);
  expect(pagedRowIds(query, now), JSON.stringify(query)).toEqual(rowIdsOf(expected));
}

const SHAPES: Omit<InventoryQuery, 'offset' | 'limit'>[] = [
  {},
  { includeImported: true },
  { search: 'e' },
  { search: 'sa', statuses: ['active', 'expiring'] },
  { search: 'jörg' },
  { search: 'vault-3', includeImported: true },
  { statuses: ['expired'], secretNotStored: true },
  { connectionIds: ['c2', 'c5'], expiresWithinDays: 30 },
  // The nudges (shared/nudges.ts): the index's own comparison, held to the SQL of exportRows.
  { stale: true, staleAfterDays: 20 },
  { neverExpires: true, search: 'e' },
  { stale: true, staleAfterDays: 1, neverExpires: true, includeImported: true },
];

function expectEveryShapeSameAsSql(): void {
  for (const shape of SHAPES) {
    for (const column of INVENTORY_SORT_COLUMNS) {
      for (const direction of ['asc', 'desc'] as const) expectSameAsSql({ ...shape, sort: { column, direction } });
    }
  }
}

describe('inventory index: sort by client', () => {
  const byClient = { column: 'client', direction: 'asc' } as const;
  const groupOf = (row: TokenRow) => {
    const c = row.connectionId ? connections.get(row.connectionId) : undefined;
    return `${c?.client ?? '~none'}/${c?.environment ?? '~none'}`;
  };

  it('orders by client (any case, none last), then environment (DEV … PROD, none last), then Vault name', () => {
    for (const [id, name, client, env] of [
      ['c1', 'Zeta QMS', 'Globex', 'PROD'],
      ['c2', 'Alpha RIM', 'globex', 'DEV'],
      ['c3', 'Beta QMS', 'Acme', 'PROD'],
      ['c4', 'Able QMS', null, null],
      ['c5', 'Gamma QMS', 'Acme', null],
      ['c6', 'Delta QMS', 'Globex', 'PROD'],
    ] as const) {
      const t = addConnection(id, name, `${id}.veevavault.com`);
      setGroup(id, client, env);
      sync(t, [vaultToken(`${id.toUpperCase()}B`, { name: 'b' }), vaultToken(`${id.toUpperCase()}A`, { name: 'a' })]);
    }
    const page = repo.query(q({ sort: byClient }), NOW);
    expect(page.rows.map((r) => `${r.connectionName}:${r.name}`)).toEqual([
      'Beta QMS:a',
      'Beta QMS:b',
      'Gamma QMS:a',
      'Gamma QMS:b',
      'Alpha RIM:a', // globex DEV before Globex PROD: the client compares without case
      'Alpha RIM:b',
      'Delta QMS:a',
      'Delta QMS:b',
      'Zeta QMS:a',
      'Zeta QMS:b',
      'Able QMS:a',
      'Able QMS:b',
    ]);
    const desc = repo.query(q({ sort: { column: 'client', direction: 'desc' } }), NOW);
    expect(rowIdsOf(desc.rows)).toEqual(rowIdsOf(page.rows).reverse());
    expect(rowIdsOf(page.rows)).toEqual(rowIdsOf(repo.exportRows({ sort: byClient }, NOW)));
  });

  it('follows a change of client at once, though no token row changed', () => {
    const r = mulberry32(11);
    seed(r, 80, 6);
    expectSameAsSql({ sort: byClient, includeImported: true });
    const before = repo.query(q({ sort: byClient, limit: 1000 }), NOW).rows.map(groupOf);
    // Each group is one run of rows: what "group by client" means in a flat grid.
    const runs = before.filter((g, i) => i === 0 || g.toLowerCase() !== before[i - 1]!.toLowerCase());
    expect(new Set(runs.map((g) => g.toLowerCase())).size).toBe(runs.length);
    expect(runs.length).toBeGreaterThan(2);
    setGroup('c3', 'Aardvark', 'QA');
    expectSameAsSql({ sort: byClient, includeImported: true });
    expect(groupOf(repo.query(q({ sort: byClient, limit: 1 }), NOW).rows[0]!)).toBe('Aardvark/QA');
    // A token write after it (a patch of the Vault order) keeps the two in step.
    repo.markRevoked([repo.exportRows({}, NOW)[5]!.rowId], at);
    expectSameAsSql({ sort: byClient, includeImported: true });
    expectSameAsSql({ sort: { column: 'client', direction: 'desc' }, search: 'e' });
  });
});

describe('inventory index: search', () => {
  it('finds exactly what a brute-force substring filter finds, for 1-, 2- and 3+-character searches', () => {
    const r = mulberry32(7);
    seed(r, 450, 6);
    const all = repo.exportRows({ includeImported: true }, NOW);
    expect(all.length).toBeGreaterThan(2500);
    const texts = new Map(
      all.map((x) => [
        x.rowId,
        searchTextOf({
          name: x.name,
          token_id: x.tokenId,
          user_name: x.userName,
          user_id: x.userId,
          vault_dns: x.vaultDns,
          connection_name: x.connectionName,
        }),
      ]),
    );
    // Substrings of random rows' text (1 to 7 characters, any case), a few that match nothing, and odd characters.
    const searches = ['%', '_', '"', '–', 'σ', 'É', '😀', 'zzzzqq', ' ', 'ü', 'veevavault.com'];
    for (let i = 0; i < 40; i++) {
      const text = texts.get(pick(r, all).rowId)!;
      const start = Math.floor(r() * text.length);
      const piece = text.slice(start, start + 1 + Math.floor(r() * 7)).split('\n')[0]!;
      searches.push(r() < 0.5 ? piece.toUpperCase() : piece);
    }
    let checked = 0;
    for (const search of searches) {
      const wanted = normaliseSearch(search);
      if (!wanted) continue;
      const expected = all
        .filter((x) => texts.get(x.rowId)!.includes(wanted))
        .map((x) => x.rowId)
        .sort((a, b) => a - b);
      const found = pagedRowIds({ search, includeImported: true }).sort((a, b) => a - b);
      expect(found, JSON.stringify(search)).toEqual(expected);
      checked += 1;
    }
    expect(checked).toBeGreaterThan(40);
  });

  it('agrees with SQL on every shape, sort and direction', () => {
    seed(mulberry32(11), 80, 6);
    expectEveryShapeSameAsSql();
  });

  it('counts by status at any instant, also right at an expiry and after time moves on', () => {
    seed(mulberry32(13), 200, 3);
    // Build the cached statuses at NOW, then ask at instants that cross expiries both ways.
    expectSameAsSql({});
    for (const ms of [0, 1, DAY, 5 * DAY + 1234, 29 * DAY, -DAY, 0])
      expectSameAsSql({ statuses: ['expiring', 'expired'] }, new Date(NOW.getTime() + ms));
    expect(repo.query({ offset: 0, limit: 1 }, NOW, 0).statusCounts.expiring).toBe(0);
    expect(repo.query({ offset: 0, limit: 1 }, NOW, 60).statusCounts).toEqual(
      repo
        .exportRows({}, NOW, 60)
        .reduce(
          (c, x) => ({ ...c, [x.status]: c[x.status] + 1 }),
          Object.fromEntries(TOKEN_STATUSES.map((s) => [s, 0])) as Record<TokenStatus, number>,
        ),
    );
  });

  it('compares an expiry that is not a canonical timestamp as text, as SQL does', () => {
    const [c] = seed(mulberry32(17), 100, 2);
    const ids = repo.localStateForConnection(c!.id).map((x) => x.rowId);
    const odd = db.prepare('UPDATE tokens SET expires_at = ? WHERE id = ?');
    odd.run('2026-06-01', ids[0]); // a date alone: before NOW as text
    odd.run('2026-06-01T12:00:00Z', ids[1]); // no milliseconds: after NOW's text
    odd.run('2026-02-30T00:00:00.000Z', ids[2]); // not a real date
    odd.run('someday', ids[3]);
    const oddUse = db.prepare('UPDATE tokens SET last_used_at = ? WHERE id = ?');
    oddUse.run('2026-05-01', ids[4]); // a date alone: staleness compares it as text too
    oddUse.run('recently', ids[5]);
    oddUse.run('2026-02-30T00:00:00.000Z', ids[6]);
    for (const shape of [
      {},
      { expiresWithinDays: 400 },
      { statuses: ['expired' as const] },
      { stale: true, staleAfterDays: 10 },
      { neverExpires: true, stale: true, staleAfterDays: 1 },
    ])
      for (const column of ['expiresAt', 'status'] as const)
        expectSameAsSql({ ...shape, sort: { column, direction: 'asc' } }, NOW, true);
  });
});

describe('inventory index: freshness', () => {
  it('patches in every kind of TokensRepo write, and stays exact', () => {
    const r = mulberry32(23);
    const targets = seed(r, 50, 3);
    const [c1, c2, c3] = targets as [SyncTarget, SyncTarget, SyncTarget];
    // Build every sort order first, so that each write below must move rows inside them.
    expectEveryShapeSameAsSql();
    const steps: [string, () => void][] = [
      [
        'a new token',
        () =>
          void repo.insertGenerated({
            ...c1,
            connectionId: c1.id,
            connectionName: c1.name,
            vaultDns: c1.dns,
            tokenId: '0PIGENERATED001',
            name: 'Zzz new',
            userId: '1000',
            userName: null,
            expiresAt: iso(3 * DAY),
            at,
          }),
      ],
      [
        'a re-sync: renames, new rows, revocations',
        () => {
          const current = listing(mulberry32(23), 50, c2.id.toUpperCase()).slice(10);
          current[0]!.name = 'AAA renamed first';
          current[1]!.expiryDate = iso(2 * DAY);
          syncListing(c2, [...current, ...listing(r, 5, 'NEWROWS')], iso(1000));
        },
      ],
      [
        'revoked',
        () =>
          void repo.markRevoked(
            repo
              .localStateForConnection(c3.id)
              .slice(0, 4)
              .map((x) => x.rowId),
            at,
          ),
      ],
      ['a stored value', () => void repo.setSecretStored(repo.localStateForConnection(c1.id)[7]!.rowId, true, at)],
      ['user names', () => void repo.setUserNames(c1.id, { '1001': 'Aaron Renamed', '1002': 'Zed Renamed' }, at)],
      [
        'revoked rows cleared',
        () =>
          void repo.clearRevoked(
            repo
              .revokedRows(NOW)
              .slice(0, 3)
              .map((x) => x.rowId),
          ),
      ],
      ['a re-import', () => void repo.importRows([randomImportRow(mulberry32(5), 1), randomImportRow(r, 999)], at)],
      [
        'a connection renamed',
        () =>
          void syncListing(
            { ...c3, name: 'Renamed Vault', dns: 'renamed.veevavault.com' },
            listing(mulberry32(3), 20, 'RENAMED'),
          ),
      ],
      [
        // Every row of two Vaults moves in the connection order: more than a patch of the order is worth.
        'two connections renamed before the next read',
        () => {
          syncListing({ ...c1, name: 'AAA first now' }, listing(mulberry32(23), 50, c1.id.toUpperCase()));
          syncListing({ ...c2, name: 'ZZZ last now' }, listing(mulberry32(23), 50, c2.id.toUpperCase()));
        },
      ],
      ['every revoked row cleared', () => void repo.clearRevoked()],
      ['imports cleared', () => void repo.clearImported()],
    ];
    const updates = spyOnUpdates();
    for (const [what, step] of steps) {
      step();
      for (const shape of [SHAPES[0]!, SHAPES[3]!])
        for (const column of INVENTORY_SORT_COLUMNS)
          for (const direction of ['asc', 'desc'] as const)
            expect(() => expectSameAsSql({ ...shape, sort: { column, direction } }), what).not.toThrow();
    }
    // Each write was patched in: never a rebuild.
    expect(updates.patches()).toBe(steps.length);
    expect(updates.rebuilds()).toBe(0);
  });

  it('sees writes it did not make: other SQL on this connection, and another connection', () => {
    const [c1] = seed(mulberry32(29), 60, 2);
    expectEveryShapeSameAsSql();
    const updates = spyOnUpdates();
    // A cascade from a removed connection, and a plain UPDATE, both go around TokensRepo.
    connections.remove('c2');
    db.prepare(`UPDATE tokens SET name = 'AAAA raw', lifecycle = 'revoked' WHERE connection_id = ? AND id % 3 = 0`).run(
      c1!.id,
    );
    expectEveryShapeSameAsSql();
    // Another process (here: another connection) writes; this one's index must notice.
    const other = openDatabase(join(dir.path, 'test.sqlite'));
    try {
      const otherRepo = new TokensRepo(other, { timeZone: 'UTC' });
      otherRepo.importRows([randomImportRow(mulberry32(31), 1), randomImportRow(mulberry32(32), 2)], at);
      otherRepo.setSecretStored(repo.localStateForConnection(c1!.id)[0]!.rowId, true, at);
    } finally {
      other.close();
    }
    expectEveryShapeSameAsSql();
    expect(updates.rebuilds()).toBe(2);
    expect(updates.patches()).toBe(0);
  });

  it('a write rolled back with its caller leaves no trace in the index', () => {
    const [c1] = seed(mulberry32(37), 60, 2);
    expectEveryShapeSameAsSql();
    expect(() =>
      db.transaction(() => {
        syncListing(c1!, listing(mulberry32(1), 30, 'ROLLEDBACK'));
        repo.setSecretStored(repo.localStateForConnection(c1!.id)[0]!.rowId, true, at);
        // Read inside the transaction: the index follows it...
        expect(repo.query({ search: 'rolledback', offset: 0, limit: 1 }, NOW).total).toBe(30);
        throw new Error('caller fails');
      })(),
    ).toThrow('caller fails');
    // ...and after the rollback, back to what is stored.
    expect(repo.query({ search: 'rolledback', offset: 0, limit: 1 }, NOW).total).toBe(0);
    expectEveryShapeSameAsSql();
    // A later write patched in on top of the rebuilt copy.
    repo.markRevoked([repo.localStateForConnection(c1!.id)[3]!.rowId], at);
    expectEveryShapeSameAsSql();
  });
});
