/**
 * End to end: the built `vault-token-desk` command (node electron/cli/bin.cjs)
 * as a child process, against the fake Vault over HTTPS, with the REAL OS
 * keychain (a private GNOME Keyring under `npm test`), a temp data directory,
 * and stdin piped — the way a script or cron job runs it.
 *
 * The CLI trusts the fake's CA through NODE_EXTRA_CA_CERTS, the supported way;
 * TLS checks are never turned off.
 *
 * Run alone:
 *   dbus-run-session -- bash test/with-keyring.sh npx vitest run -c test/vitest.config.mts test/integration/cli.test.ts
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyringSecretStore } from '../../electron/secrets/keyring-store';
import { databasePath } from '../../electron/paths';
import { CONNECTION_JSON_FIELDS, TOKEN_JSON_FIELDS } from '../../electron/cli/json';
import { startFakeVault, type FakeVault, type FakeVaultInfo } from '../fake-vault/index';
import { realKeychain } from '../helpers/keychain';
import { tempDir } from '../helpers/temp-dir';
import { buildCli, CliRunner, describeRun, type CliResult } from '../helpers/cli-runner';
import { stripAnsi } from '../../shared/control-chars';
import { CAPABILITY_IDS } from '../../shared/capabilities';

const keychain = await realKeychain();

const DAY = 86_400_000;
/** Unusual ids so that cleanup can never touch a real Vault's keychain items. */
const VAULT = { alpha: 917_001, beta: 917_002 } as const;
const USER = { admin: 71_001, jane: 71_002, veevaId: 71_003 } as const;
const ADMIN = 'cli.admin@example.com';
/** Alpha and Beta: one user on one Vault domain (127.0.0.1), so one saved sign-in (issue 15). */
const SHARED_SIGN_IN = `signin/password/127.0.0.1/${ADMIN}`;
const PASSWORD = `Cli-Pw-${Math.random().toString(36).slice(2)}-Unmistakable!`;

interface TokenJson {
  connection: string;
  vaultDns: string;
  tokenId: string;
  name: string;
  userId: string;
  status: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  secretStored: boolean;
}
type ConnectionJson = Record<(typeof CONNECTION_JSON_FIELDS)[number], unknown>;

const utcDate = (msFromNow: number): string => new Date(Date.now() + msFromNow).toISOString().slice(0, 10);
const utcSecond = (msFromNow: number): string => `${new Date(Date.now() + msFromNow).toISOString().slice(0, 19)}Z`;

function expectUsageError(r: CliResult, pattern: RegExp): void {
  expect(r.code, describeRun(r)).toBe(2);
  expect(r.stdout, describeRun(r)).toBe('');
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines[0], describeRun(r)).toMatch(/^error: /);
  expect(lines[0], describeRun(r)).toMatch(pattern);
  expect(r.stderr, describeRun(r)).toMatch(/usage: vault-token-desk/);
}

function expectOneErrorLine(r: CliResult, pattern: RegExp): void {
  expect(r.code, describeRun(r)).toBe(1);
  const errors = r.stderr.split('\n').filter((l) => l.startsWith('error:'));
  expect(errors, describeRun(r)).toHaveLength(1);
  expect(errors[0], describeRun(r)).toMatch(pattern);
}

describe.skipIf(!keychain.available)('vault-token-desk CLI (built bin, fake Vault, real keychain)', () => {
  const store = new KeyringSecretStore(); // the CLI's own service name: "Vault Token Desk"
  const dir = tempDir('vtd-cli-');
  const dataDir = join(dir.path, 'data');
  let fake: FakeVault;
  let alpha: FakeVaultInfo;
  let beta: FakeVaultInfo;
  let cli: CliRunner;
  const ids = { alphaConnection: '', betaConnection: '' };
  /** Every token value this suite saw, and the runs allowed to print each one. */
  const values = new Map<string, string>();
  const valueRuns = new Set<CliResult>();
  const seen = { tokenIds: new Set<string>() };
  const seeded = { nightly: '', warehouse: '', legacy: '', jane: '', deleted: '', betaReport: '' };

  const list = async (args: string[] = []): Promise<TokenJson[]> => {
    const { result, doc } = await cli.json<TokenJson[]>(['token', 'list', ...args]);
    expect(result.code, describeRun(result)).toBe(0);
    for (const row of doc) seen.tokenIds.add(row.tokenId);
    return doc;
  };
  const byName = (rows: TokenJson[], name: string): TokenJson => {
    const row = rows.find((r) => r.name === name);
    if (!row) throw new Error(`no token named ${name} in ${JSON.stringify(rows.map((r) => r.name))}`);
    return row;
  };

  beforeAll(async () => {
    await buildCli();
    fake = await startFakeVault({
      vaults: [
        { id: VAULT.alpha, name: 'CLI Alpha', createdAt: new Date('2016-01-01T00:00:00Z') },
        { id: VAULT.beta, name: 'CLI Beta', createdAt: new Date('2017-01-01T00:00:00Z') },
      ],
      users: [
        {
          id: USER.admin,
          username: ADMIN,
          password: PASSWORD,
          securityProfile: 'vault_owner__v',
          vaults: [VAULT.alpha, VAULT.beta],
          timezone: 'America/New_York',
        },
        {
          id: USER.jane,
          username: 'cli.jane@example.com',
          password: PASSWORD,
          securityProfile: 'document_user__v',
          vaults: [VAULT.alpha],
          timezone: 'Europe/Berlin',
        },
        { id: USER.veevaId, username: 'cli.vid@veevaid.com', password: PASSWORD, veevaId: true, vaults: [VAULT.alpha] },
      ],
    });
    alpha = fake.vaults.find((v) => v.id === VAULT.alpha)!;
    beta = fake.vaults.find((v) => v.id === VAULT.beta)!;
    const now = Date.now();
    const mk = (
      vault: number,
      user: number,
      name: string,
      expiresInDays: number | null,
      extra: { lastUsedDaysAgo?: number } = {},
    ): string =>
      fake.state.createToken({
        vault,
        user,
        name,
        expiresAt: expiresInDays === null ? null : new Date(now + expiresInDays * DAY),
        createdAt: new Date(now - 30 * DAY),
        ...(extra.lastUsedDaysAgo !== undefined ? { lastUsedAt: new Date(now - extra.lastUsedDaysAgo * DAY) } : {}),
      }).id;
    seeded.nightly = mk(VAULT.alpha, USER.admin, 'Nightly ETL', 5, { lastUsedDaysAgo: 1 });
    seeded.warehouse = mk(VAULT.alpha, USER.admin, 'Warehouse', 60);
    seeded.legacy = mk(VAULT.alpha, USER.admin, 'Legacy (never expires)', null);
    seeded.jane = mk(VAULT.alpha, USER.jane, 'Jane scripts', 40);
    seeded.deleted = mk(VAULT.alpha, USER.admin, 'Old integration', 30);
    fake.state.deleteToken(seeded.deleted);
    seeded.betaReport = mk(VAULT.beta, USER.admin, 'Beta report', 20);
    cli = new CliRunner(dataDir, { NODE_EXTRA_CA_CERTS: fake.caPath, TZ: 'UTC' });
  });

  afterAll(async () => {
    // Only the items this suite created: its connections and the tokens of its two fake Vaults.
    const connectionIds = [ids.alphaConnection, ids.betaConnection].filter(Boolean);
    try {
      for (const account of await store.list()) {
        const ours =
          connectionIds.some((id) => account.startsWith(`connection/${id}/`)) ||
          (account.startsWith('signin/') && account.endsWith(`/${ADMIN}`)) ||
          [...seen.tokenIds].some(
            (t) => account === `token/${VAULT.alpha}/${t}` || account === `token/${VAULT.beta}/${t}`,
          );
        if (ours) await store.delete(account);
      }
    } finally {
      await fake?.close();
      dir.cleanup();
    }
  });

  it('adds a connection with --password-stdin and keeps the password in the OS keychain only', async () => {
    const r = await cli.run(
      ['connection', 'add', 'Alpha', '--dns', alpha.dns, '--username', ADMIN, '--password-stdin'],
      { stdin: `${PASSWORD}\n` },
    );
    expect(r.code, describeRun(r)).toBe(0);
    expect(r.stdout).toMatch(/Added connection “Alpha”.*password remembered in the OS keychain/);
    const { doc } = await cli.json<ConnectionJson[]>(['connection', 'list']);
    ids.alphaConnection = String(doc.find((c) => c.name === 'Alpha')!.id);
    // Exactly one trailing newline was stripped, nothing else.
    expect(await store.get(SHARED_SIGN_IN)).toBe(PASSWORD);
  });

  it('adds a connection without remembering a secret when stdin is not a terminal', async () => {
    const { result, doc } = await cli.json<ConnectionJson>([
      'connection',
      'add',
      'Beta',
      '--dns',
      `https://${beta.dns}/ui/`,
      '--username',
      ADMIN,
    ]);
    expect(result.code, describeRun(result)).toBe(0);
    expect(doc).toMatchObject({
      name: 'Beta',
      dns: beta.dns,
      username: ADMIN,
      authMethod: 'password',
      secretStored: false,
      apiVersion: 'v26.2',
    });
    ids.betaConnection = String(doc.id);
    expect((await store.list()).filter((a) => a.startsWith(`connection/${ids.betaConnection}/`))).toEqual([]);
  });

  it('refuses a duplicate connection name with exit 1 and one error line', async () => {
    const r = await cli.run(['connection', 'add', 'alpha', '--dns', alpha.dns, '--username', ADMIN]);
    expectOneErrorLine(r, /already exists/);
  });

  it('lists connections as an aligned table and as JSON with stable field names', async () => {
    const human = await cli.run(['connection', 'list']);
    expect(human.code, describeRun(human)).toBe(0);
    expect(human.stderr).toBe('');
    const lines = human.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+DNS\s+USER\s+LOGIN\s+SECRET\s+VAULT\s+LAST SYNC$/);
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/)[0])).toEqual(['Alpha', 'Beta']);
    // Aligned: the DNS column starts at the same offset on every line.
    const dnsAt = lines.map((l, i) => (i === 0 ? l.indexOf('DNS') : l.indexOf(i === 1 ? alpha.dns : beta.dns)));
    expect(new Set(dnsAt).size).toBe(1);
    expect(human.stdout).toBe(stripAnsi(human.stdout)); // no colour on a pipe

    const { doc } = await cli.json<ConnectionJson[]>(['connection', 'list']);
    expect(doc).toHaveLength(2);
    for (const c of doc) expect(Object.keys(c)).toEqual([...CONNECTION_JSON_FIELDS]);
    expect(doc.find((c) => c.name === 'Alpha')).toMatchObject({ dns: alpha.dns, secretStored: true });
  });

  it('tests a connection with the remembered password', async () => {
    const r = await cli.run(['connection', 'test', 'Alpha']);
    expect(r.code, describeRun(r)).toBe(0);
    expect(r.stdout).toMatch(/“Alpha”: CLI Alpha \(Vault 917001\) at 127\.0\.0\.1:\d+, as /);
    expect(r.stdout).toContain(ADMIN);
    expect(r.stdout).toContain('Nothing was changed.');
    expect(r.stdout).toMatch(/^CHECK\s+RESULT\s+DETAIL/m);
    expect(r.stdout).toMatch(/^Signed in\s+yes\s+As /m);
    expect(r.stdout).toMatch(/^List its own tokens\s+yes\s+\d+ active tokens? of the 25/m);
    expect(r.stdout).toMatch(/^Burst limit remaining\s+yes\s+[\d,]+ of [\d,]+ calls left/m);
    type Check = { id: string; label: string; status: string; detail: string };
    const { doc } = await cli.json<{
      ok: boolean;
      vault: { id: number };
      user: { id: string };
      apiVersions: string[];
      checks: Check[];
    }>(['connection', 'test', 'Alpha']);
    expect(Object.keys(doc)).toEqual([
      'connection',
      'ok',
      'user',
      'vault',
      'apiVersion',
      'apiVersions',
      'burstLimitRemaining',
      'seesAllTokens',
      'checks',
    ]);
    expect(doc.ok).toBe(true);
    expect(doc.vault.id).toBe(VAULT.alpha);
    expect(String(doc.user.id)).toBe(String(USER.admin));
    expect(doc.apiVersions).toContain('v26.2');
    expect(doc.checks.map((c) => c.id)).toEqual([...CAPABILITY_IDS]);
    for (const c of doc.checks) expect(Object.keys(c)).toEqual(['id', 'label', 'status', 'detail']);
    expect(doc.checks.find((c) => c.id === 'own-tokens')?.status).toBe('yes');
  });

  it('fails with one line pointing at --password-stdin when no password is remembered and stdin is not a terminal', async () => {
    const r = await cli.run(['connection', 'test', 'Beta']);
    expectOneErrorLine(
      r,
      /no password is remembered for “Beta”.*`vault-token-desk connection add Beta --dns 127\.0\.0\.1:\d+ --username cli\.admin@example\.com --password-stdin`/,
    );
    const sync = await cli.run(['token', 'sync', '--connection', 'Beta']);
    expectOneErrorLine(sync, /--password-stdin/);
  });

  it('syncs the inventory from Vault and lists it as JSON with exactly the frozen field names', async () => {
    const r = await cli.run(['token', 'sync', '--connection', 'Alpha']);
    expect(r.code, describeRun(r)).toBe(0);
    expect(r.stdout).toMatch(/^CONNECTION\s+RESULT\s+TOKENS/);
    // Five tokens in Vault; the one deleted there before we ever saw it is not added.
    expect(r.stdout).toMatch(/Alpha\s+ok\s+5\s+4\s+0\s+0/);
    // Not a terminal: one progress line per connection on stderr.
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^sync: Alpha: 5 token\(s\): 4 new, 0 revoked$/),
    ]);

    const rows = await list();
    expect(rows.map((t) => t.name).sort()).toEqual([
      'Jane scripts',
      'Legacy (never expires)',
      'Nightly ETL',
      'Warehouse',
    ]);
    for (const row of rows) expect(Object.keys(row)).toEqual([...TOKEN_JSON_FIELDS]);
    const nightly = byName(rows, 'Nightly ETL');
    expect(nightly).toMatchObject({
      connection: 'Alpha',
      vaultDns: alpha.dns,
      tokenId: seeded.nightly,
      userId: String(USER.admin),
      status: 'expiring',
      secretStored: false,
    });
    expect(nightly.expiresAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/);
    expect(nightly.lastUsedAt).toMatch(/Z$/);
    expect(byName(rows, 'Legacy (never expires)')).toMatchObject({ status: 'active', expiresAt: null });
    expect(byName(rows, 'Jane scripts')).toMatchObject({ userId: String(USER.jane), status: 'active' });
  });

  it('syncing every connection syncs the ones it can and fails naming the one without a secret', async () => {
    const r = await cli.run(['token', 'sync']);
    expectOneErrorLine(r, /sync failed for 1 of 2 connections: “Beta”: .*--password-stdin/);
    expect(r.stdout).toMatch(/Alpha\s+ok/);
    expect(r.stdout).toMatch(/Beta\s+failed/);
    expect(r.stderr).toMatch(/^sync: Alpha: /m);
    expect(r.stderr).toMatch(/^sync: Beta: skipped: /m);
  });

  it('remembers the password of an existing connection when it is added again with --password-stdin', async () => {
    const conflict = await cli.run(
      ['connection', 'add', 'Beta', '--dns', alpha.dns, '--username', ADMIN, '--password-stdin'],
      { stdin: PASSWORD },
    );
    expectOneErrorLine(conflict, /A connection named “Beta” already exists/);
    const { doc: before } = await cli.json<ConnectionJson[]>(['connection', 'list']);
    expect(before.find((c) => c.name === 'Beta')).toMatchObject({ secretStored: false });

    const r = await cli.run(['connection', 'add', 'Beta', '--dns', beta.dns, '--username', ADMIN, '--password-stdin'], {
      stdin: `${PASSWORD}\n`,
    });
    expect(r.code, describeRun(r)).toBe(0);
    expect(r.stdout).toMatch(/“Beta” already exists with these settings; its password is now remembered/);
    expect(await store.get(SHARED_SIGN_IN)).toBe(PASSWORD);
    const { doc } = await cli.json<ConnectionJson[]>(['connection', 'list']);
    expect(doc.find((c) => c.name === 'Beta')).toMatchObject({ id: ids.betaConnection, secretStored: true });
    const test = await cli.run(['connection', 'test', 'Beta']);
    expect(test.code, describeRun(test)).toBe(0);
    expect(test.stdout).toMatch(/“Beta”: CLI Beta \(Vault 917002\)/);

    // A wrong password is reported as Vault's refusal, not as "none is remembered".
    const addBeta = (stdin: string) =>
      cli.run(['connection', 'add', 'Beta', '--dns', beta.dns, '--username', ADMIN, '--password-stdin'], { stdin });
    expect((await addBeta('not-the-password\n')).code).toBe(0);
    expectOneErrorLine(
      await cli.run(['connection', 'test', 'Beta']),
      /Vault refused the password for “Beta” \(USERNAME_OR_PASSWORD_INCORRECT\).*--password-stdin/,
    );
    expect((await addBeta(`${PASSWORD}\n`)).code).toBe(0);
    expect((await cli.run(['connection', 'test', 'Beta'])).code).toBe(0);
  });

  it('lists tokens as a table with dates and days left, filtered by status and expiry', async () => {
    const r = await cli.run(['token', 'list', '--connection', 'Alpha']);
    expect(r.code, describeRun(r)).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^CONNECTION\s+TOKEN ID\s+NAME\s+USER\s+STATUS\s+EXPIRES\s+LAST USED\s+KEYCHAIN$/);
    const nightly = lines.find((l) => l.includes('Nightly ETL'))!;
    // TZ=UTC in the child; "in 4 days" only if the clock passed midnight since the seed.
    const expiryDay = fake.state.getToken(seeded.nightly)!.expiresAt!.toISOString().slice(0, 10);
    expect(nightly).toMatch(new RegExp(`${expiryDay} \\(in [45] days\\)`));
    expect(nightly).toMatch(/\bexpiring\b/);
    expect(lines.find((l) => l.includes('Legacy'))).toMatch(/\bnever\b/);
    const statusAt = lines[0]!.indexOf('STATUS');
    for (const line of lines.slice(1)) expect(line.slice(statusAt)).toMatch(/^(active|expiring|expired|revoked)\s/);

    expect(await list(['--status', 'revoked'])).toEqual([]);
    expect((await list(['--status', 'expiring'])).map((t) => t.name)).toEqual(['Nightly ETL']);
    expect((await list(['--status', 'expiring,active', '--status', 'revoked'])).map((t) => t.name)).toHaveLength(4);
    expect((await list(['--connection', 'Beta'])).map((t) => t.name)).toEqual([]);
    expect((await list(['--expiring-within', '7'])).map((t) => t.name)).toEqual(['Nightly ETL']);
    expect((await list(['--expiring-within', '45'])).map((t) => t.name)).toEqual(['Nightly ETL', 'Jane scripts']);
  });

  it('generates a token for me: value on stdout only, stored in the keychain', async () => {
    const expires = utcDate(30 * DAY);
    const r = await cli.run([
      'token',
      'generate',
      '--connection',
      'Alpha',
      '--me',
      '--name',
      'CLI for me',
      '--expires',
      expires,
    ]);
    expect(r.code, describeRun(r)).toBe(0);
    expect(r.stdout).toMatch(/^veeva-vault-[A-Za-z0-9]+\n$/);
    const value = r.stdout.trimEnd();
    valueRuns.add(r);
    expect(r.stderr).toMatch(
      /^Generated “CLI for me” \(\w+\) for you on “Alpha”, expires .* the value is stored in the OS keychain\.\n$/,
    );
    const row = byName(await list(), 'CLI for me');
    values.set(row.tokenId, value);
    expect(row).toMatchObject({ userId: String(USER.admin), status: 'active', secretStored: true });
    expect(await store.get(`token/${VAULT.alpha}/${row.tokenId}`)).toBe(value);
    expect(fake.state.getToken(row.tokenId)).toMatchObject({
      userId: USER.admin,
      name: 'CLI for me',
      status: 'active',
    });
  });

  it('generates a token for another user with --json: the frozen fields plus value', async () => {
    const { result, doc } = await cli.json<TokenJson & { value: string }>([
      'token',
      'generate',
      '--connection',
      'Alpha',
      '--user',
      String(USER.jane),
      '--name',
      'Jane CI',
      '--expires',
      utcSecond(45 * DAY),
    ]);
    expect(result.code, describeRun(result)).toBe(0);
    valueRuns.add(result);
    expect(Object.keys(doc)).toEqual([...TOKEN_JSON_FIELDS, 'value']);
    expect(doc).toMatchObject({
      connection: 'Alpha',
      vaultDns: alpha.dns,
      name: 'Jane CI',
      userId: String(USER.jane),
      status: 'active',
      secretStored: true,
    });
    expect(doc.value).toMatch(/^veeva-vault-/);
    values.set(doc.tokenId, doc.value);
    seen.tokenIds.add(doc.tokenId);
    expect(await store.get(`token/${VAULT.alpha}/${doc.tokenId}`)).toBe(doc.value);
    expect(fake.state.getToken(doc.tokenId)).toMatchObject({ userId: USER.jane, status: 'active' });
  });

  it('reports a Vault refusal with its error type on one line', async () => {
    const r = await cli.run([
      'token',
      'generate',
      '--connection',
      'Alpha',
      '--user',
      String(USER.veevaId),
      '--name',
      'Not allowed',
    ]);
    expectOneErrorLine(r, /^error: Vault refused: .*VeevaID.* \(OPERATION_NOT_ALLOWED\)$/);
    expect(r.stdout).toBe('');
  });

  it('sync picks up a token created in Vault and marks one deleted there as revoked', async () => {
    const made = fake.state.createToken({
      vault: VAULT.alpha,
      user: USER.admin,
      name: 'Made in Vault UI',
      expiresAt: new Date(Date.now() + 10 * DAY),
    });
    values.set(made.id, made.value);
    fake.state.deleteToken(seeded.warehouse);
    const r = await cli.run(['token', 'sync', '--connection', 'Alpha']);
    expect(r.code, describeRun(r)).toBe(0);
    expect(r.stderr).toMatch(/sync: Alpha: 8 token\(s\): 1 new, 1 revoked/);
    const rows = await list();
    expect(byName(rows, 'Made in Vault UI')).toMatchObject({
      tokenId: made.id,
      status: 'expiring',
      secretStored: false,
    });
    expect(byName(rows, 'Warehouse').status).toBe('revoked');
    expect((await list(['--status', 'revoked'])).map((t) => t.name)).toEqual(['Warehouse']);
  });

  it('revokes tokens in Vault and in the inventory', async () => {
    const r = await cli.run(['token', 'revoke', '--connection', 'Alpha', seeded.legacy]);
    expect(r.code, describeRun(r)).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^revoked\\s+${seeded.legacy}\\s+“Legacy \\(never expires\\)”\\n$`));
    expect(fake.state.getToken(seeded.legacy)!.status).not.toBe('active');
    expect(byName(await list(), 'Legacy (never expires)').status).toBe('revoked');

    const again = await cli.json<{ tokenId: string; ok: boolean }[]>([
      'token',
      'revoke',
      '--connection',
      'Alpha',
      seeded.legacy,
    ]);
    expect(again.result.code, describeRun(again.result)).toBe(0);
    expect(again.doc).toEqual([expect.objectContaining({ tokenId: seeded.legacy, ok: true })]);

    const unknown = await cli.run(['token', 'revoke', '--connection', 'Alpha', 'NOSUCHTOKEN123']);
    expectOneErrorLine(unknown, /NOSUCHTOKEN123 is not in the inventory of “Alpha”.*token sync/);
  });

  it('rotates a token: a replacement in the keychain, the old one revoked, no value printed', async () => {
    const old = byName(await list(), 'CLI for me');
    const oldValue = values.get(old.tokenId)!;
    const r = await cli.run(['token', 'rotate', '--connection', 'Alpha', old.tokenId, '--expires', utcDate(60 * DAY)]);
    expect(r.code, describeRun(r)).toBe(0);
    expect(r.stdout).toMatch(/Rotated “CLI for me” on “Alpha”: new token \w+ expires/);
    expect(r.stdout).toContain(`Old token ${old.tokenId} revoked.`);
    expect(r.stdout).not.toContain('veeva-vault-');

    const rows = (await list()).filter((t) => t.name === 'CLI for me');
    expect(rows.map((t) => t.status).sort()).toEqual(['active', 'revoked']);
    const replacement = rows.find((t) => t.status === 'active')!;
    expect(replacement.tokenId).not.toBe(old.tokenId);
    expect(replacement.secretStored).toBe(true);
    const newValue = await store.get(`token/${VAULT.alpha}/${replacement.tokenId}`);
    expect(newValue).toMatch(/^veeva-vault-/);
    expect(newValue).not.toBe(oldValue);
    values.set(replacement.tokenId, newValue!);
    expect(await store.get(`token/${VAULT.alpha}/${old.tokenId}`)).toBeNull();
    expect(fake.state.getToken(old.tokenId)!.status).not.toBe('active');
    expect(fake.state.getToken(replacement.tokenId)).toMatchObject({ status: 'active', userId: USER.admin });
  });

  it('reveals a stored value: just the value and a newline', async () => {
    const replacement = (await list()).find((t) => t.name === 'CLI for me' && t.status === 'active')!;
    const r = await cli.run(['token', 'reveal', '--connection', 'Alpha', replacement.tokenId]);
    expect(r.code, describeRun(r)).toBe(0);
    valueRuns.add(r);
    expect(r.stdout).toBe(`${values.get(replacement.tokenId)}\n`);
    expect(r.stderr).toBe('');

    const jane = byName(await list(), 'Jane CI');
    const j = await cli.json<TokenJson & { value: string }>(['token', 'reveal', '--connection', 'Alpha', jane.tokenId]);
    valueRuns.add(j.result);
    expect(j.doc.value).toBe(values.get(jane.tokenId));

    // A token made elsewhere has no stored value.
    const made = byName(await list(), 'Made in Vault UI');
    expectOneErrorLine(await cli.run(['token', 'reveal', '--connection', 'Alpha', made.tokenId]), /No value is stored/);
  });

  it('exports the inventory as CSV and JSON, to stdout or a file', async () => {
    const csv = await cli.run(['token', 'export']);
    expect(csv.code, describeRun(csv)).toBe(0);
    expect(csv.stdout.split('\n')[0]).toMatch(/tokenId/);
    expect(csv.stdout).toContain(seeded.nightly);

    const json = await cli.run(['token', 'export', '--format', 'json']);
    expect(json.code, describeRun(json)).toBe(0);
    const doc = JSON.parse(json.stdout) as { rows: { tokenId: string }[] };
    expect(doc.rows.map((r) => r.tokenId)).toContain(seeded.nightly);

    // --json alone means JSON on stdout, still one document.
    const viaJson = await cli.run(['token', 'export', '--json']);
    expect(JSON.parse(viaJson.stdout)).toEqual(expect.objectContaining({ rows: expect.any(Array) }));

    const csvFile = join(dir.path, 'tokens.csv');
    const toFile = await cli.run(['token', 'export', '--output', csvFile]);
    expect(toFile.code, describeRun(toFile)).toBe(0);
    expect(toFile.stdout).toContain(csvFile);
    expect(readFileSync(csvFile, 'utf8')).toBe(csv.stdout);
    if (process.platform !== 'win32') expect(statSync(csvFile).mode & 0o777).toBe(0o600);

    const jsonFile = join(dir.path, 'tokens.json');
    const toJsonFile = await cli.json<{ file: string; format: string }>([
      'token',
      'export',
      '--format',
      'json',
      '--output',
      jsonFile,
    ]);
    expect(toJsonFile.doc).toMatchObject({ file: jsonFile, format: 'json' });
    expect((JSON.parse(readFileSync(jsonFile, 'utf8')) as { rows: unknown[] }).rows.length).toBe(doc.rows.length);
    for (const file of [csvFile, jsonFile]) {
      const content = readFileSync(file, 'utf8');
      for (const value of values.values()) expect(content.includes(value), `${file} holds a token value`).toBe(false);
    }
  });

  it('expiring: lists what expires soon, and --fail-if-any exits 3 only when it finds some', async () => {
    const human = await cli.run(['expiring', '--within', '7']);
    expect(human.code, describeRun(human)).toBe(0);
    expect(human.stdout).toContain('Nightly ETL');
    expect(human.stdout).not.toContain('Made in Vault UI');

    const { doc } = await cli.json<TokenJson[]>(['expiring', '--within', '12']);
    expect(doc.map((t) => t.name)).toEqual(['Nightly ETL', 'Made in Vault UI']);
    for (const row of doc) expect(Object.keys(row)).toEqual([...TOKEN_JSON_FIELDS]);

    const found = await cli.run(['expiring', '--within', '7', '--fail-if-any']);
    expect(found.code, describeRun(found)).toBe(3);
    expect(found.stdout).toContain('Nightly ETL');

    const none = await cli.run(['expiring', '--within', '1', '--fail-if-any']);
    expect(none.code, describeRun(none)).toBe(0);
    expect(none.stdout).toBe('No tokens expire within 1 day.\n');
  });

  it('reads only SQLite for list, expiring and export: they work with the fake Vault unreachable and no keychain', async () => {
    const env = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/vtd-bus', NODE_EXTRA_CA_CERTS: undefined };
    for (const args of [
      ['token', 'list'],
      ['expiring', '--within', '30'],
      ['token', 'export'],
      ['connection', 'list'],
    ]) {
      const r = await cli.run(args, { env });
      expect(r.code, describeRun(r)).toBe(0);
      expect(r.stderr, describeRun(r)).toBe('');
    }
  });

  it.each([
    ['an unknown command', ['frobnicate'], /unknown command "frobnicate"/],
    ['an unknown subcommand', ['token', 'frobnicate'], /unknown command "token frobnicate"/],
    ['a missing subcommand', ['token'], /missing subcommand/],
    ['no command at all', [], /missing command/],
    ['an unknown flag', ['token', 'list', '--colour'], /unknown option --colour/],
    ['an unknown global flag', ['--verbose', 'token', 'list'], /unknown option --verbose/],
    ['a missing --connection', ['token', 'generate', '--me', '--name', 'x'], /missing --connection NAME/],
    ['a missing --connection on revoke', ['token', 'revoke', 'ABC'], /missing --connection NAME/],
    ['a missing TOKEN_ID', ['token', 'reveal', '--connection', 'Alpha'], /missing TOKEN_ID/],
    ['a missing --name', ['token', 'generate', '--connection', 'Alpha', '--me'], /missing --name TOKEN_NAME/],
    ['neither --me nor --user', ['token', 'generate', '--connection', 'Alpha', '--name', 'x'], /--me or --user/],
    [
      '--me with --user',
      ['token', 'generate', '--connection', 'Alpha', '--me', '--user', '61610', '--name', 'x'],
      /--me and --user cannot be used together/,
    ],
    [
      '--expires with --never',
      ['token', 'generate', '--connection', 'Alpha', '--me', '--name', 'x', '--expires', '2031-01-01', '--never'],
      /--expires and --never cannot be used together/,
    ],
    [
      '--expires with --never on rotate',
      ['token', 'rotate', '--connection', 'Alpha', 'ABC', '--never', '--expires', '2031-01-01'],
      /--expires and --never cannot be used together/,
    ],
    [
      'an impossible date',
      ['token', 'generate', '--connection', 'Alpha', '--me', '--name', 'x', '--expires', '2031-02-30'],
      /--expires takes a real date/,
    ],
    [
      'a malformed date',
      ['token', 'generate', '--connection', 'Alpha', '--me', '--name', 'x', '--expires', '31/12/2031'],
      /--expires takes a real date/,
    ],
    [
      'a time without Z',
      ['token', 'generate', '--connection', 'Alpha', '--me', '--name', 'x', '--expires', '2031-01-01T10:00:00'],
      /--expires takes a real date/,
    ],
    ['a bad number of days', ['expiring', '--within', 'soon'], /--within takes a whole number of days/],
    ['a negative number of days', ['token', 'list', '--expiring-within', '-3'], /expiring-within/],
    ['a bad status', ['token', 'list', '--status', 'sleeping'], /--status takes active, expiring, expired, revoked/],
    ['a bad export format', ['token', 'export', '--format', 'xml'], /--format takes csv or json/],
    [
      '--password-stdin with --token-stdin',
      ['connection', 'add', 'X', '--dns', 'x.veevavault.com', '--username', 'u', '--password-stdin', '--token-stdin'],
      /cannot be used together/,
    ],
    [
      'a bad DNS',
      ['connection', 'add', 'X', '--dns', 'http://x.veevavault.com', '--username', 'u'],
      /--dns: .*https only/,
    ],
    [
      'a bad API version',
      ['connection', 'add', 'X', '--dns', 'x.veevavault.com', '--username', 'u', '--api-version', '26'],
      /--api-version: Use a version such as v26.2/,
    ],
    ['a value for a boolean flag', ['expiring', '--fail-if-any=yes'], /--fail-if-any does not take a value/],
    ['a flag without its value', ['token', 'list', '--connection'], /--connection is missing its value/],
    [
      'a flag given twice',
      ['token', 'list', '--connection', 'Alpha', '--connection', 'Beta'],
      /--connection given more than once/,
    ],
    ['an extra argument', ['connection', 'list', 'extra'], /takes no arguments/],
  ])('exits 2 with a message and a usage hint for %s', async (_label, args, pattern) => {
    const fresh = join(dir.path, `never-created-${Math.random().toString(36).slice(2)}`);
    const r = await cli.run(args, { dataDir: fresh });
    expectUsageError(r, pattern);
    // Usage errors are caught before the data directory is opened (or created).
    expect(existsSync(fresh)).toBe(false);
  });

  it('refuses a password passed as an argument, without echoing it', async () => {
    for (const args of [
      ['connection', 'add', 'Gamma', '--dns', alpha.dns, '--username', ADMIN, '--password', PASSWORD],
      ['connection', 'add', 'Gamma', '--dns', alpha.dns, '--username', ADMIN, `--password=${PASSWORD}`],
      ['connection', 'add', 'Gamma', '--dns', alpha.dns, '--username', ADMIN, '--token', PASSWORD],
      ['connection', 'test', 'Alpha', '--password', PASSWORD],
    ]) {
      const r = await cli.run(args);
      expectUsageError(r, /unknown option --(password|token)\b.*--password-stdin/);
      expect(r.stderr).not.toContain(PASSWORD);
    }
    const { doc } = await cli.json<ConnectionJson[]>(['connection', 'list']);
    expect(doc.map((c) => c.name)).toEqual(['Alpha', 'Beta']);
  });

  it('rejects an empty password on stdin', async () => {
    const r = await cli.run(
      ['connection', 'add', 'Gamma', '--dns', alpha.dns, '--username', ADMIN, '--password-stdin'],
      { stdin: '\n' },
    );
    expectUsageError(r, /--password-stdin: stdin was empty/);
  });

  it('prints help on stdout with exit 0', async () => {
    const top = await cli.run(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/^Usage: vault-token-desk \[--data-dir DIR\] \[--json\] COMMAND/);
    for (const cmd of ['connection add', 'token generate', 'token rotate', 'token export', 'expiring'])
      expect(top.stdout).toContain(`  ${cmd} `);
    const one = await cli.run(['token', 'generate', '--help']);
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(
      /^Usage: vault-token-desk token generate \(--connection NAME \[--connection NAME…\] \| --client CLIENT \[--env ENV\]\) \(--me \| --user USER_ID\)/,
    );
    expect((await cli.run(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('logs nothing by default, and redacted JSON lines on stderr with VAULT_TOKEN_DESK_LOG=debug', async () => {
    const quiet = await cli.run(['connection', 'test', 'Alpha']);
    expect(quiet.code, describeRun(quiet)).toBe(0);
    expect(quiet.stderr).toBe('');
    const loud = await cli.run(['connection', 'test', 'Alpha'], { env: { VAULT_TOKEN_DESK_LOG: 'debug' } });
    expect(loud.code, describeRun(loud)).toBe(0);
    const lines = loud.stderr.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines)
      expect(JSON.parse(line)).toEqual(
        expect.objectContaining({ level: expect.any(String), message: expect.any(String), time: expect.any(String) }),
      );
    expect(loud.stderr).not.toContain(PASSWORD);
  });

  it('uses VAULT_TOKEN_DESK_HOME when --data-dir is not given', async () => {
    const { result, doc } = await cli.json<ConnectionJson[]>(['connection', 'list'], {
      dataDir: null,
      env: { VAULT_TOKEN_DESK_HOME: dataDir },
    });
    expect(result.code, describeRun(result)).toBe(0);
    expect(doc.map((c) => c.name)).toEqual(['Alpha', 'Beta']);
  });

  it('bin.cjs says to run npm run build when the bundle is missing', async () => {
    const fakeRoot = join(dir.path, 'unbuilt');
    mkdirSync(join(fakeRoot, 'electron', 'cli'), { recursive: true });
    const bin = join(fakeRoot, 'electron', 'cli', 'bin.cjs');
    copyFileSync(join(__dirname, '../../electron/cli/bin.cjs'), bin);
    const r = await cli.run(['token', 'list'], { bin });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('npm run build');
    expect(readFileSync(join(__dirname, '../../electron/cli/bin.cjs'), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
  });

  it('removes a connection; the saved sign-in it shares with Alpha stays', async () => {
    expect(await store.get(SHARED_SIGN_IN)).toBe(PASSWORD);
    const r = await cli.run(['connection', 'remove', 'Beta']);
    expect(r.code, describeRun(r)).toBe(0);
    expect(await store.get(SHARED_SIGN_IN)).toBe(PASSWORD);
    const { doc } = await cli.json<ConnectionJson[]>(['connection', 'list']);
    expect(doc.map((c) => c.name)).toEqual(['Alpha']);
    expectOneErrorLine(await cli.run(['connection', 'remove', 'Beta']), /No connection is named “Beta”/);
  });

  it('never writes the password or a token value to SQLite, and prints values only from generate and reveal', async () => {
    expect(values.size).toBeGreaterThanOrEqual(4);
    const secrets = [PASSWORD, ...values.values()];
    const base = databasePath(dataDir);
    const files = [base, `${base}-wal`, `${base}-shm`].filter(existsSync);
    expect(files).toContain(base);
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const secret of secrets) {
        expect(bytes.includes(Buffer.from(secret, 'utf8')), `${file} holds a secret`).toBe(false);
        expect(bytes.includes(Buffer.from(secret, 'utf16le')), `${file} holds a secret (UTF-16)`).toBe(false);
      }
    }
    expect(cli.runs.length).toBeGreaterThan(40);
    for (const run of cli.runs) {
      expect(
        run.stderr.includes(PASSWORD) || run.stdout.includes(PASSWORD),
        `${run.args.join(' ')} printed the password`,
      ).toBe(false);
      for (const value of values.values()) {
        expect(run.stderr.includes(value), `${run.args.join(' ')} printed a token value on stderr`).toBe(false);
        if (!valueRuns.has(run))
          expect(run.stdout.includes(value), `${run.args.join(' ')} printed a token value on stdout`).toBe(false);
      }
    }
    // Removing the last connection that uses the saved password deletes it from the keychain.
    expect(await store.get(SHARED_SIGN_IN)).toBe(PASSWORD);
    expect((await cli.run(['connection', 'remove', 'Alpha'])).code).toBe(0);
    expect(await store.get(SHARED_SIGN_IN)).toBeNull();
  });
});
