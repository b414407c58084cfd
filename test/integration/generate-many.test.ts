/**
 * Generate across Vaults through the IPC handler table (the same path the renderer takes): real
 * SQLite, the REAL OS keychain, the fake Vault over HTTPS. The preflight sends nothing; the run
 * stores each value in the keychain under its own Vault; a Vault whose generate is lost on the
 * network fails alone; no value reaches SQLite, the logs or the outcomes that cross IPC.
 */
import { readFileSync, existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppContext, type AppContext } from '../../electron/app/app-context';
import { createHandlerTable, originSenderCheck, type HandlerTable } from '../../electron/ipc/handler-table';
import { memorySink } from '../../electron/log';
import { databasePath } from '../../electron/paths';
import type { GenerateManyOutcome } from '../../shared/tokens';
import { startFakeVault } from '../fake-vault/index';
import type { FakeVault } from '../fake-vault/types';
import { realKeychain } from '../helpers/keychain';
import { tempDir } from '../helpers/temp-dir';
import { addPasswordConnections } from '../helpers/connections';
import { keychainContextOptions } from '../helpers/context';

const keychain = await realKeychain();
const PASSWORD = 'Generate-Many-Integration-1!';
const ADMIN = 7300;
const VAULTS = [937_001, 937_002, 937_003, 937_004].map((id, i) => ({ id, name: `Estate ${i + 1}` }));
const ORIGIN = 'app://vault-token-desk';

describe.skipIf(!keychain.available)('generate across Vaults (handler table, real keychain, fake Vault)', () => {
  let fake: FakeVault;
  let ctx: AppContext;
  let table: HandlerTable;
  const dir = tempDir('vtd-many-');
  const logs = memorySink();
  const ids: string[] = [];
  const values: string[] = [];
  const invoke = async <T>(channel: string, request: unknown): Promise<T> => {
    const result = await table.handle(channel, { url: `${ORIGIN}/index.html` }, request);
    if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
    return result.value as T;
  };

  beforeAll(async () => {
    fake = await startFakeVault({
      authBurstLimit: 10_000,
      vaults: VAULTS,
      users: [
        {
          id: ADMIN,
          username: 'estate@example.com',
          password: PASSWORD,
          securityProfile: 'vault_owner__v',
          vaults: 'all',
        },
      ],
    });
    ctx = createAppContext({
      ...keychainContextOptions({ dataDir: dir.path, secrets: keychain.store, sink: logs.sink, fake }),
      vaultTimeoutMs: 2_000,
      revealGate: async () => true,
    });
    table = createHandlerTable(ctx.service, originSenderCheck([ORIGIN]), ctx.logger);
    const made = await addPasswordConnections(ctx, fake.vaults, { username: 'estate@example.com', password: PASSWORD });
    ids.push(...made.map((c) => c.id));
  }, 120_000);

  afterAll(async () => {
    try {
      for (const account of await keychain.store.list()) {
        if (
          ids.some((id) => account.startsWith(`connection/${id}/`)) ||
          VAULTS.some((v) => account.startsWith(`token/${v.id}/`))
        )
          await keychain.store.delete(account);
      }
    } finally {
      await ctx?.close();
      await fake?.close();
      dir.cleanup();
    }
  });

  it('the preflight signs in and checks, and mints nothing', async () => {
    const outcomes = await invoke<GenerateManyOutcome[]>('tokens:generate-many', {
      connectionIds: ids,
      name: 'Estate preflight',
      expiry: { kind: 'date', date: '2031-06-30' },
      checkOnly: true,
    });
    expect(outcomes.map((o) => [o.connectionName, o.ok, o.activeCount])).toEqual(VAULTS.map((v) => [v.name, true, 0]));
    expect(fake.state.listTokens()).toEqual([]);
  });

  it('generates in every Vault but the one whose answer is lost; values in the keychain only', async () => {
    // The generate reaches Vault's host but the answer never comes back: a network failure at the call.
    fake.faults.inject(
      { vaultId: VAULTS[2]!.id, method: 'POST', path: /api_access_token__sys$/ },
      { kind: 'drop' },
      { times: 1 },
    );
    const outcomes = await invoke<GenerateManyOutcome[]>('tokens:generate-many', {
      connectionIds: ids,
      name: 'Estate token',
      expiry: { kind: 'date', date: '2031-06-30' },
    });
    expect(outcomes.map((o) => o.ok)).toEqual([true, true, false, true]);
    expect(outcomes[2]!.error).toMatchObject({ stage: 'generate', needsSecret: false });
    expect(outcomes[2]!.error!.code).toMatch(/VAULT_UNREACHABLE|VAULT|INTERNAL/);
    for (const [i, o] of outcomes.entries()) {
      if (!o.ok) continue;
      const value = await keychain.store.get(`token/${VAULTS[i]!.id}/${o.tokenId}`);
      expect(value).toMatch(/^veeva-vault-/);
      values.push(value!);
      // The renderer reveals it through the existing path, without a second confirmation.
      const shown = await invoke<{ value: string }>('tokens:reveal', { rowId: o.generated!.token.rowId });
      expect(shown.value).toBe(value);
    }
    expect(values).toHaveLength(3);
    const serialised = JSON.stringify(outcomes);
    for (const v of values) expect(serialised).not.toContain(v);
  });

  it('never writes a value to SQLite or the logs', async () => {
    await ctx.close();
    const path = databasePath(dir.path);
    const files = [path, `${path}-wal`, `${path}-shm`].filter(existsSync).map((f) => readFileSync(f));
    const logText = JSON.stringify(logs.records);
    for (const v of [...values, PASSWORD]) {
      for (const bytes of files) expect(bytes.includes(Buffer.from(v))).toBe(false);
      expect(logText).not.toContain(v);
    }
    ctx = createAppContext({ dataDir: dir.path, version: 'test', secrets: keychain.store });
  });
});
