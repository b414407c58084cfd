/**
 * Crash safety, proven (issue 11): a real process is killed with SIGKILL at the worst moments,
 * started again on the same data directory, and nothing may be lost.
 *
 * The process is the built `vault-token-desk` command (or, for the import the CLI does not have,
 * a script driving the same service method), against the fake Vault over HTTPS in this process,
 * with the real OS keychain (a private GNOME Keyring under `npm test`; the two cases where the
 * keychain dies mid-command start a keyring of their own, test/helpers/crash-keyring.ts). Every kill waits for a
 * named event first: a fault rule being hit (the slow request has reached the fake and is held
 * there), a progress line, a line the child prints; "while it waits" means SIGSTOP until the
 * event, then SIGCONT. Nothing sleeps and hopes.
 *
 * Run alone:
 *   dbus-run-session -- bash test/with-keyring.sh npx vitest run -c test/vitest.config.mts test/integration/crash-safety.test.ts
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenJson } from '../../electron/cli/json';
import { DATABASE_FILE, databasePath } from '../../electron/paths';
import { KeyringSecretStore } from '../../electron/secrets/keyring-store';
import { accounts } from '../../electron/secrets/secret-store';
import { INVENTORY_EXPORT_FORMAT, INVENTORY_EXPORT_VERSION } from '../../shared/token-schemas';
import { startFakeVault, type FakeVault, type FakeVaultInfo, type RequestLogEntry } from '../fake-vault/index';
import { createTrustingFetch } from '../fake-vault/https-fetch';
import { describeRun, type CliResult, type CliRunner } from '../helpers/cli-runner';
import { buildPrivateCli, CrashCliRunner } from '../helpers/crash-cli';
import { inspectDatabase, lifecycles, secretsOnDisk, sha256File, type DatabaseReport } from '../helpers/crash-inspect';
import { privateKeyringUnavailable, startPrivateKeyring } from '../helpers/crash-keyring';
import { startCli, startScript, waitFor, type LiveProcess } from '../helpers/crash-process';
import { realKeychain } from '../helpers/keychain';
import { tempDir } from '../helpers/temp-dir';

const keychain = await realKeychain();
/** The keychain-dies-mid-run case needs a keyring of its own; in CI it must run, never skip. */
const noPrivateKeyring = process.env.CI ? null : privateKeyringUnavailable();

const DAY = 86_400_000;
/** Unusual ids, so that cleanup can never touch another suite's (or a real Vault's) keychain items. */
const VAULT = {
  syncA: 918_101,
  syncB: 918_102,
  syncC: 918_103,
  mint: 918_201,
  revoke: 918_301,
  damaged: 918_401,
  gone: 918_501,
  dies: 918_502,
  syncDies: 918_503,
} as const;
const ADMIN_ID = 72_001;
const ADMIN = 'crash.admin@example.com';
const PASSWORD = `Crash-Pw-${Math.random().toString(36).slice(2)}-Unmistakable!`;

type SyncJson = { connection: string; ok: boolean; total: number; added: number; revoked: number };

function expectOneErrorLine(r: CliResult, pattern: RegExp): void {
  expect(r.code, describeRun(r)).toBe(1);
  const lines = r.stderr.trimEnd().split('\n');
  expect(
    lines.filter((l) => l.startsWith('error:')),
    describeRun(r),
  ).toHaveLength(1);
  expect(r.stderr, describeRun(r)).toMatch(pattern);
}

function expectSound(report: DatabaseReport): void {
  expect(report.integrity).toEqual(['ok']);
  expect(report.foreignKeyViolations).toEqual([]);
  expect(report.duplicates).toEqual([]);
}

/** Deterministic bytes (xorshift32), so that a "garbage" file is the same on every run. */
function garbage(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

describe.skipIf(!keychain.available)('crash safety: SIGKILL at the worst moments, then start again', () => {
  const store = new KeyringSecretStore(); // the CLI's own service name
  const root = tempDir('vtd-crash-');
  let fake: FakeVault;
  const vaults = new Map<number, FakeVaultInfo>();
  /** Connections this suite created in the shared keychain, for cleanup. */
  const connectionIds: string[] = [];
  const live: LiveProcess[] = [];

  /** The suite's own build of the CLI (test/helpers/crash-cli.ts). */
  let bin: string;
  const cliEnv = () => ({ NODE_EXTRA_CA_CERTS: fake.caPath, TZ: 'UTC' });
  const cliFor = (name: string, env: Record<string, string | undefined> = {}): CliRunner =>
    new CrashCliRunner(join(root.path, name), bin, { ...cliEnv(), ...env });
  /** The CLI on `cli`'s data directory, not awaited: the process a test kills. */
  const startOn = (cli: CliRunner, args: string[], env: Record<string, string | undefined> = {}): LiveProcess =>
    track(startCli(cli.dataDir, args, { bin, env: { ...cliEnv(), ...env } }));
  const track = (p: LiveProcess): LiveProcess => {
    live.push(p);
    return p;
  };

  /** Adds a connection with PASSWORD remembered; `sharedKeychain` false when the CLI uses a private keyring. */
  async function addConnection(cli: CliRunner, name: string, vaultId: number, sharedKeychain = true): Promise<string> {
    const r = await cli.run(
      ['connection', 'add', name, '--dns', vaults.get(vaultId)!.dns, '--username', ADMIN, '--password-stdin'],
      { stdin: `${PASSWORD}\n` },
    );
    expect(r.code, describeRun(r)).toBe(0);
    expect(r.stdout).toMatch(/password remembered in the OS keychain/);
    const { doc } = await cli.json<{ id: string; name: string }[]>(['connection', 'list']);
    const id = doc.find((c) => c.name === name)!.id;
    if (sharedKeychain) connectionIds.push(id);
    return id;
  }

  async function list(cli: CliRunner): Promise<TokenJson[]> {
    const { result, doc } = await cli.json<TokenJson[]>(['token', 'list']);
    expect(result.code, describeRun(result)).toBe(0);
    return doc;
  }

  async function sync(cli: CliRunner): Promise<SyncJson[]> {
    const { result, doc } = await cli.json<SyncJson[]>(['token', 'sync']);
    expect(result.code, describeRun(result)).toBe(0);
    return doc;
  }

  function seed(vaultId: number, n: number, label: string): string[] {
    const now = Date.now();
    return Array.from(
      { length: n },
      (_, i) =>
        fake.state.createToken({
          vault: vaultId,
          user: ADMIN_ID,
          name: `${label} ${i + 1}`,
          expiresAt: new Date(now + 60 * DAY),
          createdAt: new Date(now - 10 * DAY),
        }).id,
    );
  }

  /** What the inventory of `vaultId`'s connection must say once synced: Vault's state for every token it ever listed. */
  function vaultState(vaultId: number, known: Iterable<string>): Map<string, string> {
    const out = new Map<string, string>();
    for (const id of known) out.set(id, fake.state.getToken(id)!.status === 'active' ? 'active' : 'revoked');
    for (const t of fake.state.listTokens({ vault: vaultId, status: 'active' })) out.set(t.id, 'active');
    return out;
  }

  const requestsTo = (vaultId: number, method: string, path: RegExp): RequestLogEntry[] =>
    fake.requestLog.filter((e) => e.vaultId === vaultId && e.method === method && path.test(e.path));

  beforeAll(async () => {
    // A keychain that answers but refuses writes (a locked login collection) would fail every
    // scenario below for one reason: say it once, here.
    const probe = `crash-probe/${process.pid}`;
    try {
      await keychain.store.set(probe, 'probe');
      await keychain.store.delete(probe);
    } catch (error) {
      // Seen under test/with-keyring.sh when its two gnome-keyring-daemon starts race and the locked one wins.
      throw new Error(
        `The test keychain is reachable but refuses writes (a locked collection?): ${(error as Error).message}`,
      );
    }
    bin = await buildPrivateCli(join(root.path, 'cli-build'));
    fake = await startFakeVault({
      vaults: Object.entries(VAULT).map(([name, id], i) => ({
        id,
        name: `Crash ${name}`,
        createdAt: new Date(Date.UTC(2016, 0, 1 + i)),
      })),
      users: [
        {
          id: ADMIN_ID,
          username: ADMIN,
          password: PASSWORD,
          securityProfile: 'vault_owner__v',
          vaults: Object.values(VAULT),
          timezone: 'UTC',
        },
      ],
    });
    for (const v of fake.vaults) vaults.set(v.id, v);
  });

  afterAll(async () => {
    for (const p of live) p.stopIfRunning();
    try {
      const ours = (account: string) =>
        connectionIds.some((id) => account.startsWith(accounts.connectionPrefix(id))) ||
        (account.startsWith('signin/') && account.endsWith(`/${ADMIN}`)) ||
        Object.values(VAULT).some((v) => account.startsWith(`token/${v}/`));
      for (const account of await store.list()) if (ours(account)) await store.delete(account);
    } finally {
      await fake?.close();
      root.cleanup();
    }
  });

  // ---- 1 -------------------------------------------------------------------------------------

  it('killed during a sync of three connections: the inventory stays consistent and the next sync completes', async () => {
    const cli = cliFor('sync');
    const ids = {
      a: await addConnection(cli, 'Sync A', VAULT.syncA),
      b: await addConnection(cli, 'Sync B', VAULT.syncB),
      c: await addConnection(cli, 'Sync C', VAULT.syncC),
    };
    const seeded = {
      a: seed(VAULT.syncA, 40, 'A'),
      // Three pages of 1,000: the kill comes while page two is on its way.
      b: seed(VAULT.syncB, 2_400, 'B'),
      c: seed(VAULT.syncC, 15, 'C'),
    };
    expect((await sync(cli)).map((o) => [o.connection, o.ok, o.added])).toEqual([
      ['Sync A', true, 40],
      ['Sync B', true, 2_400],
      ['Sync C', true, 15],
    ]);
    const before = inspectDatabase(cli.dataDir);

    // Vault moves on: new tokens everywhere, some deleted.
    seed(VAULT.syncA, 5, 'A new');
    seed(VAULT.syncB, 7, 'B new');
    seed(VAULT.syncC, 2, 'C new');
    for (const id of [...seeded.a.slice(0, 3), ...seeded.b.slice(0, 4), ...seeded.c.slice(0, 1)])
      fake.state.deleteToken(id);

    const slowPage = fake.faults.inject(
      { vaultId: VAULT.syncB, method: 'POST', path: /\/query\/[^/]+$/ },
      { kind: 'latency', ms: 30_000 },
    );
    const slowQuery = fake.faults.inject(
      { vaultId: VAULT.syncC, method: 'POST', path: '/query' },
      { kind: 'latency', ms: 30_000 },
    );
    const run = startOn(cli, ['token', 'sync']);
    // A's lane has finished and committed (its progress line comes after the write); B is paging; C is listing.
    await waitFor(
      'A synced, B on page two, C listing',
      () => /^sync: Sync A: \d+ token/m.test(run.stderr) && slowPage.hits > 0 && slowQuery.hits > 0,
      { process: run },
    );
    await run.sigkill();
    fake.faults.clear();
    expect(run.stderr).not.toMatch(/^sync: Sync [BC]:/m);

    // The next start: the inventory opens and reads, sound and without duplicates.
    const afterCrash = await list(cli);
    expect(afterCrash.length).toBeGreaterThanOrEqual(before.tokens.length);
    const crashed = inspectDatabase(cli.dataDir);
    expectSound(crashed);
    // A's sync was committed in full; B's and C's left no trace (one transaction per connection).
    expect(lifecycles(crashed, ids.a)).toEqual(vaultState(VAULT.syncA, lifecycles(before, ids.a).keys()));
    expect(lifecycles(crashed, ids.b)).toEqual(lifecycles(before, ids.b));
    expect(lifecycles(crashed, ids.c)).toEqual(lifecycles(before, ids.c));

    // The next sync completes and the inventory is Vault's, every row still there.
    const outcomes = await sync(cli);
    expect(outcomes.map((o) => [o.connection, o.ok, o.added, o.revoked])).toEqual([
      ['Sync A', true, 0, 0],
      ['Sync B', true, 7, 4],
      ['Sync C', true, 2, 1],
    ]);
    const synced = inspectDatabase(cli.dataDir);
    expectSound(synced);
    for (const [key, vaultId] of [
      ['a', VAULT.syncA],
      ['b', VAULT.syncB],
      ['c', VAULT.syncC],
    ] as const)
      expect(lifecycles(synced, ids[key])).toEqual(vaultState(vaultId, lifecycles(before, ids[key]).keys()));
    for (const row of before.tokens)
      expect(synced.tokens.some((t) => t.connectionId === row.connectionId && t.tokenId === row.tokenId)).toBe(true);
    expect(synced.tokens).toHaveLength(40 + 5 + 2_400 + 7 + 15 + 2);
    // And once more: nothing left to do.
    expect((await sync(cli)).every((o) => o.ok && o.added === 0 && o.revoked === 0)).toBe(true);
  });

  // ---- 2 -------------------------------------------------------------------------------------

  it('killed after Vault minted a token, before the database write: the value is in the keychain and the next sync lists it as stored', async () => {
    const cli = cliFor('mint');
    await addConnection(cli, 'Mint', VAULT.mint);
    expect((await sync(cli))[0]).toMatchObject({ ok: true, total: 0 });

    // generate: POST (Vault mints) → keychain write → GET read-back (held here) → database insert.
    const readBack = fake.faults.inject(
      { vaultId: VAULT.mint, method: 'GET', path: /\/vobjects\/api_access_token__sys\/[^/]+$/ },
      { kind: 'latency', ms: 30_000 },
    );
    const run = startOn(cli, ['token', 'generate', '--connection', 'Mint', '--me', '--name', 'Minted before a crash']);
    await waitFor('the read-back of the new token', () => readBack.hits > 0, { process: run });
    await run.sigkill();
    fake.faults.clear();
    expect(run.stdout).toBe(''); // the value was never printed: the keychain is its only copy

    const [get] = requestsTo(VAULT.mint, 'GET', /\/vobjects\/api_access_token__sys\/[^/]+$/);
    const tokenId = get!.path.split('/').pop()!;
    expect(fake.state.getToken(tokenId)).toMatchObject({ status: 'active', userId: ADMIN_ID });
    const value = await store.get(accounts.token(VAULT.mint, tokenId));
    expect(value).toMatch(/^veeva-vault-/);
    // It is the real value: Vault accepts it.
    const who = await createTrustingFetch(fake.caPem)(`${vaults.get(VAULT.mint)!.origin}/api/v26.2/objects/users/me`, {
      headers: { Authorization: `Bearer ${value}`, Accept: 'application/json' },
    });
    expect(((await who.json()) as { responseStatus: string }).responseStatus).toBe('SUCCESS');
    expect(who.headers.get('x-vaultapi-userid')).toBe(String(ADMIN_ID));

    // The next start: the row was never written, and the inventory is sound.
    expect((await list(cli)).map((t) => t.tokenId)).not.toContain(tokenId);
    expectSound(inspectDatabase(cli.dataDir));

    // The next sync lists it, and knows its value is stored.
    expect((await sync(cli))[0]).toMatchObject({ ok: true, added: 1 });
    const row = (await list(cli)).find((t) => t.tokenId === tokenId);
    expect(row).toMatchObject({ name: 'Minted before a crash', status: 'active', secretStored: true });
    const reveal = await cli.run(['token', 'reveal', '--connection', 'Mint', tokenId]);
    expect(reveal.code, describeRun(reveal)).toBe(0);
    expect(reveal.stdout).toBe(`${value}\n`);
    expect(secretsOnDisk(cli.dataDir, [value!, PASSWORD])).toEqual([]);
  });

  // ---- 3 -------------------------------------------------------------------------------------

  it('killed inside a large import: all or nothing, and the import runs again in full', async () => {
    const dataDir = join(root.path, 'import');
    const cli = cliFor('import');
    const record = (i: number, name: string) => ({
      connection: 'Colleague laptop',
      vaultDns: 'colleague.veevavault.com',
      vaultId: 555,
      tokenId: `IMP${String(i).padStart(6, '0')}`,
      name,
      userId: '61',
      userName: 'colleague@example.com',
      status: 'active',
      expiresAt: '2030-01-01T00:00:00.000Z',
      lastUsedAt: null,
      createdAt: '2025-01-01T00:00:00.000Z',
      secretStored: false,
      source: 'sync',
      revokedAt: null,
      lastSyncedAt: '2025-06-01T00:00:00.000Z',
    });
    const file = (name: string, rows: ReturnType<typeof record>[]): string => {
      const path = join(root.path, name);
      writeFileSync(
        path,
        JSON.stringify({
          format: INVENTORY_EXPORT_FORMAT,
          version: INVENTORY_EXPORT_VERSION,
          exportedAt: '2025-06-01T00:00:00.000Z',
          rows,
        }),
      );
      return path;
    };
    const imported = (report: DatabaseReport): string[] =>
      report.tokens.filter((t) => t.source === 'import').map((t) => t.name);
    const importOnce = (path: string, holdAfter?: number): LiveProcess =>
      track(startScript('crash-import-child.ts', [dataDir, path, ...(holdAfter ? [String(holdAfter)] : [])]));

    const earlier = file(
      'earlier.json',
      Array.from({ length: 25 }, (_, i) => record(i, `Earlier ${i}`)),
    );
    const first = importOnce(earlier);
    expect((await first.exited).code, first.describe()).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ imported: 25, replaced: 0 });

    // 8,000 rows: the first 25 rename the earlier ones, the rest are new.
    const ROWS = 8_000;
    const large = file(
      'large.json',
      Array.from({ length: ROWS }, (_, i) => record(i, i < 25 ? `Renamed ${i}` : `Large ${i} ${'x'.repeat(60)}`)),
    );
    expect(statSync(large).size).toBeGreaterThan(3_000_000);
    const killed = importOnce(large, 5_000);
    await waitFor('the import to hold inside its transaction', () => /^holding 5000$/m.test(killed.stdout), {
      process: killed,
    });
    // Part of the open transaction is already on disk: recovery, not luck, must drop it.
    expect(statSync(`${databasePath(dataDir)}-wal`).size).toBeGreaterThan(1_000_000);
    await killed.sigkill();

    // The next start opens the inventory (the CLI lists no imported rows: they are the app's review
    // list), and the database holds it as it was before the import: none of it, renames included.
    expect(await list(cli)).toEqual([]);
    const report = inspectDatabase(dataDir);
    expectSound(report);
    expect(imported(report)).toEqual(Array.from({ length: 25 }, (_, i) => `Earlier ${i}`));

    const again = importOnce(large);
    expect((await again.exited).code, again.describe()).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({ imported: ROWS - 25, replaced: 25 });
    const done = inspectDatabase(dataDir);
    expectSound(done);
    const names = imported(done);
    expect(names).toHaveLength(ROWS);
    expect(names.slice(0, 25)).toEqual(Array.from({ length: 25 }, (_, i) => `Renamed ${i}`));
  });

  it('killed during a revoke batch: Vault’s half-done work is reconciled by the next sync', async () => {
    const cli = cliFor('revoke');
    await addConnection(cli, 'Revoke', VAULT.revoke);
    // 600 tokens: two Delete Object Records batches (500 + 100, docs/vault-api.md §1.5).
    const ids = seed(VAULT.revoke, 600, 'Batch');
    expect((await sync(cli))[0]).toMatchObject({ ok: true, added: 600 });

    // The first batch is held at Vault; the process dies while waiting for the answer. Vault
    // still carries out a request whose caller went away; the second batch is never sent.
    const slowDelete = fake.faults.inject(
      { vaultId: VAULT.revoke, method: 'DELETE', path: '/vobjects/api_access_token__sys' },
      { kind: 'latency', ms: 3_000 },
      { times: 1 },
    );
    const run = startOn(cli, ['token', 'revoke', '--connection', 'Revoke', ...ids]);
    await waitFor('the first revoke batch to reach Vault', () => slowDelete.hits > 0, { process: run });
    await run.sigkill();
    expect(run.stdout).toBe('');
    const deletes = requestsTo(VAULT.revoke, 'DELETE', /\/vobjects\/api_access_token__sys$/);
    expect(deletes).toHaveLength(1);
    await waitFor('Vault to finish the batch of the killed process', () => deletes[0]!.responseStatus);
    expect(deletes[0]!.responseStatus).toBe('SUCCESS');
    const inactive = ids.filter((id) => fake.state.getToken(id)!.status !== 'active');
    expect(inactive).toEqual(ids.slice(0, 500));

    // The next start: sound, and still all active here (the answer never arrived).
    const afterCrash = await list(cli);
    expect(afterCrash.filter((t) => t.status === 'active')).toHaveLength(600);
    expectSound(inspectDatabase(cli.dataDir));

    // The next sync reconciles exactly what Vault did.
    expect((await sync(cli))[0]).toMatchObject({ ok: true, added: 0, revoked: 500 });
    const synced = await list(cli);
    expect(new Set(synced.filter((t) => t.status === 'revoked').map((t) => t.tokenId))).toEqual(new Set(inactive));
    expect(new Set(synced.filter((t) => t.status === 'active').map((t) => t.tokenId))).toEqual(new Set(ids.slice(500)));

    // Revoking the rest finishes the job: every token revoked here and in Vault, no duplicates.
    const rest = await cli.run(['token', 'revoke', '--connection', 'Revoke', ...ids.slice(500)]);
    expect(rest.code, describeRun(rest)).toBe(0);
    expect((await list(cli)).every((t) => t.status === 'revoked')).toBe(true);
    expect(fake.state.listTokens({ vault: VAULT.revoke, status: 'active' })).toEqual([]);
    const report = inspectDatabase(cli.dataDir);
    expectSound(report);
    expect(report.tokens).toHaveLength(600);
  });

  // ---- 4 -------------------------------------------------------------------------------------

  describe('a damaged database file', () => {
    let cli: CliRunner;
    let file: string;
    let good: Buffer;

    beforeAll(async () => {
      cli = cliFor('damaged');
      await addConnection(cli, 'Damaged', VAULT.damaged);
      seed(VAULT.damaged, 30, 'Kept');
      expect((await sync(cli))[0]).toMatchObject({ ok: true, added: 30 });
      file = databasePath(cli.dataDir);
      good = readFileSync(file);
      expect(good.length).toBeGreaterThan(8 * 4096);
    });

    const COMMANDS = [
      ['token', 'list'],
      ['connection', 'list'],
      ['expiring'],
      ['token', 'sync'],
      ['connection', 'add', 'Another', '--dns', 'another.veevavault.com', '--username', 'someone'],
    ];

    it.each([
      ['truncated to half its size', (b: Buffer) => b.subarray(0, Math.floor(b.length / 2))],
      ['truncated to its first page', (b: Buffer) => b.subarray(0, 4096)],
      ['truncated inside its header', (b: Buffer) => b.subarray(0, 60)],
      ['overwritten with garbage', (b: Buffer) => garbage(b.length, 11)],
      ['overwritten with zeros', (b: Buffer) => Buffer.alloc(b.length)],
      [
        'garbage after an intact header',
        (b: Buffer) => Buffer.concat([b.subarray(0, 100), garbage(b.length - 100, 7)]),
      ],
    ])(
      '%s: every command refuses with one error line and the file stays byte for byte as it was',
      async (_label, damage) => {
        writeFileSync(file, damage(good));
        const hash = sha256File(file);
        try {
          for (const args of COMMANDS) {
            const r = await cli.run(args);
            expectOneErrorLine(r, /^error: The data file .* cannot be opened: .*It has been left untouched\./);
            expect(r.stderr.trimEnd().split('\n'), describeRun(r)).toHaveLength(1);
            expect(r.stdout, describeRun(r)).toBe('');
            expect(sha256File(file), `${args.join(' ')} changed the file`).toBe(hash);
            expect(readdirSync(cli.dataDir)).toEqual([DATABASE_FILE]);
          }
        } finally {
          // "Move it aside (or restore a backup)": with the good file back, nothing was lost.
          writeFileSync(file, good);
        }
        expect((await list(cli)).filter((t) => t.name.startsWith('Kept'))).toHaveLength(30);
      },
    );

    /** The file with the page of the `tokens` table overwritten: the header and every other page intact. */
    const damageTokensPage = (): void => {
      const db = new Database(file, { readonly: true });
      const { rootpage } = db.prepare(`SELECT rootpage FROM sqlite_master WHERE name = 'tokens'`).get() as {
        rootpage: number;
      };
      const pageSize = db.pragma('page_size', { simple: true }) as number;
      db.close();
      const damaged = Buffer.from(good);
      garbage(pageSize, 5).copy(damaged, (rootpage - 1) * pageSize);
      writeFileSync(file, damaged);
    };

    it('a damaged page inside an intact file: reads of it fail with one error line, and nothing writes', async () => {
      damageTokensPage();
      const hash = sha256File(file);
      try {
        // `expiring` reads every token too: the inventory's queries are answered from an in-memory copy
        // of all rows (issue 14, electron/tokens/inventory-index.ts), no longer from an index alone.
        for (const args of [['token', 'list'], ['token', 'export'], ['expiring']]) {
          const r = await cli.run(args);
          expectOneErrorLine(r, /malformed|damaged/);
          expect(r.stderr.trimEnd().split('\n'), describeRun(r)).toHaveLength(1);
          expect(sha256File(file), `${args.join(' ')} changed the file`).toBe(hash);
        }
        // What does not touch the damaged page still answers, and still does not write.
        for (const args of [['connection', 'list']]) {
          const r = await cli.run(args);
          expect(r.code, describeRun(r)).toBe(0);
          expect(sha256File(file), `${args.join(' ')} changed the file`).toBe(hash);
        }
      } finally {
        writeFileSync(file, good);
      }
    });

    // KNOWN DEFECT (issue 11 report): SQLite reports the damage only when a statement reads the page, so a
    // sync signs in, records the connection's health and sync error, and so writes into the damaged file;
    // it says only "Sync failed unexpectedly". Fix in the store layer (electron/store/database.ts). When
    // fixed, this fails: turn it into a plain `it`.
    it.fails('KNOWN DEFECT: a sync on a file with a damaged page leaves the file untouched', async () => {
      damageTokensPage();
      const hash = sha256File(file);
      try {
        const r = await cli.run(['token', 'sync']);
        expect(r.code, describeRun(r)).toBe(1);
        expect(sha256File(file), 'token sync changed the damaged file').toBe(hash);
      } finally {
        writeFileSync(file, good);
      }
    });
  });

  // ---- 5 -------------------------------------------------------------------------------------

  it('the keychain gone for the second command: clear errors, nothing sent to Vault, no secret on disk', async () => {
    const cli = cliFor('keyless');
    await addConnection(cli, 'Keyless', VAULT.gone);
    const gone = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/vtd-crash-bus' };
    const otherPassword = `Other-Pw-${Math.random().toString(36).slice(2)}-Unmistakable!`;
    const requestsBefore = fake.requestLog.filter((e) => e.vaultId === VAULT.gone).length;

    const generate = await cli.run(['token', 'generate', '--connection', 'Keyless', '--me', '--name', 'Never minted'], {
      env: gone,
    });
    expectOneErrorLine(generate, /No OS keychain is available/);
    const syncRun = await cli.run(['token', 'sync'], { env: gone });
    expectOneErrorLine(syncRun, /No OS keychain is available/);
    const add = await cli.run(
      [
        'connection',
        'add',
        'Keyless too',
        '--dns',
        vaults.get(VAULT.gone)!.dns,
        '--username',
        ADMIN,
        '--password-stdin',
      ],
      { env: gone, stdin: `${otherPassword}\n` },
    );
    expectOneErrorLine(add, /No OS keychain is available.*Nothing was written to disk in its place/);

    // Vault never heard a thing (no sign-in without the password), and nothing was minted.
    expect(fake.requestLog.filter((e) => e.vaultId === VAULT.gone)).toHaveLength(requestsBefore);
    expect(fake.state.listTokens({ vault: VAULT.gone })).toEqual([]);
    // The refused connection was not added half-way, and no secret is anywhere in the data dir or the output.
    const { doc } = await cli.json<{ name: string }[]>(['connection', 'list']);
    expect(doc.map((c) => c.name)).toEqual(['Keyless']);
    expect(secretsOnDisk(cli.dataDir, [PASSWORD, otherPassword])).toEqual([]);
    for (const r of cli.runs)
      for (const secret of [PASSWORD, otherPassword]) expect(`${r.stdout}${r.stderr}`.includes(secret)).toBe(false);
    expectSound(inspectDatabase(cli.dataDir));
  });

  /**
   * Runs `args` with a keychain of its own (a private GNOME Keyring holding the connection's password)
   * and kills that keychain while the process waits for Vault to answer the request `at` matches:
   * the process is stopped there, the keyring killed, Vault's answer awaited, then the process goes on.
   */
  async function keychainDiesDuring(
    name: string,
    vaultId: number,
    at: { method: string; path: RegExp },
    args: string[],
    check: (cli: CliRunner, run: LiveProcess) => Promise<void>,
    env: Record<string, string | undefined> = {},
  ): Promise<void> {
    const keyring = await startPrivateKeyring();
    try {
      const cli = cliFor(name, { DBUS_SESSION_BUS_ADDRESS: keyring.address });
      await addConnection(cli, name, vaultId, false);
      const held = fake.faults.inject({ vaultId, ...at }, { kind: 'latency', ms: 1_000 }, { times: 1 });
      const run = startOn(cli, args, { DBUS_SESSION_BUS_ADDRESS: keyring.address, ...env });
      await waitFor(`${at.method} ${at.path} to reach Vault`, () => held.hits > 0, { process: run });
      await run.whileStopped(async () => {
        await keyring.killDaemon();
        const [request] = requestsTo(vaultId, at.method, at.path);
        await waitFor(`Vault to answer ${at.method} ${at.path}`, () => request!.responseStatus);
      });
      await run.exited;
      await check(cli, run);
    } finally {
      await keyring.stop();
    }
  }

  it.skipIf(noPrivateKeyring !== null)(
    'the keychain dies while Vault mints: the value is printed once with a plain warning and written nowhere',
    () =>
      keychainDiesDuring(
        'Dies',
        VAULT.dies,
        { method: 'POST', path: /\/objects\/users\/me\/api_access_token__sys$/ },
        ['token', 'generate', '--connection', 'Dies', '--me', '--name', 'Keyless mint'],
        async (cli, run) => {
          expect((await run.exited).code, run.describe()).toBe(0);
          // Vault minted it; the keychain could not keep it; the only copy is what was printed.
          const minted = fake.state.listTokens({ vault: VAULT.dies, status: 'active' });
          expect(minted).toHaveLength(1);
          const value = run.stdout.trim();
          expect(value).toMatch(/^veeva-vault-[0-9A-F]+$/);
          expect(run.stdout).toBe(`${value}\n`);
          expect(run.stderr).toMatch(
            /^warning: No OS keychain is available .* Save the value printed now: Vault never shows it again\.$/m,
          );
          expect(run.stderr).toContain(`(${minted[0]!.id})`);
          expect(run.stderr).not.toContain(value);

          const rows = await list(cli);
          expect(rows).toEqual([expect.objectContaining({ tokenId: minted[0]!.id, secretStored: false })]);
          const reveal = await cli.run(['token', 'reveal', '--connection', 'Dies', minted[0]!.id]);
          expectOneErrorLine(reveal, /No value is stored/);
          expect(secretsOnDisk(cli.dataDir, [value, PASSWORD])).toEqual([]);
          expectSound(inspectDatabase(cli.dataDir));
        },
      ),
  );

  it.skipIf(noPrivateKeyring !== null)(
    'the keychain dies during a sync: the sync completes, every token is listed, none claims a stored value',
    async () => {
      const ids = seed(VAULT.syncDies, 12, 'Listed');
      await keychainDiesDuring(
        'Sync dies',
        VAULT.syncDies,
        { method: 'POST', path: /\/query$/ },
        ['token', 'sync', '--json'],
        async (cli, run) => {
          expect((await run.exited).code, run.describe()).toBe(0);
          expect(JSON.parse(run.stdout)).toEqual([expect.objectContaining({ ok: true, total: 12, added: 12 })]);
          // It did ask the keychain which of the new tokens it holds, was refused, and carried on.
          expect(run.stderr).toContain('could not list the keychain to find values of newly synced tokens');
          expect(run.stderr).not.toContain(PASSWORD);

          const rows = await list(cli);
          expect(new Set(rows.map((t) => t.tokenId))).toEqual(new Set(ids));
          expect(rows.every((t) => t.status === 'active' && !t.secretStored)).toBe(true);
          expect(secretsOnDisk(cli.dataDir, [PASSWORD])).toEqual([]);
          expectSound(inspectDatabase(cli.dataDir));
        },
        { VAULT_TOKEN_DESK_LOG: 'debug' },
      );
    },
  );
});
