import { describe, expect, it } from 'vitest';
import { planSync, type LocalTokenState, type SyncContext } from '../../electron/tokens/reconcile';
import type { VaultTokenRow } from '../../electron/vault/types';

const ME = '1001';
const OTHER = '2002';
const syncedAt = '2026-06-01T12:00:00.000Z';
const admin: SyncContext = { seesAllTokens: true, loginUserId: ME, syncedAt };
const selfOnly: SyncContext = { seesAllTokens: false, loginUserId: ME, syncedAt };

let nextRow = 1;
function local(over: Partial<LocalTokenState> = {}): LocalTokenState {
  return {
    rowId: nextRow++,
    tokenId: `0PI00000000L${String(nextRow).padStart(3, '0')}`,
    name: 'ETL nightly',
    userId: ME,
    lifecycle: 'active',
    expiresAt: '2026-12-31T23:59:59.000Z',
    lastUsedAt: '2026-05-30T08:00:00.000Z',
    createdAt: '2026-01-01T00:00:00.000Z',
    source: 'sync',
    readOnly: false,
    ...over,
  };
}

/** What Vault lists for a local row, unchanged (Vault's own date format). */
function remoteOf(row: LocalTokenState, over: Partial<VaultTokenRow> = {}): VaultTokenRow {
  return {
    id: row.tokenId,
    name: row.name,
    userId: row.userId,
    status: row.lifecycle === 'active' ? 'active__v' : 'inactive__v',
    expiryDate: row.expiresAt?.replace('.000Z', 'Z') ?? null,
    lastUsedDate: row.lastUsedAt,
    createdDate: row.createdAt,
    ...over,
  };
}

function remote(over: Partial<VaultTokenRow> & { id: string }): VaultTokenRow {
  return {
    name: 'Made in the Vault UI',
    userId: ME,
    status: 'active__v',
    expiryDate: '2026-09-01T00:00:00Z',
    lastUsedDate: null,
    createdDate: '2026-05-01T10:00:00Z',
    ...over,
  };
}

describe('planSync', () => {
  it('a listed token that is exactly as stored is unchanged, whatever the date format Vault used', () => {
    const row = local();
    const plan = planSync([row], [remoteOf(row)], admin);
    expect(plan).toEqual({
      inserts: [],
      updates: [],
      revokes: [],
      unchanged: [row.rowId],
      untouched: [],
      warnings: [],
    });
  });

  it('a listing without created_date__v (never selected: not documented for the query target, §2.1) keeps our creation time', () => {
    const row = local();
    const { createdDate: _dropped, ...listed } = remoteOf(row);
    const plan = planSync([row], [listed], admin);
    expect(plan.updates).toEqual([]);
    expect(plan.unchanged).toEqual([row.rowId]);
    const fresh = planSync([], [{ ...listed, id: '0PI0000000FRESH' }], admin);
    expect(fresh.inserts[0]!.createdAt).toBeNull();
  });

  describe('tokens created elsewhere appear', () => {
    it('as new rows with canonical timestamps (source and secret are set when applied)', () => {
      const plan = planSync(
        [],
        [
          remote({
            id: '0PI000000000NEW',
            userId: OTHER,
            expiryDate: '2026-09-01T00:00:00Z',
            lastUsedDate: '2026-05-02',
            createdDate: '2026-05-01T10:00:00Z',
          }),
        ],
        admin,
      );
      expect(plan.inserts).toEqual([
        {
          tokenId: '0PI000000000NEW',
          name: 'Made in the Vault UI',
          userId: OTHER,
          lifecycle: 'active',
          expiresAt: '2026-09-01T00:00:00.000Z',
          lastUsedAt: '2026-05-02T00:00:00.000Z',
          createdAt: '2026-05-01T10:00:00.000Z',
        },
      ]);
      expect(plan.updates).toEqual([]);
      expect(plan.revokes).toEqual([]);
    });

    it('a never-expiring token comes in with no expiry', () => {
      const plan = planSync([], [remote({ id: '0PI0000000NEVER', expiryDate: null })], admin);
      expect(plan.inserts[0]!.expiresAt).toBeNull();
    });

    it('a listing that lacks the owner is the login user’s own when the login sees only its own tokens', () => {
      expect(planSync([], [remote({ id: 'A', userId: null })], selfOnly).inserts[0]!.userId).toBe(ME);
      expect(planSync([], [remote({ id: 'A', userId: null })], admin).inserts[0]!.userId).toBe('');
      expect(planSync([], [remote({ id: 'A', name: null })], admin).inserts[0]!.name).toBe('');
    });

    it('an inactive token unknown here is not added (clearing revoked rows must stick)', () => {
      const plan = planSync(
        [],
        [remote({ id: '0PI000000000OLD', status: 'inactive__v' }), remote({ id: '0PI00000000NULL', status: null })],
        admin,
      );
      expect(plan.inserts).toEqual([]);
    });

    it('a token listed twice across pages is added once, with the later listing', () => {
      const plan = planSync([], [remote({ id: 'DUP', name: 'first' }), remote({ id: 'DUP', name: 'second' })], admin);
      expect(plan.inserts.map((i) => i.name)).toEqual(['second']);
    });
  });

  describe('tokens gone from Vault or inactive there become revoked, never deleted', () => {
    it('missing from the listing → revoked (reason missing)', () => {
      const row = local();
      const plan = planSync([row], [], admin);
      expect(plan.revokes).toEqual([{ rowId: row.rowId, tokenId: row.tokenId, reason: 'missing' }]);
      expect(plan.inserts).toEqual([]);
      expect(plan.unchanged).toEqual([]);
    });

    it('listed as inactive → revoked (reason inactive)', () => {
      const row = local();
      const plan = planSync([row], [remoteOf(row, { status: 'inactive__v' })], admin);
      expect(plan.revokes).toEqual([{ rowId: row.rowId, tokenId: row.tokenId, reason: 'inactive' }]);
      expect(plan.unchanged).toEqual([]);
    });

    it('inactive with a newer last-used date → revoked and updated', () => {
      const row = local();
      const plan = planSync(
        [row],
        [remoteOf(row, { status: 'inactive__v', lastUsedDate: '2026-05-31T09:00:00Z' })],
        admin,
      );
      expect(plan.revokes.map((r) => r.rowId)).toEqual([row.rowId]);
      expect(plan.updates).toEqual([
        { rowId: row.rowId, tokenId: row.tokenId, changes: { lastUsedAt: '2026-05-31T09:00:00.000Z' } },
      ]);
    });

    it('the plan has no way to delete a row: every local row ends up in exactly one outcome list', () => {
      const rows = [
        local(),
        local({ userId: OTHER }),
        local({ lifecycle: 'revoked' }),
        local({ source: 'import', readOnly: true }),
        local({ name: 'old' }),
      ];
      const listing = [remoteOf(rows[0]!), remoteOf(rows[4]!, { name: 'new' })];
      const plan = planSync(rows, listing, selfOnly);
      expect(Object.keys(plan).sort()).toEqual(['inserts', 'revokes', 'unchanged', 'untouched', 'updates', 'warnings']);
      const outcomes = [
        ...plan.unchanged,
        ...plan.untouched,
        ...plan.revokes.map((r) => r.rowId),
        ...plan.updates.map((u) => u.rowId),
      ];
      expect(outcomes.sort((a, b) => a - b)).toEqual(rows.map((r) => r.rowId).sort((a, b) => a - b));
    });
  });

  describe('metadata follows Vault', () => {
    it('name, expiry, last-used and created dates update; unchanged fields are not in the change set', () => {
      const row = local();
      const plan = planSync(
        [row],
        [
          remoteOf(row, {
            name: 'ETL nightly (renamed)',
            expiryDate: '2027-03-31T23:59:59Z',
            lastUsedDate: '2026-05-31T22:00:00.000Z',
          }),
        ],
        admin,
      );
      expect(plan.updates).toEqual([
        {
          rowId: row.rowId,
          tokenId: row.tokenId,
          changes: {
            name: 'ETL nightly (renamed)',
            expiresAt: '2027-03-31T23:59:59.000Z',
            lastUsedAt: '2026-05-31T22:00:00.000Z',
          },
        },
      ]);
      expect(plan.unchanged).toEqual([]);
      expect(plan.revokes).toEqual([]);
    });

    it('an expiry removed in Vault (now never expires) becomes null', () => {
      const row = local();
      const plan = planSync([row], [remoteOf(row, { expiryDate: null })], admin);
      expect(plan.updates[0]!.changes).toEqual({ expiresAt: null });
    });

    it('a date Vault sends that cannot be read keeps the local value and says so', () => {
      const row = local();
      const plan = planSync([row], [remoteOf(row, { expiryDate: '31/12/2026' })], admin);
      expect(plan.updates).toEqual([]);
      expect(plan.unchanged).toEqual([row.rowId]);
      expect(plan.warnings).toHaveLength(1);
      expect(plan.warnings[0]).toContain(row.tokenId);
      expect(plan.warnings[0]).toContain('expiresAt');
    });

    it('a name Vault does not send keeps the local one', () => {
      const row = local();
      expect(planSync([row], [remoteOf(row, { name: null })], admin).unchanged).toEqual([row.rowId]);
    });
  });

  describe('a login that sees only its own tokens', () => {
    it('leaves other users’ tokens missing from the listing untouched', () => {
      const mine = local({ userId: ME });
      const theirs = local({ userId: OTHER });
      const plan = planSync([mine, theirs], [], selfOnly);
      expect(plan.revokes).toEqual([{ rowId: mine.rowId, tokenId: mine.tokenId, reason: 'missing' }]);
      expect(plan.untouched).toEqual([theirs.rowId]);
    });

    it('still follows other users’ tokens that do appear in the listing', () => {
      const theirs = local({ userId: OTHER });
      const plan = planSync([theirs], [remoteOf(theirs, { status: 'inactive__v' })], selfOnly);
      expect(plan.revokes).toEqual([{ rowId: theirs.rowId, tokenId: theirs.tokenId, reason: 'inactive' }]);
    });

    it('an admin listing covers everyone: other users’ missing tokens are revoked', () => {
      const theirs = local({ userId: OTHER });
      expect(planSync([theirs], [], admin).revokes.map((r) => r.rowId)).toEqual([theirs.rowId]);
    });
  });

  describe('a row revoked here stays revoked', () => {
    it('even when Vault still lists the token as active', () => {
      const row = local({ lifecycle: 'revoked' });
      const plan = planSync([row], [remoteOf(row, { status: 'active__v' })], admin);
      expect(plan.inserts).toEqual([]);
      expect(plan.revokes).toEqual([]);
      expect(plan.unchanged).toEqual([row.rowId]);
    });

    it('its metadata may still update (a later last-used date on a revoked token is worth seeing)', () => {
      const row = local({ lifecycle: 'revoked' });
      const plan = planSync(
        [row],
        [remoteOf(row, { status: 'active__v', lastUsedDate: '2026-06-01T11:00:00Z' })],
        admin,
      );
      expect(plan.updates.map((u) => u.changes)).toEqual([{ lastUsedAt: '2026-06-01T11:00:00.000Z' }]);
      expect(plan.revokes).toEqual([]);
    });

    it('and is left alone when Vault no longer lists it', () => {
      const row = local({ lifecycle: 'revoked' });
      const plan = planSync([row], [], admin);
      expect(plan.revokes).toEqual([]);
      expect(plan.untouched).toEqual([row.rowId]);
    });
  });

  describe('imported rows are never touched', () => {
    it('not revoked when missing, not updated when listed', () => {
      const imported = local({ source: 'import', readOnly: true });
      expect(planSync([imported], [], admin)).toMatchObject({
        revokes: [],
        updates: [],
        unchanged: [],
        untouched: [imported.rowId],
      });
      const listed = planSync([imported], [remoteOf(imported, { name: 'changed', status: 'inactive__v' })], admin);
      expect(listed).toMatchObject({ revokes: [], updates: [], unchanged: [], untouched: [imported.rowId] });
    });

    it('and do not stop the same token from being added for this connection', () => {
      const imported = local({ source: 'import', readOnly: true });
      const plan = planSync([imported], [remoteOf(imported)], admin);
      expect(plan.inserts.map((i) => i.tokenId)).toEqual([imported.tokenId]);
    });
  });

  describe('rows of another Vault under the same connection (e.g. a sandbox token)', () => {
    it('are left untouched when the listed Vault is known', () => {
      const sandbox = local({ vaultId: 99, source: 'generated' });
      const own = local({ vaultId: 42 });
      const unknown = local({ vaultId: null });
      const plan = planSync([sandbox, own, unknown], [remoteOf(sandbox, { status: 'inactive__v' })], {
        ...admin,
        vaultId: 42,
      });
      expect(plan.untouched).toEqual([sandbox.rowId]);
      expect(plan.revokes.map((r) => r.rowId)).toEqual([own.rowId, unknown.rowId]);
      expect(plan.inserts).toEqual([]);
    });

    it('a listed token with the same id as another Vault’s row is not added over it', () => {
      const sandbox = local({ vaultId: 99 });
      const plan = planSync([sandbox], [remoteOf(sandbox)], { ...admin, vaultId: 42 });
      expect(plan.inserts).toEqual([]);
      expect(plan.untouched).toEqual([sandbox.rowId]);
      expect(plan.warnings[0]).toContain(sandbox.tokenId);
    });

    it('are treated like any row when the listed Vault is not given', () => {
      const sandbox = local({ vaultId: 99 });
      expect(planSync([sandbox], [], admin).revokes.map((r) => r.rowId)).toEqual([sandbox.rowId]);
    });
  });

  it('generated rows follow the same rules as synced ones', () => {
    const generated = local({ source: 'generated' });
    expect(planSync([generated], [], admin).revokes.map((r) => r.rowId)).toEqual([generated.rowId]);
  });
});

describe('expired is not revoked', () => {
  it('a token Vault reports inactive after its expiry stays active locally, so it reads as expired', () => {
    const row = local({ expiresAt: '2026-05-31T23:59:59.000Z' });
    const plan = planSync([row], [remoteOf(row, { status: 'inactive__v' })], admin);
    expect(plan.revokes).toEqual([]);
  });

  it('a token Vault reports inactive before its expiry was revoked', () => {
    const row = local({ expiresAt: '2026-12-31T23:59:59.000Z' });
    const plan = planSync([row], [remoteOf(row, { status: 'inactive__v' })], admin);
    expect(plan.revokes).toEqual([{ rowId: row.rowId, tokenId: row.tokenId, reason: 'inactive' }]);
  });

  it('a token that drops out of the listing after its expiry is left as expired, not revoked', () => {
    const row = local({ expiresAt: '2026-05-01T00:00:00.000Z' });
    const plan = planSync([row], [], admin);
    expect(plan.revokes).toEqual([]);
    expect(plan.untouched).toEqual([row.rowId]);
  });

  it('adds inactive tokens first seen within 30 days of their expiry, and not older ones', () => {
    const plan = planSync(
      [],
      [
        remote({ id: '0PI0000000RECNT', status: 'inactive__v', expiryDate: '2026-05-20T00:00:00Z' }),
        remote({ id: '0PI00000000OLD1', status: 'inactive__v', expiryDate: '2026-03-01T00:00:00Z' }),
        remote({ id: '0PI0000000DELTD', status: 'inactive__v', expiryDate: '2026-09-01T00:00:00Z' }),
      ],
      admin,
    );
    expect(plan.inserts.map((i) => [i.tokenId, i.lifecycle])).toEqual([['0PI0000000RECNT', 'active']]);
  });
});

describe('a sync racing a generate', () => {
  it('does not revoke a row recorded after the listing was requested', () => {
    const listedAt = '2026-06-01T11:59:00.000Z';
    const minted = local({ source: 'generated', firstSeenAt: '2026-06-01T11:59:30.000Z' });
    const older = local({ firstSeenAt: '2026-05-01T00:00:00.000Z' });
    const plan = planSync([minted, older], [], { ...admin, listedAt });
    expect(plan.revokes).toEqual([{ rowId: older.rowId, tokenId: older.tokenId, reason: 'missing' }]);
    expect(plan.untouched).toContain(minted.rowId);
  });
});
