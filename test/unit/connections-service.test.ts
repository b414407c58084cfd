import { signInAccount } from '../../shared/signin-accounts';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionCreate, ConnectionUpdate } from '../../shared/schemas';
import { AppError } from '../../shared/errors';
import { testContext } from '../helpers/context';

let ctx: ReturnType<typeof testContext>;
afterEach(() => ctx?.cleanup());

const base = { name: 'Acme PromoMats', dns: 'acme-promo.veevavault.com', username: 'me@acme.com' };

describe('connections', () => {
  it('creates, lists, updates and removes, writing the audit log', async () => {
    ctx = testContext();
    const created = await ctx.connections.create(ConnectionCreate.parse(base));
    expect(ctx.connections.list().map((c) => c.name)).toEqual(['Acme PromoMats']);
    const updated = await ctx.connections.update(
      ConnectionUpdate.parse({ ...base, id: created.id, name: 'Acme Promo', apiVersion: 'v25.3' }),
    );
    expect(updated).toMatchObject({ name: 'Acme Promo', apiVersion: 'v25.3', createdAt: created.createdAt });
    await ctx.connections.remove(created.id);
    expect(ctx.connections.list()).toEqual([]);
    const actions = (await ctx.service.listAudit({ limit: 10 })).map((a) => a.action);
    expect(actions).toEqual(['connection.remove', 'connection.update', 'connection.create']);
  });

  it('refuses a duplicate name, ignoring case, with a field error', async () => {
    ctx = testContext();
    await ctx.connections.create(ConnectionCreate.parse(base));
    const error = await ctx.connections
      .create(ConnectionCreate.parse({ ...base, name: 'ACME promomats' }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('CONFLICT');
    expect((error as AppError).fields?.name).toMatch(/already exists/);
    expect(ctx.connections.list()).toHaveLength(1);
  });

  it('remembers the password in the keychain only, and forgets it on request and on removal', async () => {
    ctx = testContext();
    const c = await ctx.connections.create(
      ConnectionCreate.parse({ ...base, rememberSecret: true, secret: 'hunter2-hunter2' }),
    );
    expect(c.secretStored).toBe(true);
    expect(ctx.secretsMemory!.items.get(signInAccount(c)!)).toBe('hunter2-hunter2');
    // Editing without a new secret keeps the stored one.
    await ctx.connections.update(ConnectionUpdate.parse({ ...base, id: c.id, rememberSecret: true }));
    expect(ctx.secretsMemory!.items.get(signInAccount(c)!)).toBe('hunter2-hunter2');
    // Unticking "remember" deletes it.
    const forgotten = await ctx.connections.update(
      ConnectionUpdate.parse({ ...base, id: c.id, rememberSecret: false }),
    );
    expect(forgotten.secretStored).toBe(false);
    expect(ctx.secretsMemory!.items.size).toBe(0);
    await ctx.connections.update(
      ConnectionUpdate.parse({ ...base, id: c.id, rememberSecret: true, secret: 'again-again' }),
    );
    await ctx.connections.remove(c.id);
    expect(ctx.secretsMemory!.items.size).toBe(0);
  });

  it('creates nothing when the keychain is unavailable', async () => {
    ctx = testContext();
    ctx.secretsMemory!.unavailable = 'no Secret Service';
    const error = await ctx.connections
      .create(ConnectionCreate.parse({ ...base, rememberSecret: true, secret: 'pw-pw-pw-pw' }))
      .catch((e: unknown) => e);
    expect((error as AppError).code).toBe('KEYCHAIN_UNAVAILABLE');
    expect((error as AppError).message).toMatch(/No OS keychain is available/);
    expect(ctx.connections.list()).toEqual([]);
  });

  it('keeps the connection when the keychain refuses to delete its secret', async () => {
    ctx = testContext();
    const c = await ctx.connections.create(
      ConnectionCreate.parse({ ...base, rememberSecret: true, secret: 'pw-pw-pw-pw' }),
    );
    ctx.secretsMemory!.unavailable = 'locked';
    await expect(ctx.connections.remove(c.id)).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' });
    expect(ctx.connections.list()).toHaveLength(1);
  });
});
