/**
 * `token rotate` in the built CLI (issue 16 item 2): by ids or `--expiring-within DAYS`, with
 * `--deliver`, stable `--json`, progress on stderr, the live check, and a process killed between
 * generate and revoke.
 *
 * The command is a private build (test/helpers/crash-cli.ts: cli.test.ts rebuilds out/cli in a
 * parallel fork), run as a child process against the fake Vault over HTTPS with the real OS
 * keychain (a private GNOME Keyring under `npm test`). The kill waits for a named event — the
 * check's request held at the fake by a fault rule — then SIGKILLs; nothing sleeps and hopes.
 *
 * Run alone:
 *   dbus-run-session -- bash test/with-keyring.sh npx vitest run -c test/vitest.config.mts test/integration/cli-rotation.test.ts
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyringSecretStore } from '../../electron/secrets/keyring-store';
import { ROTATION_JSON_FIELDS, type RotationJson } from '../../electron/cli/rotation-json';
import type { TokenJson } from '../../electron/cli/json';
import { startFakeVault, type FakeVault } from '../fake-vault/index';
import { realKeychain } from '../helpers/keychain';
import { tempDir } from '../helpers/temp-dir';
import { describeRun, type CliResult } from '../helpers/cli-runner';
import { buildPrivateCli, CrashCliRunner } from '../helpers/crash-cli';
import { startCli, waitFor } from '../helpers/crash-process';

const keychain = await realKeychain();
const DAY = 86_400_000;
/** Unusual ids, so that cleanup never touches another suite's keychain items. */
const VAULT = { alpha: 918_701, beta: 918_702 } as const;
const ADMIN_ID = 71_701;
const ADMIN = 'rotate.admin@example.com';
const PASSWORD = `Rotate-Cli-${Math.random().toString(36).slice(2)}-Unmistakable!`;

function expectOneErrorLine(r: CliResult, pattern: RegExp): void {
  expect(r.code, describeRun(r)).toBe(1);
  const errors = r.stderr.split('\n').filter((l) => l.startsWith('error:'));
  expect(errors, describeRun(r)).toHaveLength(1);
  expect(errors[0], describeRun(r)).toMatch(pattern);
}

describe.skipIf(!keychain.available)('vault-token-desk token rotate (built bin, fake Vault, real keychain)', () => {
  const store = new KeyringSecretStore();
  const dir = tempDir('vtd-cli-rotate-');
  const dataDir = join(dir.path, 'data');
  let fake: FakeVault;
  let cli: CrashCliRunner;
  let bin = '';
  const env = () => ({ NODE_EXTRA_CA_CERTS: fake.caPath, TZ: 'UTC' });

  const plant = (vault: number, name: string, lifetimeDays: number, daysLeft: number) =>
    fake.state.createToken({
      vault,
      user: ADMIN_ID,
      name,
      createdAt: new Date(Date.now() - (lifetimeDays - daysLeft) * DAY),
      expiresAt: new Date(Date.now() + daysLeft * DAY),
    }).id;
  const list = async (): Promise<TokenJson[]> => {
    const { result, doc } = await cli.json<TokenJson[]>(['token', 'list']);
    expect(result.code, describeRun(result)).toBe(0);
    return doc;
  };
  const sync = async () => expect((await cli.run(['token', 'sync'])).code).toBe(0);
  const fakeStatus = (id: string) => fake.state.getToken(id)?.status;

  beforeAll(async () => {
    bin = await buildPrivateCli(join(dir.path, 'cli-build'));
    fake = await startFakeVault({
      vaults: [
        { id: VAULT.alpha, name: 'Rotate Alpha' },
        { id: VAULT.beta, name: 'Rotate Beta' },
      ],
      users: [{ id: ADMIN_ID, username: ADMIN, password: PASSWORD, securityProfile: 'vault_owner__v', vaults: 'all' }],
    });
    cli = new CrashCliRunner(dataDir, bin, env());
    for (const [name, vault] of [
      ['Alpha', VAULT.alpha],
      ['Beta', VAULT.beta],
    ] as const) {
      const dns = fake.vaults.find((v) => v.id === vault)!.dns;
      const r = await cli.run(['connection', 'add', name, '--dns', dns, '--username', ADMIN, '--password-stdin'], {
        stdin: `${PASSWORD}\n`,
      });
      expect(r.code, describeRun(r)).toBe(0);
    }
  }, 120_000);

  afterAll(async () => {
    try {
      // Only this suite's items: its connections' secrets and its two fake Vaults' token values.
      const ids = cli ? (await cli.json<{ id: string }[]>(['connection', 'list'])).doc.map((c) => c.id) : [];
      for (const account of await store.list()) {
        const ours =
          ids.some((id) => account.startsWith(`connection/${id}/`)) ||
          account.endsWith(`/${ADMIN}`) ||
          account.startsWith(`token/${VAULT.alpha}/`) ||
          account.startsWith(`token/${VAULT.beta}/`);
        if (ours) await store.delete(account);
      }
    } finally {
      await fake?.close();
      dir.cleanup();
    }
  });

  it('refuses unclear requests with a usage error', async () => {
    for (const [args, pattern] of [
      [['token', 'rotate'], /say which tokens/],
      [['token', 'rotate', '--expiring-within', '5', '--connection', 'Alpha', 'ABC'], /not both/],
      [['token', 'rotate', 'ABC'], /missing --connection NAME/],
      [['token', 'rotate', '--expiring-within', 'soon'], /whole number of days/],
      [
        ['token', 'rotate', '--connection', 'Alpha', 'ABC', '--never', '--expires', '2031-01-01'],
        /cannot be used together/,
      ],
    ] as const) {
      const r = await cli.run([...args]);
      expect(r.code, describeRun(r)).toBe(2);
      expect(r.stderr, describeRun(r)).toMatch(pattern);
    }
  });

  it('--expiring-within DAYS --json: every due token on every Vault, with stable fields', async () => {
    const dueA = plant(VAULT.alpha, 'Alpha due', 30, 4);
    const laterA = plant(VAULT.alpha, 'Alpha later', 90, 80);
    const dueB = plant(VAULT.beta, 'Beta due', 60, 9);
    await sync();
    const { result, doc } = await cli.json<RotationJson[]>(['token', 'rotate', '--expiring-within', '14']);
    expect(result.code, describeRun(result)).toBe(0);
    expect(doc.map((r) => r.tokenId)).toEqual([dueA, dueB]);
    for (const row of doc) {
      expect(Object.keys(row)).toEqual([...ROTATION_JSON_FIELDS]);
      expect(row).toMatchObject({ ok: true, state: 'done', failedStep: null, oldRevoked: true, message: null });
      expect(row.stepsDone).toEqual(['generate', 'store', 'deliver', 'verify', 'revoke']);
      expect(row.old).toMatchObject({ tokenId: row.tokenId, status: 'revoked' });
      expect(row.replacement).toMatchObject({
        tokenId: row.replacementTokenId,
        name: row.name,
        status: 'active',
        secretStored: true,
      });
      expect(fakeStatus(row.tokenId)).not.toBe('active');
      expect(fakeStatus(row.replacementTokenId!)).toBe('active');
    }
    expect(fakeStatus(laterA)).toBe('active');
    // Progress on stderr, one line per finished token; stdout holds the one document.
    expect(result.stderr).toMatch(
      new RegExp(`rotate \\[1/2\\] ${dueA} “Alpha due”: done, replaced by ${doc[0]!.replacementTokenId}`),
    );
    expect(result.stderr).not.toMatch(/veeva-vault-/);
    expect(result.stdout).not.toMatch(/veeva-vault-/);
  });

  it('--expiring-within DAYS --client CLIENT: only that client group', async () => {
    const edit = await cli.run(['connection', 'edit', 'Beta', '--client', 'Beta Pharma', '--env', 'PROD']);
    expect(edit.code, describeRun(edit)).toBe(0);
    const dueA = plant(VAULT.alpha, 'Alpha due again', 30, 5);
    const dueB = plant(VAULT.beta, 'Beta due again', 30, 5);
    await sync();
    const { result, doc } = await cli.json<RotationJson[]>([
      'token',
      'rotate',
      '--expiring-within',
      '14',
      '--client',
      'beta pharma',
    ]);
    expect(result.code, describeRun(result)).toBe(0);
    expect(doc.map((r) => [r.tokenId, r.state])).toEqual([[dueB, 'done']]);
    expect(fakeStatus(dueA)).toBe('active');
    const both = await cli.run([
      'token',
      'rotate',
      '--expiring-within',
      '14',
      '--client',
      'x',
      '--connection',
      'Alpha',
    ]);
    expect(both.code, describeRun(both)).toBe(2);
    expect(both.stderr).toMatch(/--client and --env go with --expiring-within DAYS, instead of --connection/);
    // Leave Alpha's due token as the next tests expect to find the Vault: rotated away.
    const rest = await cli.run(['token', 'rotate', '--connection', 'Alpha', dueA]);
    expect(rest.code, describeRun(rest)).toBe(0);
  });

  it('TOKEN_ID --deliver: the replacement takes over the dotenv target and writes its value', async () => {
    const old = plant(VAULT.alpha, 'Delivered ETL', 90, 3);
    await sync();
    const envFile = join(dir.path, 'work', 'etl.env');
    mkdirSync(join(dir.path, 'work'), { recursive: true });
    writeFileSync(envFile, 'VAULT_TOKEN=old\n');
    const add = await cli.run([
      'token',
      'delivery',
      'add',
      '--connection',
      'Alpha',
      old,
      '--dotenv',
      envFile,
      '--key',
      'VAULT_TOKEN',
    ]);
    expect(add.code, describeRun(add)).toBe(0);

    const r = await cli.run(['token', 'rotate', '--connection', 'Alpha', old, '--deliver']);
    expect(r.code, describeRun(r)).toBe(0);
    expect(r.stdout).toMatch(
      /Rotated “Delivered ETL” on “Alpha”: new token \w+ expires .*delivered to 1 target, and Vault accepted it/,
    );
    expect(r.stdout).toContain(`Old token ${old} revoked.`);
    expect(r.stdout).not.toMatch(/veeva-vault-/);
    const replacement = (await list()).find((t) => t.name === 'Delivered ETL' && t.status === 'active')!;
    const value = await store.get(`token/${VAULT.alpha}/${replacement.tokenId}`);
    expect(value).toMatch(/^veeva-vault-/);
    expect(readFileSync(envFile, 'utf8')).toBe(`VAULT_TOKEN=${value}\n`);
  });

  it('Vault refuses the new token: exit 1 naming the step, nothing revoked, both listed', async () => {
    const old = plant(VAULT.beta, 'Refused', 90, 2);
    await sync();
    const rule = fake.faults.inject({ path: '/objects/users/me', auth: 'token' }, { kind: 'invalidSession' });
    try {
      const { result, doc } = await cli.json<RotationJson[]>(['token', 'rotate', '--connection', 'Beta', old]);
      expectOneErrorLine(result, new RegExp(`1 of 1 token not rotated: ${old} failed at verify`));
      expect(doc[0]).toMatchObject({
        ok: false,
        state: 'failed',
        failedStep: 'verify',
        oldRevoked: false,
        vaultErrorType: 'INVALID_SESSION_ID',
      });
      expect(doc[0]!.advice).toMatch(/still active/);
      const rows = (await list()).filter((t) => t.name === 'Refused');
      expect(rows.map((t) => t.status).sort()).toEqual(['expiring', 'active'].sort());
      expect(fakeStatus(old)).toBe('active');
    } finally {
      fake.faults.remove(rule);
    }
  });

  it('killed between generate and revoke: both tokens are listed after a restart', async () => {
    const old = plant(VAULT.alpha, 'Killed mid-rotation', 60, 6);
    await sync();
    // The check (signed with the new token) reaches the fake and is held there.
    const hold = fake.faults.inject(
      { path: '/objects/users/me', auth: 'token' },
      { kind: 'latency', ms: 60_000 },
      { times: 1 },
    );
    const child = startCli(dataDir, ['token', 'rotate', '--connection', 'Alpha', old], { bin, env: env() });
    try {
      await waitFor('the check to reach the fake Vault', () => hold.hits === 1, { process: child });
      await child.sigkill();
    } finally {
      fake.faults.remove(hold);
    }
    const rows = (await list()).filter((t) => t.name === 'Killed mid-rotation');
    expect(rows, JSON.stringify(rows)).toHaveLength(2);
    const replacement = rows.find((t) => t.tokenId !== old)!;
    expect(rows.find((t) => t.tokenId === old)!.status).not.toBe('revoked');
    expect(replacement).toMatchObject({ status: 'active', secretStored: true });
    expect(await store.get(`token/${VAULT.alpha}/${replacement.tokenId}`)).toMatch(/^veeva-vault-/);
    expect(fakeStatus(old)).toBe('active');
    expect(fakeStatus(replacement.tokenId)).toBe('active');

    // Finishing by hand works: revoke the old one.
    const done = await cli.run(['token', 'revoke', '--connection', 'Alpha', old]);
    expect(done.code, describeRun(done)).toBe(0);
    expect(fakeStatus(old)).not.toBe('active');
  });
});
