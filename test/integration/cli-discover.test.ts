/**
 * `vault-token-desk connection discover NAME [--add] [--json]` (issue 15, item 1): the built CLI as a
 * child process, the real OS keychain, a fake Vault domain where one login reaches five Vaults.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyringSecretStore } from '../../electron/secrets/keyring-store';
import { startFakeVault, type FakeVault } from '../fake-vault/index';
import { consultantSeed } from '../fake-vault/seed';
import { realKeychain } from '../helpers/keychain';
import { tempDir } from '../helpers/temp-dir';
import { buildCli, CliRunner, describeRun } from '../helpers/cli-runner';
import { stripAnsi } from '../../shared/control-chars';

const keychain = await realKeychain();
/** Its own user name: the CLI's keychain service is shared with the other CLI suites. */
const USER = 'discover.cli@example.com';
const PASSWORD = `Discover-${Math.random().toString(36).slice(2)}-Pw!`;
const ACCOUNT = `signin/password/127.0.0.1/${USER}`;

interface DiscoverRow {
  name: string | null;
  vaultId: number;
  dns: string;
  added: boolean;
  connection?: string | null;
  status?: string;
  synced?: boolean | null;
  tokens?: number | null;
  message?: string | null;
}

describe.skipIf(!keychain.available)('CLI connection discover', () => {
  let fake: FakeVault;
  let cli: CliRunner;
  const dir = tempDir();
  const store = new KeyringSecretStore(); // the CLI's own service name

  beforeAll(async () => {
    await buildCli();
    const seed = consultantSeed({ client: 'Initrode', count: 5, firstId: 918_001, password: PASSWORD });
    seed.users[0]!.username = USER;
    fake = await startFakeVault({ ...seed, authBurstLimit: 1000 });
    cli = new CliRunner(dir.path, { NODE_EXTRA_CA_CERTS: fake.caPath, TZ: 'UTC' });
    const added = await cli.run(
      ['connection', 'add', 'Initrode main', '--dns', fake.vaults[0]!.dns, '--username', USER, '--password-stdin'],
      { stdin: `${PASSWORD}\n` },
    );
    expect(added.code, describeRun(added)).toBe(0);
  });
  afterAll(async () => {
    try {
      await store.delete(ACCOUNT);
    } finally {
      await fake?.close();
      dir.cleanup();
    }
  });

  it('lists the Vaults the login reaches, its own marked added, as a stable JSON document', async () => {
    const { result, doc } = await cli.json<DiscoverRow[]>(['connection', 'discover', 'Initrode main']);
    expect(result.code, describeRun(result)).toBe(0);
    expect(doc).toHaveLength(5);
    for (const row of doc) expect(Object.keys(row)).toEqual(['name', 'vaultId', 'dns', 'added']);
    expect(doc.filter((r) => r.added)).toEqual([
      { name: 'Initrode 1', vaultId: 918_001, dns: fake.vaults[0]!.dns, added: true },
    ]);
    expect(doc.map((r) => r.vaultId).sort()).toEqual([918_001, 918_002, 918_003, 918_004, 918_005]);
  });

  it('prints a table and the --add hint without --json', async () => {
    const r = await cli.run(['connection', 'discover', 'Initrode main']);
    expect(r.code, describeRun(r)).toBe(0);
    const out = stripAnsi(r.stdout);
    expect(out).toMatch(/VAULT\s+ID\s+DNS\s+ADDED/);
    expect(out).toMatch(/Initrode 3\s+918003\s+127\.0\.0\.1:\d+\s+no/);
    expect(r.stderr).toMatch(
      /Add the 4 not added yet with: vault-token-desk connection discover 'Initrode main' --add/,
    );
  });

  it('--add adds the others named after their Vault, same sign-in, each tested and synced', async () => {
    const { result, doc } = await cli.json<DiscoverRow[]>([
      'connection',
      'discover',
      'Initrode main',
      '--add',
      '--client',
      'Initrode',
    ]);
    expect(result.code, describeRun(result)).toBe(0);
    // Its own Vault: already added, and synced with the others because it never was.
    expect(doc.find((r) => r.vaultId === 918_001)).toMatchObject({
      added: true,
      status: 'already-added',
      connection: 'Initrode main',
      synced: true,
      tokens: 2,
    });
    for (const id of [918_002, 918_003, 918_004, 918_005]) {
      expect(doc.find((r) => r.vaultId === id)).toMatchObject({
        added: true,
        status: 'added',
        connection: `Initrode ${id - 918_000}`,
        synced: true,
        tokens: 2,
        message: null,
      });
    }
    const { doc: list } = await cli.json<
      { name: string; username: string; secretStored: boolean; client: string | null }[]
    >(['connection', 'list']);
    expect(list.map((c) => c.name).sort()).toEqual([
      'Initrode 2',
      'Initrode 3',
      'Initrode 4',
      'Initrode 5',
      'Initrode main',
    ]);
    for (const c of list) expect(c).toMatchObject({ username: USER, secretStored: true });
    // --client puts the new ones in a client group; the source keeps its own (none here).
    expect(list.filter((c) => c.client === 'Initrode').map((c) => c.name)).toHaveLength(4);
    expect(list.find((c) => c.name === 'Initrode main')!.client).toBeNull();
    // One keychain item for the five connections.
    expect(await store.get(ACCOUNT)).toBe(PASSWORD);
    const { doc: tokens } = await cli.json<{ connection: string }[]>(['token', 'list']);
    // The source was never synced: it is synced with them, so all five have their tokens.
    expect(new Set(tokens.map((t) => t.connection)).size).toBe(5);
  });

  it('after --add every Vault reads as added, and --add again adds nothing', async () => {
    const { doc } = await cli.json<DiscoverRow[]>(['connection', 'discover', 'Initrode 4']);
    expect(doc.every((r) => r.added)).toBe(true);
    const again = await cli.run(['connection', 'discover', 'Initrode 4', '--add']);
    expect(again.code, describeRun(again)).toBe(0);
    expect(stripAnsi(again.stdout).match(/already added/g)).toHaveLength(5);
  });

  it('removing one keeps the shared sign-in for the others, and says so', async () => {
    const r = await cli.run(['connection', 'remove', 'Initrode 2']);
    expect(r.code, describeRun(r)).toBe(0);
    expect(r.stdout).toBe(
      'Removed connection “Initrode 2”; its saved sign-in stays for the 4 other connections that use it.\n',
    );
    expect(await store.get(ACCOUNT)).toBe(PASSWORD);
  });

  it('an unknown connection name is one error line, exit 1', async () => {
    const r = await cli.run(['connection', 'discover', 'Nope']);
    expect(r.code, describeRun(r)).toBe(1);
    expect(r.stderr.trim()).toMatch(/^error: No connection is named “Nope”\.$/);
  });
});
