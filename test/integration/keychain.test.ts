import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { realKeychain } from '../helpers/keychain';
import { testContext } from '../helpers/context';
import { ConnectionCreate } from '../../shared/schemas';
import { databasePath } from '../../electron/paths';
import { signInAccount } from '../../shared/signin-accounts';
import { execFileSync } from 'node:child_process';

const keychain = await realKeychain();

describe.skipIf(!keychain.available)('OS keychain (real Secret Service)', () => {
  const store = keychain.store;
  beforeAll(async () => {
    for (const account of await store.list()) await store.delete(account);
  });
  afterAll(async () => {
    for (const account of await store.list()) await store.delete(account);
  });

  it('sets, gets, lists and deletes one item per secret', async () => {
    await store.set('connection/c1/password', 'first-secret-value');
    await store.set('token/1776/0PI000000000001', 'veeva-vault-TESTVALUE-1');
    expect(await store.get('connection/c1/password')).toBe('first-secret-value');
    expect(await store.list()).toEqual(['connection/c1/password', 'token/1776/0PI000000000001']);
    await store.set('connection/c1/password', 'replaced-secret');
    expect(await store.get('connection/c1/password')).toBe('replaced-secret');
    expect(await store.delete('connection/c1/password')).toBe(true);
    expect(await store.delete('connection/c1/password')).toBe(false);
    expect(await store.get('connection/c1/password')).toBeNull();
    expect(await store.list()).toEqual(['token/1776/0PI000000000001']);
  });

  it('keeps a saved password out of the SQLite file and its -wal/-shm files', async () => {
    const ctx = testContext({ secrets: store });
    const password = `pw-${Math.random().toString(36).slice(2)}-Unmistakable`;
    try {
      const c = await ctx.connections.create(
        ConnectionCreate.parse({
          name: 'Leak check',
          dns: 'leak.veevavault.com',
          username: 'u@x.com',
          rememberSecret: true,
          secret: password,
        }),
      );
      // One saved sign-in per account (issue 15): signin/password/<domain key>/<user>.
      const account = signInAccount(c)!;
      expect(account).toBe('signin/password/veevavault.com/u@x.com');
      expect(await store.get(account)).toBe(password);
      const base = databasePath(ctx.dataDir);
      const files = [base, `${base}-wal`, `${base}-shm`].filter(existsSync);
      expect(files.length).toBeGreaterThanOrEqual(2);
      for (const file of files) {
        const bytes = readFileSync(file);
        expect(bytes.includes(Buffer.from(password, 'utf8')), `${file} holds the password`).toBe(false);
        expect(bytes.includes(Buffer.from(password, 'utf16le')), `${file} holds the password (UTF-16)`).toBe(false);
      }
      await ctx.connections.remove(c.id);
      expect(await store.get(account)).toBeNull();
    } finally {
      await ctx.cleanup();
    }
  });
});

describe('keychain unavailable', () => {
  it.runIf(process.platform === 'linux')(
    'fails with a typed, plain-words error when there is no Secret Service (Linux)',
    () => {
      const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' };
      const out = execFileSync(process.execPath, ['--import', 'tsx', join(__dirname, '../helpers/keychain-probe.ts')], {
        env,
        encoding: 'utf8',
      });
      const result = JSON.parse(out) as {
        set: { code: string; message: string };
        status: { available: boolean; message: string };
      };
      expect(result.set.code).toBe('KEYCHAIN_UNAVAILABLE');
      expect(result.set.message).toMatch(/No OS keychain is available.*GNOME Keyring/s);
      expect(result.status).toMatchObject({ available: false, message: expect.stringMatching(/No OS keychain/) });
    },
  );
});
