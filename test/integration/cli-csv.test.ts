/**
 * Issue 15 in the CLI, in-process through `run()` against the fake Vault (as cli-terminal.test.ts
 * does): `connection import / export` (CSV, no secrets), `connection add / edit --client --env`,
 * `connection list --json`, and the `--client` / `--env` filters of `token list`, `token sync`
 * and `expiring`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../electron/cli/main';
import type { CliIO } from '../../electron/cli/io';
import { MemorySecretStore } from '../../electron/secrets/memory-store';
import { startFakeVault, type FakeVault } from '../fake-vault/index';
import { tempDir } from '../helpers/temp-dir';
import { cliTestContext } from '../helpers/context';

const PASSWORD = 'Csv-Passw0rd!-Unmistakable';
const USERNAME = 'csv.admin@example.com';

function pipe(input = ''): { io: CliIO; stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  const stdin = Object.assign(new PassThrough(), { isTTY: false });
  stdin.end(input);
  return {
    io: {
      stdin,
      stdout: { isTTY: false, write: (chunk: string) => ((out += chunk), true) },
      stderr: { isTTY: false, columns: 200, write: (chunk: string) => ((err += chunk), true) } as CliIO['stderr'],
      env: {},
      now: () => new Date(),
    },
    stdout: () => out,
    stderr: () => err,
  };
}

describe('vault-token-desk client groups and connections CSV', () => {
  const dir = tempDir('vtd-cli-csv-');
  const secrets = new MemorySecretStore();
  let fake: FakeVault;
  const dns: string[] = [];
  const cli = async (argv: string[], input = '') => {
    const p = pipe(input);
    const code = await run(['--data-dir', join(dir.path, 'data'), ...argv], p.io, {
      createContext: cliTestContext(secrets, () => fake),
    });
    return { code, stdout: p.stdout(), stderr: p.stderr() };
  };
  const listJson = async (...flags: string[]) =>
    JSON.parse((await cli(['--json', 'connection', 'list', ...flags])).stdout) as Record<string, unknown>[];

  beforeAll(async () => {
    fake = await startFakeVault({
      vaults: [
        { id: 931_001, name: 'Acme QA' },
        { id: 931_002, name: 'Acme PROD' },
        { id: 931_003, name: 'Globex DEV' },
      ],
      users: [
        {
          id: 73_001,
          username: USERNAME,
          password: PASSWORD,
          securityProfile: 'vault_owner__v',
          vaults: [931_001, 931_002, 931_003],
        },
      ],
    });
    for (const v of fake.vaults) dns.push(v.dns);
    const soon = new Date(Date.now() + 5 * 86_400_000);
    for (const vault of [931_001, 931_002, 931_003])
      fake.state.createToken({ vault, user: 73_001, name: `Nightly ${vault}`, expiresAt: soon });
  });
  afterAll(async () => {
    await fake?.close();
    dir.cleanup();
  });

  it('connection add takes --client and --env; list --json has them; a bad --env is a usage error', async () => {
    const added = await cli(
      [
        'connection',
        'add',
        'Acme QA',
        '--dns',
        dns[0]!,
        '--username',
        USERNAME,
        '--client',
        ' Acme ',
        '--env',
        'qa',
        '--password-stdin',
      ],
      `${PASSWORD}\n`,
    );
    expect(added.code, added.stderr).toBe(0);
    const bad = await cli(['connection', 'add', 'X', '--dns', dns[1]!, '--username', USERNAME, '--env', 'staging']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--env takes one of DEV, QA, UAT, PROD, sandbox, other, not “staging”/);
    const [row] = await listJson();
    expect(row).toMatchObject({ name: 'Acme QA', client: 'Acme', environment: 'QA', secretStored: true });
  });

  it('connection import --dry-run shows every bad row and writes nothing', async () => {
    const file = join(dir.path, 'bad.csv');
    writeFileSync(
      file,
      [
        'name;dns;username;sign-in method;client;environment',
        `Acme PROD;${dns[1]};${USERNAME};password;Acme;PROD`,
        `Broken;not a host!;${USERNAME};password;Acme;QA`,
        `acme prod;${dns[1]};${USERNAME};password;Acme;PROD`,
        `Acme QA;${dns[0]};${USERNAME};kerberos;Acme;QA`,
        `Odd env;${dns[2]};${USERNAME};;Globex;staging`,
      ].join('\r\n'),
    );
    const r = await cli(['connection', 'import', file, '--dry-run']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^LINE\s+NAME\s+DNS\s+RESULT\s+PROBLEM/);
    expect(r.stdout).toMatch(/2\s+Acme PROD\s+\S+\s+ok/);
    expect(r.stdout).toMatch(/3\s+Broken.*error/);
    expect(r.stdout).toMatch(/4\s+acme prod.*Line 2 has the same name/);
    expect(r.stdout).toMatch(/5\s+Acme QA.*A connection named “Acme QA” already exists\./);
    expect(r.stdout).toMatch(/Unknown sign-in method “kerberos”/);
    expect(r.stdout).toMatch(/6\s+Odd env.*Unknown environment “staging”/);
    expect(r.stderr).toMatch(/error: 4 rows of 5 in .*bad\.csv have errors \(see above\); nothing was imported\n/);
    expect((await listJson()).map((c) => c.name)).toEqual(['Acme QA']);

    // Without --dry-run a bad row still stops the whole file; --json gives one document per row.
    const json = await cli(['--json', 'connection', 'import', file]);
    expect(json.code).toBe(1);
    const doc = JSON.parse(json.stdout) as { imported: number; invalid: number; rows: { line: number; ok: boolean }[] };
    expect(doc).toMatchObject({ imported: 0, valid: 1, invalid: 4 });
    expect(doc.rows.map((x) => [x.line, x.ok])).toEqual([
      [2, true],
      [3, false],
      [4, false],
      [5, false],
      [6, false],
    ]);
    expect(json.stderr).toMatch(/add --skip-invalid to import the other rows/);
    expect((await listJson()).map((c) => c.name)).toEqual(['Acme QA']);
  });

  it('connection import adds the good rows without secrets; --skip-invalid leaves the bad ones out', async () => {
    const file = join(dir.path, 'good.csv');
    writeFileSync(
      file,
      `\uFEFFname,dns,username,client,environment,extra\nAcme PROD,${dns[1]},${USERNAME},acme,production,x\n"Globex, DEV",${dns[2]},${USERNAME},Globex,DEV,\nNope,,${USERNAME},,,\n`,
    );
    const r = await cli(['connection', 'import', file, '--skip-invalid']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Imported 2 connections from .*good\.csv \(1 row skipped\)\. None has a secret yet/);
    expect(r.stderr).toMatch(/note: column “extra” is not a connection field; ignored/);
    expect(r.stderr).toMatch(/skipped line 4: /);
    const all = await listJson();
    expect(all.map((c) => [c.name, c.client, c.environment, c.secretStored])).toEqual([
      ['Acme PROD', 'acme', 'PROD', false],
      ['Acme QA', 'Acme', 'QA', true],
      ['Globex, DEV', 'Globex', 'DEV', false],
    ]);
  });

  it('connection edit changes the client and environment and keeps the remembered password', async () => {
    const r = await cli(['connection', 'edit', 'Acme PROD', '--client', 'Acme']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('Updated connection “Acme PROD”: client Acme, environment PROD, API v26.2.\n');
    expect((await cli(['connection', 'edit', 'Acme PROD'])).code).toBe(2);
    const qa = (await listJson('--client', 'ACME', '--env', 'QA'))[0]!;
    expect(qa).toMatchObject({ name: 'Acme QA', secretStored: true });
    expect((await listJson('--client', 'acme')).map((c) => c.name)).toEqual(['Acme PROD', 'Acme QA']);
    // The table sorts by client, then environment (DEV → PROD), and shows both.
    const table = (await cli(['connection', 'list'])).stdout.split('\n');
    expect(table[0]).toMatch(/^NAME\s+CLIENT\s+ENV\s+DNS\s+USER/);
    expect(table.slice(1, 4).map((l) => l.split(/\s{2,}/).slice(0, 3))).toEqual([
      ['Acme QA', 'Acme', 'QA'],
      ['Acme PROD', 'Acme', 'PROD'],
      ['Globex, DEV', 'Globex', 'DEV'],
    ]);
  });

  it('token sync --client syncs only that client; token list and expiring filter by client and environment', async () => {
    // Imported connections have no secret: give them one the documented way.
    for (const [name, i] of [
      ['Acme PROD', 1],
      ['Globex, DEV', 2],
    ] as const) {
      const again = await cli(
        ['connection', 'add', name, '--dns', dns[i]!, '--username', USERNAME, '--password-stdin'],
        `${PASSWORD}\n`,
      );
      expect(again.code, again.stderr).toBe(0);
    }
    const sync = await cli(['--json', 'token', 'sync', '--client', 'acme']);
    expect(sync.code, sync.stderr).toBe(0);
    expect((JSON.parse(sync.stdout) as { connection: string }[]).map((o) => o.connection)).toEqual([
      'Acme PROD',
      'Acme QA',
    ]);
    const connectionsOf = async (argv: string[]) =>
      (JSON.parse((await cli(['--json', ...argv])).stdout) as { connection: string }[]).map((t) => t.connection).sort();
    expect(await connectionsOf(['token', 'list'])).toEqual(['Acme PROD', 'Acme QA']);
    expect(await connectionsOf(['token', 'list', '--env', 'prod'])).toEqual(['Acme PROD']);
    expect(await connectionsOf(['expiring', '--within', '30', '--client', 'Acme', '--env', 'QA,UAT'])).toEqual([
      'Acme QA',
    ]);
    expect((await cli(['token', 'sync', '--env', 'DEV'])).code).toBe(0);
    expect(await connectionsOf(['token', 'list', '--client', 'Globex'])).toEqual(['Globex, DEV']);

    const typo = await cli(['token', 'list', '--client', 'Acne']);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toBe('error: no connection has client “Acne”; clients: Acme, Globex\n');
    const outside = await cli(['token', 'sync', '--connection', 'Acme QA', '--env', 'PROD']);
    expect([outside.code, outside.stderr]).toEqual([
      1,
      'error: “Acme QA” is not in the --client / --env group asked for\n',
    ]);
    const badEnv = await cli(['expiring', '--env', 'live']);
    expect(badEnv.code).toBe(2);
  });

  it('connection export writes the same columns back, never a secret, with formulas defused', async () => {
    expect((await cli(['connection', 'edit', 'Acme QA', '--client', '=HYPERLINK("http://x")'])).code).toBe(0);
    const r = await cli(['connection', 'export']);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('name,dns,username,sign-in method,client,environment,api version,client id\r\n')).toBe(
      true,
    );
    expect(r.stdout).toContain(
      `Acme QA,${dns[0]},${USERNAME},password,"'=HYPERLINK(""http://x"")",QA,v26.2,vault-token-desk\r\n`,
    );
    expect(r.stdout).toContain(`"Globex, DEV",${dns[2]},${USERNAME},password,Globex,DEV,v26.2,vault-token-desk\r\n`);
    expect(r.stdout).not.toContain(PASSWORD);

    const out = join(dir.path, 'export.csv');
    const json = await cli(['--json', 'connection', 'export', '--output', out]);
    expect(JSON.parse(json.stdout)).toEqual({ file: out, connections: 3 });
    expect(readFileSync(out, 'utf8')).toBe(`\uFEFF${r.stdout}`);
    // Read back, the guarded cell is text again and every name is taken.
    const dry = await cli(['--json', 'connection', 'import', out, '--dry-run']);
    const rows = (JSON.parse(dry.stdout) as { rows: { errors: string[] }[] }).rows;
    expect(rows.map((x) => x.errors)).toEqual([
      ['A connection named “Acme PROD” already exists.'],
      ['A connection named “Acme QA” already exists.'],
      ['A connection named “Globex, DEV” already exists.'],
    ]);
    expect((await cli(['--json', 'connection', 'export'])).code).toBe(2);
  });
});
