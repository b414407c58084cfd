/**
 * `token delivery add | list | remove` and `token deliver` (issue 16 item 3) as a script runs
 * them: the built `vault-token-desk` as a child process, against the fake Vault over HTTPS, with
 * the real OS keychain (a private GNOME Keyring under `npm test`) and stdin piped. A token is
 * generated for real first, so its value is in the keychain as in use.
 *
 * Run alone:
 *   dbus-run-session -- bash test/with-keyring.sh npx vitest run -c test/vitest.config.mts test/integration/cli-deliveries.test.ts
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyringSecretStore } from '../../electron/secrets/keyring-store';
import { databasePath } from '../../electron/paths';
import {
  DELIVER_JSON_FIELDS,
  DELIVERY_JSON_FIELDS,
  DELIVERY_OUTCOME_JSON_FIELDS,
  type DeliveryJson,
} from '../../electron/cli/commands/delivery';
import { startFakeVault, type FakeVault } from '../fake-vault/index';
import { realKeychain } from '../helpers/keychain';
import { tempDir } from '../helpers/temp-dir';
import { buildCli, CliRunner, describeRun, type CliResult } from '../helpers/cli-runner';

const keychain = await realKeychain();

const RECORD = resolve(__dirname, '../fixtures/deliveries/record-stdin.cjs');
/** Unusual ids so that cleanup can never touch a real Vault's keychain items. */
const VAULT_ID = 919_016;
const ADMIN = 'deliver.admin@example.com';
const PASSWORD = `Deliver-Pw-${Math.random().toString(36).slice(2)}-Unmistakable!`;

interface DeliverJson {
  connection: string;
  tokenId: string;
  tokenName: string;
  ok: boolean;
  deliveries: {
    id: number;
    kind: string;
    label: string;
    status: string;
    exitCode: number | null;
    message: string | null;
  }[];
}

function parseJson<T>(r: CliResult): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`not one JSON document:\n${describeRun(r)}`);
  }
}

function expectUsage(r: CliResult, pattern: RegExp): void {
  expect(r.code, describeRun(r)).toBe(2);
  expect(r.stdout, describeRun(r)).toBe('');
  expect(r.stderr.split('\n')[0], describeRun(r)).toMatch(pattern);
}

describe.skipIf(!keychain.available)(
  'vault-token-desk token delivery / deliver (built bin, fake Vault, real keychain)',
  () => {
    const store = new KeyringSecretStore(); // the CLI's own service name
    const dir = tempDir('vtd-cli-deliveries-');
    const dataDir = join(dir.path, 'data');
    const work = join(dir.path, 'work');
    let fake: FakeVault;
    let cli: CliRunner;
    let connectionId = '';
    let tokenId = '';
    let value = '';
    const ids = { dotenv: 0, command: 0, failing: 0 };

    /** Global flags go before the command: everything after `--` belongs to the delivery's command. */
    const json = async <T>(args: string[]) => {
      const r = await cli.run(['--json', ...args]);
      return { r, doc: r.code === 2 ? (null as T) : parseJson<T>(r) };
    };

    beforeAll(async () => {
      mkdirSync(work, { recursive: true });
      await buildCli();
      fake = await startFakeVault({
        vaults: [{ id: VAULT_ID, name: 'Deliveries Vault', createdAt: new Date('2018-01-01T00:00:00Z') }],
        users: [
          {
            id: 72_016,
            username: ADMIN,
            password: PASSWORD,
            securityProfile: 'vault_owner__v',
            vaults: [VAULT_ID],
            timezone: 'UTC',
          },
        ],
      });
      cli = new CliRunner(dataDir, { NODE_EXTRA_CA_CERTS: fake.caPath, TZ: 'UTC' });
      const added = await cli.run(
        ['connection', 'add', 'Acme', '--dns', fake.vaults[0]!.dns, '--username', ADMIN, '--password-stdin'],
        { stdin: `${PASSWORD}\n` },
      );
      expect(added.code, describeRun(added)).toBe(0);
      const listed = parseJson<{ name: string; id: string }[]>(await cli.run(['--json', 'connection', 'list']));
      connectionId = listed.find((c) => c.name === 'Acme')!.id;
      const generated = await cli.run([
        '--json',
        'token',
        'generate',
        '--connection',
        'Acme',
        '--me',
        '--name',
        'Nightly ETL',
      ]);
      expect(generated.code, describeRun(generated)).toBe(0);
      const doc = parseJson<{ tokenId: string; value: string }>(generated);
      tokenId = doc.tokenId;
      value = doc.value;
      expect(value).toMatch(/^veeva-vault-/);
    });

    afterAll(async () => {
      try {
        for (const account of await store.list())
          if (
            account.startsWith(`connection/${connectionId}/`) ||
            account === `token/${VAULT_ID}/${tokenId}` ||
            (account.startsWith('signin/') && account.endsWith(`/${ADMIN}`))
          )
            await store.delete(account);
      } finally {
        await fake?.close();
        dir.cleanup();
      }
    });

    it('adds a dotenv delivery with --json: the frozen fields', async () => {
      const file = join(work, 'etl.env');
      const { r, doc } = await json<DeliveryJson>([
        'token',
        'delivery',
        'add',
        '--connection',
        'Acme',
        tokenId,
        '--dotenv',
        file,
        '--key',
        'VAULT_TOKEN',
      ]);
      expect(r.code, describeRun(r)).toBe(0);
      expect(Object.keys(doc)).toEqual([...DELIVERY_JSON_FIELDS]);
      expect(doc).toMatchObject({
        connection: 'Acme',
        tokenId,
        tokenName: 'Nightly ETL',
        kind: 'dotenv',
        label: file,
        file,
        key: 'VAULT_TOKEN',
        argv: null,
        shell: false,
        timeoutSeconds: null,
        lastRunAt: null,
        lastStatus: null,
      });
      ids.dotenv = doc.id;
    });

    it('adds a command delivery: every word after -- is its argv, options included', async () => {
      const out = join(work, 'recorded.json');
      const { r, doc } = await json<DeliveryJson>([
        'token',
        'delivery',
        'add',
        '--connection',
        'Acme',
        tokenId,
        '--timeout',
        '30',
        '--command',
        '--',
        process.execPath,
        RECORD,
        out,
        '--stderr',
        'set VAULT_TOKEN for acme/etl',
      ]);
      expect(r.code, describeRun(r)).toBe(0);
      expect(doc).toMatchObject({
        kind: 'command',
        label: process.execPath,
        argv: [process.execPath, RECORD, out, '--stderr', 'set VAULT_TOKEN for acme/etl'],
        shell: false,
        timeoutSeconds: 30,
        file: null,
        key: null,
      });
      ids.command = doc.id;
    });

    it('prints a plain line without --json', async () => {
      const r = await cli.run([
        'token',
        'delivery',
        'add',
        '--connection',
        'Acme',
        tokenId,
        '--command',
        '--',
        process.execPath,
        RECORD,
        join(work, 'failing.json'),
        '--exit',
        '4',
        '--echo-stdin-to-stderr',
      ]);
      expect(r.code, describeRun(r)).toBe(0);
      expect(r.stdout).toMatch(
        /^Added delivery (\d+) of “Nightly ETL” \(\w+\) on “Acme”: .*record-stdin\.cjs .*--exit 4/,
      );
      expect(r.stdout).toContain(`token deliver --connection Acme ${tokenId}`);
      ids.failing = Number(/^Added delivery (\d+)/.exec(r.stdout)![1]);
    });

    it('lists deliveries as JSON, by token (with or without --connection) and by connection', async () => {
      for (const args of [[tokenId], ['--connection', 'Acme', tokenId], ['--connection', 'Acme'], []]) {
        const { r, doc } = await json<DeliveryJson[]>(['token', 'delivery', 'list', ...args]);
        expect(r.code, describeRun(r)).toBe(0);
        expect(doc.map((d) => d.id)).toEqual([ids.dotenv, ids.command, ids.failing]);
        for (const d of doc) expect(Object.keys(d)).toEqual([...DELIVERY_JSON_FIELDS]);
      }
      const human = await cli.run(['token', 'delivery', 'list']);
      expect(human.code, describeRun(human)).toBe(0);
      expect(human.stdout.split('\n')[0]).toMatch(
        /^ID\s+CONNECTION\s+TOKEN ID\s+NAME\s+KIND\s+TARGET\s+LAST RUN\s+RESULT$/,
      );
      expect(human.stdout).toMatch(/VAULT_TOKEN in .*etl\.env\s+—\s+not run yet/);
    });

    it('delivers now: every target runs, the failure is reported, and the exit status is 1', async () => {
      const { r, doc } = await json<DeliverJson>(['token', 'deliver', '--connection', 'Acme', tokenId]);
      expect(r.code, describeRun(r)).toBe(1);
      expect(Object.keys(doc)).toEqual([...DELIVER_JSON_FIELDS]);
      expect(doc).toMatchObject({ connection: 'Acme', tokenId, tokenName: 'Nightly ETL', ok: false });
      expect(doc.deliveries.map((d) => [d.id, d.kind, d.status])).toEqual([
        [ids.dotenv, 'dotenv', 'ok'],
        [ids.command, 'command', 'ok'],
        [ids.failing, 'command', 'failed'],
      ]);
      for (const d of doc.deliveries) expect(Object.keys(d)).toEqual([...DELIVERY_OUTCOME_JSON_FIELDS]);
      expect(doc.deliveries[2]).toMatchObject({
        exitCode: 4,
        message: 'exit 4: refused the secret veeva-vault-[REDACTED]',
      });
      const errors = r.stderr.split('\n').filter((l) => l.startsWith('error:'));
      expect(errors).toEqual([expect.stringMatching(/^error: 1 of 3 deliveries of \w+ failed: command .*: exit 4/)]);

      const file = join(work, 'etl.env');
      expect(readFileSync(file, 'utf8')).toBe(`VAULT_TOKEN=${value}\n`);
      if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
      const seen = JSON.parse(readFileSync(join(work, 'recorded.json'), 'utf8')) as {
        sha256: string;
        argv: string[];
        env: Record<string, string>;
      };
      expect(seen.sha256).toBe(createHash('sha256').update(value).digest('hex'));
      expect(seen.argv.join('\u0000')).not.toContain(value);
      expect(JSON.stringify(seen.env)).not.toContain(value);
    });

    it('records each outcome for `token delivery list`', async () => {
      const { doc } = await json<DeliveryJson[]>(['token', 'delivery', 'list', tokenId]);
      expect(doc.map((d) => [d.lastStatus, d.lastExitCode])).toEqual([
        ['ok', null],
        ['ok', 0],
        ['failed', 4],
      ]);
      for (const d of doc) expect(Number.isNaN(Date.parse(d.lastRunAt ?? ''))).toBe(false);
    });

    it('removes deliveries by id; an unknown id fails with exit 1 after the others are removed', async () => {
      const { r, doc } = await json<{ id: number; removed: boolean }[]>([
        'token',
        'delivery',
        'remove',
        String(ids.failing),
        '999999',
      ]);
      expect(r.code, describeRun(r)).toBe(1);
      expect(doc).toEqual([
        { id: ids.failing, removed: true, message: null },
        { id: 999_999, removed: false, message: 'There is no delivery 999999.' },
      ]);
      const after = await json<DeliverJson>(['token', 'deliver', '--connection', 'Acme', tokenId]);
      expect(after.r.code, describeRun(after.r)).toBe(0);
      expect(after.doc.ok).toBe(true);
      expect(after.doc.deliveries.map((d) => d.id)).toEqual([ids.dotenv, ids.command]);
      const human = await cli.run(['token', 'deliver', '--connection', 'Acme', tokenId]);
      expect(human.code, describeRun(human)).toBe(0);
      expect(human.stdout).toMatch(new RegExp(`^delivered  ${ids.dotenv}  dotenv  .*etl\\.env\\n`));
    });

    it.each([
      ['--command without --', ['--command'], /--command takes the program after --/],
      ['words after -- without --command', ['--', 'gh'], /the words after -- are for --command/],
      ['--dotenv without --key', ['--dotenv', '/tmp/x.env'], /missing --key VAR/],
      ['both kinds', ['--dotenv', '/tmp/x.env', '--key', 'K', '--command', '--', 'gh'], /cannot be used together/],
      ['no target', [], /say where to deliver/],
      ['a bad variable name', ['--dotenv', '/tmp/x.env', '--key', 'BAD-NAME'], /--key: Use letters, digits and _ only/],
      ['a bad timeout', ['--timeout', '0', '--command', '--', 'gh'], /--timeout takes whole seconds from 1 to 3600/],
      ['--shell with --dotenv', ['--shell', '--dotenv', '/tmp/x.env', '--key', 'K'], /--shell is for --command/],
    ])('refuses %s with a usage error (exit 2)', async (_label, extra, pattern) => {
      const r = await cli.run(['token', 'delivery', 'add', '--connection', 'Acme', tokenId, ...extra]);
      expectUsage(r, pattern);
    });

    it('says plainly when the token is not in the inventory', async () => {
      const r = await cli.run(['token', 'deliver', '--connection', 'Acme', 'NOPE000']);
      expect(r.code, describeRun(r)).toBe(1);
      expect(r.stderr).toMatch(/^error: token NOPE000 is not in the inventory of “Acme”/);
    });

    it('never prints the value, outside `token generate`, nor writes it to SQLite', () => {
      for (const run of cli.runs) {
        if (run.args.includes('generate')) continue;
        expect(run.stdout + run.stderr, describeRun(run)).not.toContain(value);
      }
      const db = databasePath(dataDir);
      for (const file of [db, `${db}-wal`, `${db}-shm`].filter(existsSync))
        expect(readFileSync(file).includes(Buffer.from(value)), file).toBe(false);
    });
  },
);
