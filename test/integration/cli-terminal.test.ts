/**
 * The CLI on a terminal, in-process (a child process has no terminal to
 * test with): password prompts without echo, the sync progress line updated
 * in place, colour only on a TTY and never with NO_COLOR. Uses `run()` from
 * electron/cli/main.ts with an in-memory keychain and the fake Vault's
 * trusting fetch; everything else is the real app context.
 */
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../electron/cli/main';
import type { CliIO } from '../../electron/cli/io';
import { MemorySecretStore } from '../../electron/secrets/memory-store';
import { startFakeVault, type FakeVault } from '../fake-vault/index';
import { tempDir } from '../helpers/temp-dir';
import { cliTestContext } from '../helpers/context';

const PASSWORD = 'Tty-Passw0rd!-Unmistakable';
const USERNAME = 'tty.admin@example.com';

interface Terminal {
  io: CliIO;
  stdout: () => string;
  stderr: () => string;
  /** Types `text` once the prompt containing `prompt` has been written. */
  typeAfter(prompt: string, text: string): void;
  rawModes: boolean[];
}

function terminal(
  options: { stdinTTY?: boolean; stdoutTTY?: boolean; stderrTTY?: boolean; env?: NodeJS.ProcessEnv } = {},
): Terminal {
  const rawModes: boolean[] = [];
  const stdin = Object.assign(new PassThrough(), {
    isTTY: options.stdinTTY ?? true,
    setRawMode(mode: boolean) {
      rawModes.push(mode);
      return stdin;
    },
  });
  if (!(options.stdinTTY ?? true)) stdin.end();
  let out = '';
  let err = '';
  const pending: { prompt: string; text: string }[] = [];
  const stderr = {
    isTTY: options.stderrTTY ?? true,
    columns: 200,
    write(chunk: string) {
      err += chunk;
      for (const p of [...pending]) {
        if (err.includes(p.prompt)) {
          pending.splice(pending.indexOf(p), 1);
          setImmediate(() => stdin.write(p.text));
        }
      }
      return true;
    },
  };
  const stdout = {
    isTTY: options.stdoutTTY ?? true,
    write(chunk: string) {
      out += chunk;
      return true;
    },
  };
  return {
    io: { stdin, stdout, stderr, env: options.env ?? {}, now: () => new Date() },
    stdout: () => out,
    stderr: () => err,
    typeAfter: (prompt, text) => pending.push({ prompt, text }),
    rawModes,
  };
}

describe('vault-token-desk on a terminal (in-process)', () => {
  const dir = tempDir('vtd-cli-tty-');
  const secrets = new MemorySecretStore();
  let fake: FakeVault;
  let dns = '';
  const cli = (argv: string[], t: Terminal) =>
    run(['--data-dir', dir.path, ...argv], t.io, {
      createContext: cliTestContext(secrets, () => fake),
    });

  beforeAll(async () => {
    fake = await startFakeVault({
      vaults: [{ id: 918_001, name: 'TTY Vault' }],
      users: [
        { id: 72_001, username: USERNAME, password: PASSWORD, securityProfile: 'vault_owner__v', vaults: [918_001] },
      ],
    });
    dns = fake.vaults[0]!.dns;
    fake.state.createToken({
      vault: 918_001,
      user: 72_001,
      name: 'Seeded',
      expiresAt: new Date(Date.now() + 3 * 86_400_000),
    });
  });
  afterAll(async () => {
    await fake?.close();
    dir.cleanup();
  });

  it('connection add asks for the password without echo and remembers it', async () => {
    const t = terminal();
    t.typeAfter('Password for', `${PASSWORD}\r`);
    expect(await cli(['connection', 'add', 'Remembered', '--dns', dns, '--username', USERNAME], t)).toBe(0);
    expect(t.stderr()).toBe(`Password for ${USERNAME} (Enter to not remember one): \n`);
    expect(t.rawModes).toEqual([true, false]);
    expect(t.stdout()).toMatch(/password remembered in the OS keychain/);
    expect([...secrets.items.values()]).toEqual([PASSWORD]);
  });

  it('connection add with an empty answer remembers nothing', async () => {
    const t = terminal();
    t.typeAfter('Password for', '\r');
    expect(await cli(['connection', 'add', 'Ask', '--dns', dns, '--username', USERNAME], t)).toBe(0);
    expect(t.stdout()).toMatch(/no password remembered/);
    expect(secrets.items.size).toBe(1);
  });

  it('asks for a password that is not remembered, for this run only', async () => {
    const t = terminal();
    t.typeAfter(`Password for ${USERNAME} on ${dns} (Ask): `, `${PASSWORD}\r`);
    expect(await cli(['connection', 'test', 'Ask'], t)).toBe(0);
    expect(t.stdout()).toMatch(/“Ask”: TTY Vault \(Vault \d+\) at 127\.0\.0\.1:\d+, as .*Nothing was changed\./);
    expect(t.stdout()).toMatch(/Signed in\s+.*yes/);
    expect(t.stderr()).not.toContain(PASSWORD);
    expect(secrets.items.size).toBe(1);

    const t2 = terminal();
    t2.typeAfter('Password for', '\r');
    expect(await cli(['connection', 'test', 'Ask'], t2)).toBe(1);
    expect(t2.stderr()).toMatch(/error:.* no password entered/);
  });

  it('sync shows one progress line rewritten in place on a terminal, and colour', async () => {
    const t = terminal();
    expect(await cli(['token', 'sync', '--connection', 'Remembered'], t)).toBe(0);
    expect(t.stderr()).toContain('\r\u001b[2Ksync [0/1] Remembered');
    expect(t.stderr().endsWith('\r\u001b[2K')).toBe(true);
    expect(t.stderr()).not.toContain('\n');
    expect(t.stdout()).toContain('\u001b[32mok\u001b[39m');
  });

  it('prints no colour with NO_COLOR, and plain progress lines when stderr is not a terminal', async () => {
    const t = terminal({ env: { NO_COLOR: '1' }, stderrTTY: false });
    expect(await cli(['token', 'list'], t)).toBe(0);
    // The user column shows the name sync filled in from Vault (or the id when none is known).
    expect(t.stdout()).toMatch(/Seeded\s+tty\.admin@example\.com \(72001\)\s+expiring/);
    expect(t.stdout()).not.toContain('\u001b[');
    const s = terminal({ stdoutTTY: false, stderrTTY: false });
    expect(await cli(['token', 'sync', '--connection', 'Remembered'], s)).toBe(0);
    expect(s.stderr()).toBe('sync: Remembered: 1 token(s): 0 new, 0 revoked\n');
    expect(s.stdout()).not.toContain('\u001b[');
  });

  it('says to use --password-stdin when the keychain lost a remembered password and there is no terminal', async () => {
    secrets.items.clear();
    const t = terminal({ stdinTTY: false, stderrTTY: false });
    expect(await cli(['connection', 'test', 'Remembered'], t)).toBe(1);
    const errors = t.stderr().split('\n').filter(Boolean);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^error: no password is remembered for “Remembered”.*--password-stdin/);
  });
});
