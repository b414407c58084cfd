/**
 * Delivery to a command (issue 16 item 3), the parts that need no process: which environment the
 * command gets, how its stderr is scrubbed and cut, and what runs with and without the shell the
 * person may choose. Real processes run in test/integration/deliveries.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  commandLine,
  deliveryEnvironment,
  STDERR_EXCERPT_CHARS,
  stderrExcerpt,
} from '../../electron/deliveries/command-target';
import { describeCommand } from '../../electron/deliveries/describe-target';
import { CommandTargetSchema } from '../../shared/contract/deliveries';

const VALUE = 'veeva-vault-9B1C7D2E3F405162738495A6B7C8D9E0';

describe('deliveryEnvironment', () => {
  const parent = {
    PATH: '/usr/bin:/bin',
    HOME: '/home/me',
    GH_TOKEN: 'ghp_0123456789abcdefghijklmnopqrstuvwxyz',
    VAULT_TOKEN: 'hvs.hashicorp-vault-token',
    AWS_SECRET_ACCESS_KEY: 'aws-secret',
    VEEVA_VAULT_PASSWORD: 'Passw0rd!',
    VEEVA_SESSION_ID: 'session-id',
    VAULT_TOKEN_DESK_TOKEN: 'ours',
    VAULT_TOKEN_DESK_HOME: '/data',
    COPY_OF_VALUE: `Bearer ${VALUE}`,
    OTHER_VAULT_VALUE: 'veeva-vault-SOMEOTHERTOKENVALUE',
    EMPTY: '',
  };

  it('drops every variable holding the value or any Vault token value', () => {
    const env = deliveryEnvironment(parent, VALUE);
    expect(env.COPY_OF_VALUE).toBeUndefined();
    expect(env.OTHER_VAULT_VALUE).toBeUndefined();
    for (const v of Object.values(env)) expect(v).not.toContain('veeva-vault-');
  });

  it('drops variables named like our secrets (Veeva, Vault Token Desk) and keeps their non-secret ones', () => {
    const env = deliveryEnvironment(parent, VALUE);
    expect(env.VEEVA_VAULT_PASSWORD).toBeUndefined();
    expect(env.VEEVA_SESSION_ID).toBeUndefined();
    expect(env.VAULT_TOKEN_DESK_TOKEN).toBeUndefined();
    expect(env.VAULT_TOKEN_DESK_HOME).toBe('/data');
  });

  it('keeps what the delivery tools themselves need: PATH, HOME, other tools’ credentials', () => {
    const env = deliveryEnvironment(parent, VALUE);
    expect(env).toMatchObject({
      PATH: '/usr/bin:/bin',
      HOME: '/home/me',
      GH_TOKEN: parent.GH_TOKEN,
      VAULT_TOKEN: parent.VAULT_TOKEN,
      AWS_SECRET_ACCESS_KEY: 'aws-secret',
      EMPTY: '',
    });
  });
});

describe('stderrExcerpt', () => {
  it('scrubs the value even when the command echoes it, and keeps the words around it', () => {
    const excerpt = stderrExcerpt(Buffer.from(`error: could not set secret ${VALUE} for acme/etl\n`), VALUE);
    expect(excerpt).not.toContain(VALUE);
    expect(excerpt).not.toContain(VALUE.slice(12));
    expect(excerpt).toBe('error: could not set secret veeva-vault-[REDACTED] for acme/etl');
  });

  it('scrubs a value that is not token-shaped once it is the one delivered', () => {
    const value = 'plain-secret-value-0123';
    expect(stderrExcerpt(Buffer.from(`bad input: ${value}`), value)).toBe('bad input: [REDACTED]');
  });

  it('strips colours and control characters and collapses lines', () => {
    expect(stderrExcerpt(Buffer.from('\u001b[31mfatal\u001b[0m:\r\n\tno\u0007 access\n'), VALUE)).toBe(
      'fatal: no access',
    );
  });

  it('keeps the end of a long stderr, cut to about 300 characters', () => {
    const long = `${'progress… '.repeat(200)}error: HTTP 403 from api.github.com`;
    const excerpt = stderrExcerpt(Buffer.from(long), VALUE)!;
    expect(excerpt.length).toBeLessThanOrEqual(STDERR_EXCERPT_CHARS);
    expect(excerpt.startsWith('…')).toBe(true);
    expect(excerpt.endsWith('error: HTTP 403 from api.github.com')).toBe(true);
  });

  it('is null when there was nothing to say', () => {
    expect(stderrExcerpt(Buffer.from(' \n\n'), VALUE)).toBeNull();
    // A value cut in two by the 16 KB window: its tail at the start of what was kept goes too.
    const tail = VALUE.slice(5);
    const cut = Buffer.from(`${tail}.....\nerror: could not set the secret`);
    expect(stderrExcerpt(cut, VALUE, true)).toBe('error: could not set the secret');
    expect(stderrExcerpt(cut, VALUE)).toContain(tail.slice(0, 8));
  });
});

describe('commandLine', () => {
  it('runs the argument list itself, with no shell, by default', () => {
    const target = CommandTargetSchema.parse({ kind: 'command', argv: ['gh', 'secret', 'set', 'X; rm -rf ~'] });
    expect(target.shell).toBe(false);
    expect(target.timeoutMs).toBe(60_000);
    expect(commandLine(target, 'linux')).toEqual({
      file: 'gh',
      args: ['secret', 'set', 'X; rm -rf ~'],
      verbatim: false,
    });
  });

  it('goes through /bin/sh -c, or cmd /c on Windows, only when the person chose the shell', () => {
    const target = { argv: ['gh secret set X', '|', 'tee', 'log'], shell: true };
    expect(commandLine(target, 'linux')).toEqual({
      file: '/bin/sh',
      args: ['-c', 'gh secret set X | tee log'],
      verbatim: false,
    });
    const win = commandLine(target, 'win32');
    expect(win.args).toEqual(['/d', '/s', '/c', '"gh secret set X | tee log"']);
    expect(win.verbatim).toBe(true);
  });

  it('describes a command as a shell would need it typed', () => {
    expect(
      describeCommand({ argv: ['gh', 'secret', 'set', 'VAULT_TOKEN', '--body-file', "it's here"], shell: false }),
    ).toBe("gh secret set VAULT_TOKEN --body-file 'it'\\''s here'");
    expect(describeCommand({ argv: ['vault kv put secret/etl token=-'], shell: true })).toBe(
      'vault kv put secret/etl token=- (through the shell)',
    );
  });
});

describe('CommandTargetSchema', () => {
  it.each([
    ['an empty argument list', { argv: [] }],
    ['an empty program', { argv: [''] }],
    ['a NUL in an argument', { argv: ['gh', 'a\u0000b'] }],
    ['a timeout under a second', { argv: ['gh'], timeoutMs: 10 }],
    ['a timeout over an hour', { argv: ['gh'], timeoutMs: 3_600_001 }],
    ['an unknown key', { argv: ['gh'], env: { X: '1' } }],
  ])('refuses %s', (_label, fields) => {
    expect(CommandTargetSchema.safeParse({ kind: 'command', ...fields }).success).toBe(false);
  });
});
