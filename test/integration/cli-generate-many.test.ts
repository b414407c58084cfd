/**
 * `token generate` with repeated `--connection`: the built CLI as a child process, the fake Vault
 * over HTTPS (which enforces 25 active tokens per user, docs/vault-api.md §1.1), the REAL OS
 * keychain and a temp data directory, stdin piped as in a script.
 *  - `--json`: one object per Vault in the order given (connection, ok, tokenId, value only on
 *    success, error); one Vault at its limit and one Vault refusing never undo the others;
 *  - the plain output: a CONNECTION / TOKEN ID / VALUE table on stdout, one line per Vault on stderr;
 *  - usage errors (exit 2): --user with several connections, the same connection twice.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyringSecretStore } from '../../electron/secrets/keyring-store';
import { GENERATE_MANY_JSON_FIELDS, type GenerateManyJson } from '../../electron/cli/json';
import { MAX_ACTIVE_TOKENS, startFakeVault, type FakeVault } from '../fake-vault/index';
import { realKeychain } from '../helpers/keychain';
import { tempDir } from '../helpers/temp-dir';
import { buildCli, CliRunner, describeRun } from '../helpers/cli-runner';

const keychain = await realKeychain();
/** Unusual ids so that cleanup can never touch a real Vault's keychain items. */
const VAULT = { alpha: 927_001, full: 927_002, refusing: 927_003 } as const;
const ADMIN = 72_001;
const USERNAME = 'many.cli@example.com';
const PASSWORD = `Many-Cli-${Math.random().toString(36).slice(2)}-Pw!`;
const NAMES = { [VAULT.alpha]: 'Many Alpha', [VAULT.full]: 'Many Full', [VAULT.refusing]: 'Many Refusing' } as const;

describe.skipIf(!keychain.available)('vault-token-desk token generate across Vaults (built CLI, fake Vault)', () => {
  const store = new KeyringSecretStore();
  const dir = tempDir('vtd-cli-many-');
  let fake: FakeVault;
  let cli: CliRunner;
  const connectionIds: string[] = [];
  const tokenIds = new Set<string>();

  beforeAll(async () => {
    await buildCli();
    fake = await startFakeVault({
      vaults: [
        { id: VAULT.alpha, name: NAMES[VAULT.alpha] },
        { id: VAULT.full, name: NAMES[VAULT.full] },
        { id: VAULT.refusing, name: NAMES[VAULT.refusing] },
      ],
      users: [{ id: ADMIN, username: USERNAME, password: PASSWORD, securityProfile: 'vault_owner__v', vaults: 'all' }],
      tokens: Array.from({ length: MAX_ACTIVE_TOKENS }, (_, i) => ({
        vault: VAULT.full,
        user: ADMIN,
        name: `Busy ${i}`,
      })),
    });
    cli = new CliRunner(join(dir.path, 'data'), { NODE_EXTRA_CA_CERTS: fake.caPath, TZ: 'UTC' });
    for (const v of fake.vaults) {
      const r = await cli.run(
        ['connection', 'add', v.name, '--dns', v.dns, '--username', USERNAME, '--password-stdin'],
        { stdin: `${PASSWORD}\n` },
      );
      expect(r.code, describeRun(r)).toBe(0);
    }
    const { doc } = await cli.json<{ id: string }[]>(['connection', 'list']);
    connectionIds.push(...doc.map((c) => c.id));
    const synced = await cli.run(['token', 'sync']);
    expect(synced.code, describeRun(synced)).toBe(0);
  }, 180_000);

  afterAll(async () => {
    try {
      for (const account of await store.list()) {
        const ours =
          connectionIds.some((id) => account.startsWith(`connection/${id}/`)) ||
          account.endsWith(`/${USERNAME}`) ||
          Object.keys(NAMES).some((v) => [...tokenIds].some((t) => account === `token/${v}/${t}`));
        if (ours) await store.delete(account);
      }
    } finally {
      await fake?.close();
      dir.cleanup();
    }
  });

  it('--json: one result per Vault; a Vault at its limit and a refusing one never undo the others', async () => {
    fake.faults.inject(
      { vaultId: VAULT.refusing, method: 'POST', path: /api_access_token__sys$/ },
      { kind: 'vaultError', type: 'INSUFFICIENT_ACCESS', message: 'Not licensed here.' },
      { times: 1 },
    );
    const { result, doc } = await cli.json<GenerateManyJson[]>([
      'token',
      'generate',
      '--connection',
      NAMES[VAULT.alpha],
      '--connection',
      NAMES[VAULT.full],
      '--connection',
      NAMES[VAULT.refusing],
      '--me',
      '--name',
      'CLI across Vaults',
      '--expires',
      '2031-03-31',
    ]);
    expect(result.code, describeRun(result)).toBe(1);
    expect(doc.map((d) => d.connection)).toEqual([NAMES[VAULT.alpha], NAMES[VAULT.full], NAMES[VAULT.refusing]]);
    const [alpha, full, refusing] = doc as [GenerateManyJson, GenerateManyJson, GenerateManyJson];
    expect(Object.keys(alpha)).toEqual([...GENERATE_MANY_JSON_FIELDS]);
    expect(alpha).toMatchObject({ ok: true, error: null, value: expect.stringMatching(/^veeva-vault-/) });
    tokenIds.add(alpha.tokenId!);
    expect(await store.get(`token/${VAULT.alpha}/${alpha.tokenId}`)).toBe(alpha.value);
    expect(fake.state.getToken(alpha.tokenId!)).toMatchObject({ name: 'CLI across Vaults', status: 'active' });

    expect(full).toEqual({
      connection: NAMES[VAULT.full],
      ok: false,
      tokenId: null,
      error: expect.stringMatching(/25 active tokens.*nothing was sent to Vault/),
    });
    expect(refusing).toMatchObject({
      ok: false,
      tokenId: null,
      error: expect.stringMatching(/\(INSUFFICIENT_ACCESS\)$/),
    });
    expect(refusing).not.toHaveProperty('value');
    const minted = fake.state.listTokens().filter((t) => t.name === 'CLI across Vaults');
    expect(minted.map((t) => t.vaultId)).toEqual([VAULT.alpha]);

    // One error line naming the count and the first failure; the JSON came first.
    const errors = result.stderr.split('\n').filter((l) => l.startsWith('error:'));
    expect(errors, describeRun(result)).toEqual([
      expect.stringMatching(/^error: generate failed for 2 of 3 connections: “Many Full”: .*; and 1 more connection/),
    ]);

    // The one minted is listed like any other token.
    const { doc: rows } = await cli.json<{ name: string; connection: string; secretStored: boolean }[]>([
      'token',
      'list',
    ]);
    expect(rows.filter((r) => r.name === 'CLI across Vaults')).toEqual([
      expect.objectContaining({ connection: NAMES[VAULT.alpha], secretStored: true }),
    ]);
  });

  it('plain output: a table of values on stdout, one line per Vault on stderr, exit 0 when all worked', async () => {
    const r = await cli.run([
      'token',
      'generate',
      '--connection',
      NAMES[VAULT.alpha],
      '--connection',
      NAMES[VAULT.refusing],
      '--me',
      '--name',
      'CLI plain many',
      '--never',
    ]);
    expect(r.code, describeRun(r)).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^CONNECTION\s+TOKEN ID\s+VALUE$/);
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/)[0])).toEqual([NAMES[VAULT.alpha], NAMES[VAULT.refusing]]);
    for (const line of lines.slice(1)) {
      const [, tokenId, value] = line.split(/\s{2,}/);
      tokenIds.add(tokenId!);
      expect(value).toMatch(/^veeva-vault-[A-Za-z0-9]+$/);
    }
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^Generated “CLI plain many” \(\w+\) on “Many Alpha”, never expires; the value is stored/),
      expect.stringMatching(
        /^Generated “CLI plain many” \(\w+\) on “Many Refusing”, never expires; the value is stored/,
      ),
    ]);
  });

  it('--client: every connection of the client group, one result each', async () => {
    for (const name of [NAMES[VAULT.alpha], NAMES[VAULT.refusing]]) {
      const r = await cli.run(['connection', 'edit', name, '--client', 'Many Client', '--env', 'QA']);
      expect(r.code, describeRun(r)).toBe(0);
    }
    const { result, doc } = await cli.json<GenerateManyJson[]>([
      'token',
      'generate',
      '--client',
      'many client',
      '--me',
      '--name',
      'CLI by client',
      '--never',
    ]);
    expect(result.code, describeRun(result)).toBe(0);
    expect(doc.map((d) => [d.connection, d.ok])).toEqual([
      [NAMES[VAULT.alpha], true],
      [NAMES[VAULT.refusing], true],
    ]);
    for (const d of doc) tokenIds.add(d.tokenId!);
    const minted = fake.state.listTokens().filter((t) => t.name === 'CLI by client');
    expect(minted.map((t) => t.vaultId).sort()).toEqual([VAULT.alpha, VAULT.refusing]);

    const unknown = await cli.run(['token', 'generate', '--client', 'Nobody', '--me', '--name', 'X', '--never']);
    expect(unknown.code, describeRun(unknown)).toBe(1);
    expect(unknown.stderr).toMatch(/no connection has client “Nobody”; clients: Many Client/);
  });

  it('refuses --user with several connections, and the same connection twice, before signing in (exit 2)', async () => {
    const before = fake.state.listTokens().length;
    const user = await cli.run([
      'token',
      'generate',
      '--connection',
      NAMES[VAULT.alpha],
      '--connection',
      NAMES[VAULT.refusing],
      '--user',
      String(ADMIN),
      '--name',
      'X',
    ]);
    expect(user.code, describeRun(user)).toBe(2);
    expect(user.stderr).toMatch(/^error: --user takes one --connection/);
    const twice = await cli.run([
      'token',
      'generate',
      '--connection',
      NAMES[VAULT.alpha],
      '--connection',
      NAMES[VAULT.alpha],
      '--me',
      '--name',
      'X',
    ]);
    expect(twice.code, describeRun(twice)).toBe(2);
    expect(twice.stderr).toMatch(/^error: --connection: Each Vault may be chosen once\./);
    expect(fake.state.listTokens()).toHaveLength(before);
  });
});
