/**
 * The CLI's pure parts, in-process: the frozen JSON field names, the
 * command-line parser (strict parseArgs, exit-2 cases), tables and dates,
 * colour rules, and reading secrets from stdin or a no-echo prompt.
 */
import { connectionFixture } from '../helpers/connection-fixture';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../electron/cli/args';
import { COMMANDS } from '../../electron/cli/commands';
import { describeAppError, describeFailure, UsageError } from '../../electron/cli/errors';
import { formatExpiry, palette, table, visibleWidth } from '../../electron/cli/format';
import { colourEnabled, type CliInput, type CliOutput } from '../../electron/cli/io';
import {
  CONNECTION_JSON_FIELDS,
  connectionToJson,
  TOKEN_JSON_FIELDS,
  tokenToJson,
  tokenWithValueToJson,
  GENERATE_MANY_JSON_FIELDS,
  generateManyToJson,
} from '../../electron/cli/json';
import { promptHidden, readSecretFromStdin, stripOneNewline } from '../../electron/cli/secrets';
import { ROTATION_JSON_FIELDS, rotationToJson } from '../../electron/cli/rotation-json';
import { topUsage, usageHint } from '../../electron/cli/usage';
import { AppError } from '../../shared/errors';
import type { Connection } from '../../shared/domain';
import type { TokenRow } from '../../shared/tokens';
import { stripAnsi } from '../../shared/control-chars';

const row: TokenRow = {
  rowId: 7,
  connectionId: 'c-1',
  connectionName: 'QA Vault',
  sandboxName: null,
  vaultId: 1776,
  vaultDns: 'qa.veevavault.com',
  tokenId: '0PI000000000101',
  name: 'Nightly ETL',
  userId: '61603',
  userName: 'Avery Admin',
  status: 'expiring',
  expiresAt: '2027-01-31T04:59:59.000Z',
  daysLeft: 12,
  lastUsedAt: '2027-01-18T10:00:00.000Z',
  createdAt: '2026-12-01T00:00:00.000Z',
  secretStored: true,
  source: 'generated',
  readOnly: false,
  revokedAt: null,
  lastSyncedAt: '2027-01-19T00:00:00.000Z',
  userActiveCount: 3,
};

describe('CLI JSON output (frozen field names)', () => {
  it('token rotate rows have exactly these fields, in this order', () => {
    // Scripts read these: add at the end only, never rename.
    expect([...ROTATION_JSON_FIELDS]).toEqual([
      'connection',
      'tokenId',
      'name',
      'ok',
      'state',
      'failedStep',
      'stepsDone',
      'replacementTokenId',
      'oldRevoked',
      'delivered',
      'message',
      'advice',
      'vaultErrorType',
      'old',
      'replacement',
    ]);
    expect(Object.isFrozen(ROTATION_JSON_FIELDS)).toBe(true);
    const failed = rotationToJson(
      {
        rowId: row.rowId,
        tokenId: row.tokenId,
        name: row.name,
        connectionId: row.connectionId,
        connectionName: row.connectionName,
        state: 'failed',
        step: 'verify',
        stepsDone: ['generate', 'store', 'deliver'],
        replacementRowId: null,
        replacementTokenId: 'NEW1',
        oldRevoked: false,
        delivered: 0,
        message: 'Vault refused it.',
        advice: 'Revoke one.',
        vaultErrorType: 'INVALID_SESSION_ID',
      },
      row,
      null,
    );
    expect(Object.keys(failed)).toEqual([...ROTATION_JSON_FIELDS]);
    expect(failed).toMatchObject({ ok: false, failedStep: 'verify', old: tokenToJson(row), replacement: null });
  });

  it('token rows have exactly these fields, in this order', () => {
    // Changing this list breaks consultants' scripts: add at the end only, never rename.
    expect([...TOKEN_JSON_FIELDS]).toEqual([
      'connection',
      'vaultDns',
      'tokenId',
      'name',
      'userId',
      'status',
      'expiresAt',
      'lastUsedAt',
      'secretStored',
    ]);
    expect(Object.isFrozen(TOKEN_JSON_FIELDS)).toBe(true);
    const json = tokenToJson(row);
    expect(Object.keys(json)).toEqual([...TOKEN_JSON_FIELDS]);
    expect(json).toEqual({
      connection: 'QA Vault',
      vaultDns: 'qa.veevavault.com',
      tokenId: '0PI000000000101',
      name: 'Nightly ETL',
      userId: '61603',
      status: 'expiring',
      expiresAt: '2027-01-31T04:59:59.000Z',
      lastUsedAt: '2027-01-18T10:00:00.000Z',
      secretStored: true,
    });
  });

  it('keeps internal fields (row id, keychain account parts, user counts) out', () => {
    const text = JSON.stringify(tokenToJson(row));
    for (const internal of ['rowId', 'connectionId', 'vaultId', 'userActiveCount', 'readOnly', 'source'])
      expect(text).not.toContain(`"${internal}"`);
  });

  it('writes expiry and last use as ISO 8601 UTC, or null', () => {
    const never = tokenToJson({ ...row, expiresAt: null, lastUsedAt: null, status: 'active' });
    expect(never.expiresAt).toBeNull();
    expect(never.lastUsedAt).toBeNull();
    expect(tokenToJson({ ...row, expiresAt: '2027-01-31T04:59:59Z' }).expiresAt).toBe('2027-01-31T04:59:59.000Z');
  });

  it('generate adds the value as the last field', () => {
    expect(Object.keys(tokenWithValueToJson(row, 'veeva-vault-X'))).toEqual([...TOKEN_JSON_FIELDS, 'value']);
  });

  it('generate across Vaults: one object per Vault, the value only on success', () => {
    expect([...GENERATE_MANY_JSON_FIELDS]).toEqual(['connection', 'ok', 'tokenId', 'value', 'error']);
    const good = generateManyToJson({ connection: 'QA', tokenId: '0PI1', value: 'veeva-vault-X', error: null });
    expect(good).toEqual({ connection: 'QA', ok: true, tokenId: '0PI1', value: 'veeva-vault-X', error: null });
    expect(Object.keys(good)).toEqual([...GENERATE_MANY_JSON_FIELDS]);
    const bad = generateManyToJson({ connection: 'Prod', tokenId: null, value: null, error: 'Vault refused: no (X)' });
    expect(bad).toEqual({ connection: 'Prod', ok: false, tokenId: null, error: 'Vault refused: no (X)' });
    // A value that came with an error (read back failed after minting) is never printed as a success.
    expect(generateManyToJson({ connection: 'Q', tokenId: '0PI2', value: 'v', error: 'later' })).not.toHaveProperty(
      'value',
    );
  });

  it('connection rows have stable fields and never a secret', () => {
    const c: Connection = connectionFixture({ client: 'Acme', environment: 'QA' });
    const json = connectionToJson(c, {
      connectionId: 'c-1',
      loginUserId: '61603',
      vaultId: 1776,
      vaultName: 'QA',
      lastSyncedAt: '2027-01-19T00:00:00.000Z',
      lastSyncError: null,
      lastCheckedAt: null,
      reachable: true,
      seesAllTokens: true,
    });
    expect(Object.keys(json)).toEqual([...CONNECTION_JSON_FIELDS]);
    expect(json).toMatchObject({
      name: 'QA Vault',
      vaultId: 1776,
      vaultName: 'QA',
      secretStored: true,
      client: 'Acme',
      environment: 'QA',
    });
  });
});

describe('CLI command line', () => {
  const ok = (argv: string[]) => {
    const parsed = parseCommandLine(argv);
    if (parsed.kind !== 'run') throw new Error(`expected a command, got ${parsed.kind}`);
    return parsed;
  };
  const usage = (argv: string[]): UsageError => {
    try {
      parseCommandLine(argv);
    } catch (error) {
      if (error instanceof UsageError) return error;
      throw error;
    }
    throw new Error(`expected a usage error for ${argv.join(' ')}`);
  };

  it('takes global flags before or after the command', () => {
    expect(ok(['--json', '--data-dir', '/tmp/x', 'token', 'list'])).toMatchObject({
      json: true,
      dataDir: '/tmp/x',
      spec: { name: 'token list' },
    });
    expect(ok(['token', 'list', '--json', '--data-dir=/tmp/y'])).toMatchObject({ json: true, dataDir: '/tmp/y' });
    expect(ok(['expiring'])).toMatchObject({ json: false, dataDir: undefined, spec: { name: 'expiring' } });
  });

  it('collects repeatable flags and positionals', () => {
    const p = ok(['token', 'revoke', '--connection', 'QA', 'A1', 'A2', '--', '-weird-id']);
    expect(p.values.connection).toBe('QA');
    expect(p.positionals).toEqual(['A1', 'A2', '-weird-id']);
    expect(ok(['token', 'list', '--status', 'active', '--status', 'revoked']).values.status).toEqual([
      'active',
      'revoked',
    ]);
  });

  it('takes --connection repeatedly for token generate, names with commas kept whole', () => {
    const p = ok(['token', 'generate', '--connection', 'Acme, QA', '--connection', 'Beta', '--me', '--name', 'N']);
    expect(p.values.connection).toEqual(['Acme, QA', 'Beta']);
    expect(ok(['token', 'generate', '--connection', 'Solo', '--me', '--name', 'N']).values.connection).toEqual([
      'Solo',
    ]);
    expect(parseCommandLine(['token', 'generate', '--help'])).toMatchObject({
      kind: 'help',
      text: expect.stringMatching(/repeat it to generate in several Vaults[\s\S]*connection, ok, tokenId, value/),
    });
  });

  it('answers help and version without running anything', () => {
    expect(parseCommandLine(['--help'])).toEqual({ kind: 'help', text: topUsage() });
    expect(parseCommandLine(['-h'])).toMatchObject({ kind: 'help' });
    expect(parseCommandLine(['help', 'token', 'rotate'])).toMatchObject({
      kind: 'help',
      text: expect.stringContaining('Usage: vault-token-desk token rotate'),
    });
    expect(parseCommandLine(['token', '--help'])).toMatchObject({
      kind: 'help',
      text: expect.stringContaining('token generate'),
    });
    expect(parseCommandLine(['token', 'generate', '--help'])).toMatchObject({
      kind: 'help',
      text: expect.stringContaining('--never'),
    });
    expect(parseCommandLine(['--version'])).toEqual({ kind: 'version' });
  });

  it.each([
    [['bogus'], /unknown command "bogus"/],
    [['token', 'bogus'], /unknown command "token bogus"/],
    [['token', 'list', '--nope'], /unknown option --nope/],
    [
      ['connection', 'add', 'X', '--dns', 'd', '--username', 'u', '--password', 'hunter2'],
      /unknown option --password .*--password-stdin/,
    ],
    [['connection', 'add', 'X', '--dns', 'd', '--username', 'u', '--password=hunter2'], /unknown option --password /],
    [['connection', 'add'], /missing NAME/],
    [['connection', 'test', 'A', 'B'], /too many arguments/],
    [['token', 'list', '--json', '--json'], /--json given more than once/],
    [['--json', 'token', 'list', '--json'], /--json given more than once/],
    [['token', 'list', '--connection'], /--connection is missing its value/],
    [['token', 'list', '--connection', '--json'], /--connection is missing its value/],
    [['expiring', '--fail-if-any=1'], /does not take a value/],
    [['--data-dir'], /--data-dir is missing its value/],
    [['token', 'list', '--data-dir', ' '], /--data-dir needs a directory/],
  ])('%j is a usage error', (argv, pattern) => {
    expect(usage(argv).message).toMatch(pattern);
  });

  it('never repeats a value that might be a secret', () => {
    for (const argv of [
      ['connection', 'add', 'X', '--dns', 'd', '--username', 'u', '--password=hunter2-secret'],
      ['hunter2-secret!'],
      ['token', 'hunter2 secret'],
      ['connection', 'list', 'hunter2-secret'],
      ['token', 'list', '-phunter2-secret'],
    ]) {
      expect(usage(argv).message).not.toContain('hunter2');
    }
  });

  it('names the command in usage errors so the hint shows its synopsis', () => {
    expect(usage(['token', 'generate', '--bogus']).command).toBe('token generate');
    expect(usageHint('token generate')).toMatch(
      /^usage: vault-token-desk token generate \(--connection NAME \[--connection NAME…\] \| --client CLIENT \[--env ENV\]\) \(--me \| --user USER_ID\) --name TOKEN_NAME/,
    );
    expect(usageHint('token')).toMatch(/token generate\|list\|sync\|revoke\|rotate\|reveal\|export/);
    expect(usageHint(null)).toMatch(/vault-token-desk --help/);
  });

  it('documents every command of the interface', () => {
    expect(COMMANDS.map((c) => c.name)).toEqual([
      'connection add',
      'connection login',
      'connection edit',
      'connection list',
      'connection import',
      'connection export',
      'connection test',
      'connection discover',
      'connection remove',
      'token generate',
      'token list',
      'token sync',
      'token revoke',
      'token rotate',
      'token reveal',
      'token export',
      'token import',
      'token delivery add',
      'token delivery list',
      'token delivery remove',
      'token deliver',
      'expiring',
    ]);
  });
});

describe('CLI errors', () => {
  it('names the Vault error type on one line', () => {
    const e = new AppError(
      'VAULT',
      'Generating a token on “QA”: User [5] already has 25 active API access tokens.\nMore.',
      {
        vaultErrorType: 'OPERATION_NOT_ALLOWED',
      },
    );
    expect(describeAppError(e)).toBe(
      'Vault refused: Generating a token on “QA”: User [5] already has 25 active API access tokens. More. (OPERATION_NOT_ALLOWED)',
    );
  });

  it('scrubs token values from messages', () => {
    expect(describeFailure(new Error('boom veeva-vault-ABCDEF0123456789'))).not.toContain('ABCDEF0123456789');
  });
});

describe('CLI human output', () => {
  it('aligns columns, ignoring colour codes, with no trailing blanks', () => {
    const p = palette(true);
    const out = table(
      ['NAME', 'STATUS', 'EXPIRES'],
      [
        ['a', { text: 'expiring', paint: p.yellow }, '2027-01-31 (in 12 days)'],
        ['longer name', 'active', 'never'],
      ],
    );
    const lines = out.trimEnd().split('\n');
    const plain = lines.map(stripAnsi);
    expect(plain).toEqual([
      'NAME         STATUS    EXPIRES',
      'a            expiring  2027-01-31 (in 12 days)',
      'longer name  active    never',
    ]);
    expect(lines[1]).toContain('\u001b[33mexpiring\u001b[39m');
    expect(visibleWidth(lines[1]!)).toBe(plain[1]!.length);
    for (const l of lines) expect(l).toBe(l.trimEnd());
  });

  it('shows dates with the days left', () => {
    const now = new Date('2027-01-19T12:00:00Z');
    expect(formatExpiry('2027-01-31T12:00:00.000Z', now)).toBe('2027-01-31 (in 12 days)');
    expect(formatExpiry('2027-01-20T12:00:00.000Z', now)).toBe('2027-01-20 (tomorrow)');
    expect(formatExpiry('2027-01-16T12:00:00.000Z', now)).toBe('2027-01-16 (3 days ago)');
    expect(formatExpiry(null, now)).toBe('never');
  });

  it('uses colour only on a terminal and never with NO_COLOR', () => {
    expect(colourEnabled({ write: () => true, isTTY: true }, {})).toBe(true);
    expect(colourEnabled({ write: () => true, isTTY: false }, {})).toBe(false);
    expect(colourEnabled({ write: () => true }, {})).toBe(false);
    expect(colourEnabled({ write: () => true, isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colourEnabled({ write: () => true, isTTY: true }, { NO_COLOR: '' })).toBe(false);
    expect(colourEnabled({ write: () => true, isTTY: true }, { TERM: 'dumb' })).toBe(false);
    expect(palette(false).red('x')).toBe('x');
  });
});

/** A stand-in terminal: stdin in "raw mode" that the test types into, stderr collected. */
function fakeTerminal(): { stdin: CliInput & PassThrough; stderr: CliOutput & { text: string }; raw: boolean[] } {
  const raw: boolean[] = [];
  const stdin = Object.assign(new PassThrough(), {
    isTTY: true,
    setRawMode(mode: boolean) {
      raw.push(mode);
      return stdin;
    },
  });
  const stderr = {
    text: '',
    isTTY: true,
    write(chunk: string) {
      stderr.text += chunk;
      return true;
    },
  };
  return { stdin, stderr, raw };
}

describe('CLI secrets', () => {
  it('reads all of stdin and strips exactly one trailing newline', async () => {
    const read = (text: string) =>
      readSecretFromStdin(
        Readable.from([Buffer.from(text)]) as unknown as CliInput,
        '--password-stdin',
        'connection add',
      );
    expect(await read('pa ss\n')).toBe('pa ss');
    expect(await read('pa ss\r\n')).toBe('pa ss');
    expect(await read('pass\n\n')).toBe('pass\n');
    expect(await read(' pass ')).toBe(' pass ');
    await expect(read('\n')).rejects.toThrow(/stdin was empty/);
    expect(stripOneNewline('a\n')).toBe('a');
  });

  it('refuses --password-stdin when stdin is a terminal', async () => {
    const { stdin } = fakeTerminal();
    await expect(readSecretFromStdin(stdin, '--password-stdin', 'connection add')).rejects.toBeInstanceOf(UsageError);
  });

  it('prompts on a terminal in raw mode, without echo', async () => {
    const { stdin, stderr, raw } = fakeTerminal();
    const answer = promptHidden('Password: ', stdin, stderr);
    stdin.write('hunter2');
    stdin.write('x\u007f'); // typo, backspace
    stdin.write('\u001b[D'); // left arrow: ignored
    stdin.write('!\r');
    expect(await answer).toBe('hunter2!');
    expect(stderr.text).toBe('Password: \n');
    expect(raw).toEqual([true, false]);
  });

  it('cancels on Ctrl-C and answers nothing on Ctrl-D', async () => {
    const t1 = fakeTerminal();
    const cancelled = promptHidden('Password: ', t1.stdin, t1.stderr);
    t1.stdin.write('abc\u0003');
    await expect(cancelled).rejects.toThrow(/cancelled/);
    expect(t1.raw).toEqual([true, false]);
    const t2 = fakeTerminal();
    const empty = promptHidden('Password: ', t2.stdin, t2.stderr);
    t2.stdin.write('\u0004');
    expect(await empty).toBe('');
  });

  it('never prompts when stdin is not a terminal', async () => {
    const stdin = Object.assign(new PassThrough(), { isTTY: false });
    await expect(promptHidden('Password: ', stdin, { write: () => true })).rejects.toThrow(/not a terminal/);
  });
});
