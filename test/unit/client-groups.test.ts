/**
 * Client groups (issue 15, item 3) below the screens: migration 011's columns, the service keeping
 * a group when an update leaves it out, the inventory query's client / environment filters (index
 * and SQL export alike), the shared matching rules, and the CSV import in main (all or nothing,
 * no secrets, audit).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionCreate, ConnectionUpdate } from '../../shared/schemas';
import {
  compareByGroup,
  groupLabel,
  knownClients,
  matchesGroup,
  parseEnvironment,
} from '../../shared/connection-groups';
import { AppError } from '../../shared/errors';
import { ConnectionsRepo } from '../../electron/connections/connections-repo';
import { ConnectionsCsv } from '../../electron/connections/connections-csv';
import { AuditRepo } from '../../electron/store/audit-repo';
import { planSync } from '../../electron/tokens/reconcile';
import { TokensRepo } from '../../electron/tokens/tokens-repo';
import { testContext } from '../helpers/context';

let ctx: ReturnType<typeof testContext>;
afterEach(() => ctx?.cleanup());

const NOW = new Date('2026-06-01T12:00:00.000Z');
const base = { dns: 'x.veevavault.com', username: 'me@acme.com' };

async function seed() {
  ctx = testContext();
  const make = (name: string, client: string | null, environment: string | null, dns: string) =>
    ctx.connections.create(ConnectionCreate.parse({ ...base, name, dns, client, environment }));
  return {
    prod: await make('Acme PROD', 'Acme', 'PROD', 'acme.veevavault.com'),
    qa: await make('Acme QA', 'acme ', 'QA', 'acme-qa.veevavault.com'),
    globex: await make('Globex', 'Globex', 'DEV', 'globex.veevavault.com'),
    loose: await make('Loose', null, null, 'loose.veevavault.com'),
  };
}

describe('client groups: storage and service', () => {
  it('stores client (spaces collapsed) and environment, and an update that leaves them out keeps them', async () => {
    const { prod, qa } = await seed();
    expect([prod.client, prod.environment, qa.client]).toEqual(['Acme', 'PROD', 'acme']);
    const renamed = await ctx.connections.update(
      ConnectionUpdate.parse({ ...base, dns: prod.dns, id: prod.id, name: 'Acme Production' }),
    );
    expect([renamed.name, renamed.client, renamed.environment]).toEqual(['Acme Production', 'Acme', 'PROD']);
    const cleared = await ctx.connections.update(
      ConnectionUpdate.parse({
        ...base,
        dns: prod.dns,
        id: prod.id,
        name: 'Acme Production',
        client: '  ',
        environment: null,
      }),
    );
    expect([cleared.client, cleared.environment]).toEqual([null, null]);
    const audit = await ctx.service.listAudit({ limit: 1 });
    expect(audit[0]!.detail).toBe('changed client, environment');
  });

  it('refuses an unknown environment and an over-long client with clear messages; SQLite refuses one too', () => {
    ctx = testContext();
    const bad = ConnectionCreate.safeParse({ ...base, name: 'X', environment: 'staging', client: 'x'.repeat(81) });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.message)).toEqual([
      'Keep the client under 80 characters.',
      'Pick an environment: one of DEV, QA, UAT, PROD, sandbox, other.',
    ]);
    expect(() =>
      ctx.db
        .prepare(
          "INSERT INTO connections (id, name, dns, username, auth_method, environment, created_at, updated_at) VALUES ('z', 'Z', 'z', 'u', 'password', 'staging', 't', 't')",
        )
        .run(),
    ).toThrow(/CHECK constraint/);
  });
});

describe('client groups: inventory query', () => {
  it('filters by client (any case, or none) and environment, in the index and the export alike', async () => {
    const all = await seed();
    const repo = new TokensRepo(ctx.db, { timeZone: 'UTC' });
    for (const [i, c] of Object.values(all).entries()) {
      const target = { id: c.id, name: c.name, dns: c.dns, vaultId: 100 + i };
      const listing = [
        {
          id: `0PI00000000000${i}`,
          name: `${c.name} job`,
          userId: '1001',
          status: 'active__v',
          expiryDate: '2026-09-01T00:00:00.000Z',
          lastUsedDate: null,
          createdDate: '2026-01-01T00:00:00.000Z',
        },
      ];
      const plan = planSync(repo.localStateForConnection(c.id), listing, {
        seesAllTokens: true,
        loginUserId: '1001',
        syncedAt: NOW.toISOString(),
      });
      repo.applySync(target, plan, NOW.toISOString());
    }
    const names = (q: Parameters<TokensRepo['query']>[0]) => {
      const page = repo.query(q, NOW).rows.map((r) => r.connectionName);
      const exported = repo.exportRows(q, NOW).map((r) => r.connectionName);
      expect(exported).toEqual(page);
      return page.sort();
    };
    expect(names({ clients: ['ACME'], offset: 0, limit: 10 })).toEqual(['Acme PROD', 'Acme QA']);
    expect(names({ environments: ['PROD', 'DEV'], offset: 0, limit: 10 })).toEqual(['Acme PROD', 'Globex']);
    expect(names({ clients: ['acme'], environments: ['QA'], offset: 0, limit: 10 })).toEqual(['Acme QA']);
    expect(names({ clients: [''], offset: 0, limit: 10 })).toEqual(['Loose']);
    // A group and a Vault filter that share nothing match nothing (never "no filter").
    expect(names({ clients: ['Globex'], connectionIds: [all.prod.id], offset: 0, limit: 10 })).toEqual([]);
    expect(repo.query({ clients: ['Nobody'], offset: 0, limit: 10 }, NOW).total).toBe(0);
  });
});

describe('client groups: shared rules', () => {
  it('parses environments, lists clients once each, sorts and labels groups', () => {
    expect(['prod', 'Production', ' uat ', 'SANDBOX', 'other', 'live', ''].map(parseEnvironment)).toEqual([
      'PROD',
      'PROD',
      'UAT',
      'sandbox',
      'other',
      null,
      null,
    ]);
    const cs = [
      { name: 'b', client: 'acme', environment: 'PROD' as const },
      { name: 'a', client: 'Acme', environment: 'DEV' as const },
      { name: 'c', client: null, environment: null },
      { name: 'd', client: 'Beta', environment: null },
    ];
    expect(knownClients(cs)).toEqual(['acme', 'Beta']);
    expect([...cs].sort(compareByGroup).map((c) => c.name)).toEqual(['a', 'b', 'd', 'c']);
    expect(cs.map(groupLabel)).toEqual(['acme · PROD', 'Acme · DEV', 'No client', 'Beta']);
    expect(cs.filter((c) => matchesGroup(c, { clients: ['ACME'], environments: ['PROD'] })).map((c) => c.name)).toEqual(
      ['b'],
    );
  });
});

describe('connections CSV in main', () => {
  it('imports all or nothing unless told to skip bad rows, without secrets, and records it', async () => {
    await seed();
    const csv = new ConnectionsCsv({
      connections: new ConnectionsRepo(ctx.db),
      audit: new AuditRepo(ctx.db, 'tester'),
      clock: { now: () => NOW },
    });
    const text =
      'name,dns,username,client,environment\nNew A,a.veevavault.com,u,Acme,UAT\nAcme QA,q.veevavault.com,u,,\n';
    const refused = (() => {
      try {
        csv.import(text, { skipInvalid: false });
      } catch (e) {
        return e;
      }
    })();
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).message).toBe(
      '1 of 2 rows have errors, so nothing was imported. line 3: A connection named “Acme QA” already exists.',
    );
    expect(ctx.connections.list()).toHaveLength(4);
    const done = csv.import(text, { skipInvalid: true, fileName: 'more.csv' });
    expect(done.imported.map((i) => [i.name, i.line])).toEqual([['New A', 2]]);
    expect(done.skipped).toEqual([{ line: 3, errors: ['A connection named “Acme QA” already exists.'] }]);
    const added = ctx.connections.requireByName('New A');
    expect([added.client, added.environment, added.secretStored, added.authMethod]).toEqual([
      'Acme',
      'UAT',
      false,
      'password',
    ]);
    expect((await ctx.service.listAudit({ limit: 1 }))[0]).toMatchObject({
      action: 'connection.import',
      detail: '1 connection(s) from more.csv, 1 row(s) skipped',
    });
    expect(() => csv.import('name\nx\n', { skipInvalid: true })).toThrow(/no “dns”, “username” column/);
  });
});
