/**
 * The gate before a stored token value leaves main (issue 11, finding 2): the person is asked
 * (in the app, a native dialog a compromised renderer cannot answer), a refusal is audited, and
 * at most 10 values per minute are shown or copied.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionCreate } from '../../shared/schemas';
import type { RevealRequest } from '../../electron/tokens/tokens-service';
import { ManualClock } from '../fake-vault/clock';
import { testContext } from '../helpers/context';

const VALUE = 'veeva-vault-REVEALGATE0123456789ABCDEF';
let ctx: ReturnType<typeof testContext> | null = null;
afterEach(async () => {
  await ctx?.cleanup();
  ctx = null;
});

async function setup(answer: () => boolean) {
  const clock = new ManualClock('2030-01-10T12:00:00Z');
  const asked: RevealRequest[] = [];
  ctx = testContext({
    clock: { now: clock.now },
    revealGate: async (request) => {
      asked.push(request);
      return answer();
    },
  });
  const c = await ctx.connections.create(
    ConnectionCreate.parse({ name: 'Acme QA', dns: 'acme-qa.veevavault.com', username: 'me@acme.com' }),
  );
  const rowId = ctx.tokensRepo.insertGenerated({
    connectionId: c.id,
    connectionName: c.name,
    vaultId: 42,
    vaultDns: c.dns,
    tokenId: '0PI000000000G01',
    name: 'Nightly ETL',
    userId: '61603',
    userName: 'me@acme.com',
    expiresAt: '2030-03-01T00:00:00Z',
    secretStored: true,
    at: clock.now().toISOString(),
  });
  await ctx.secrets.set('token/42/0PI000000000G01', VALUE);
  return { ctx, clock, asked, rowId };
}

describe('reveal gate', () => {
  it('asks before a stored value is shown or copied, saying which token', async () => {
    const { ctx, asked, rowId } = await setup(() => true);
    expect((await ctx.service.revealToken({ rowId })).value).toBe(VALUE);
    await ctx.service.copyToken({ rowId });
    expect(asked).toEqual([
      { purpose: 'reveal', tokenName: 'Nightly ETL', tokenId: '0PI000000000G01', connectionName: 'Acme QA' },
      { purpose: 'copy', tokenName: 'Nightly ETL', tokenId: '0PI000000000G01', connectionName: 'Acme QA' },
    ]);
  });

  it('a declined confirmation shows nothing, copies nothing, and is audited', async () => {
    const { ctx, rowId } = await setup(() => false);
    await expect(ctx.service.revealToken({ rowId })).rejects.toMatchObject({
      code: 'GUARD',
      message: expect.stringMatching(/declined/),
    });
    await expect(ctx.service.copyToken({ rowId })).rejects.toMatchObject({ code: 'GUARD' });
    const audit = await ctx.service.listAudit({ limit: 10 });
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['token.reveal-declined', 'token.copy-declined']),
    );
    expect(audit.map((a) => a.action)).not.toContain('token.reveal');
  });

  it('at most 10 values a minute, whatever the renderer asks for; the limit frees up as the minute passes', async () => {
    const { ctx, clock, asked, rowId } = await setup(() => true);
    for (let i = 0; i < 10; i++) await ctx.service.revealToken({ rowId });
    await expect(ctx.service.revealToken({ rowId })).rejects.toMatchObject({
      code: 'GUARD',
      message: expect.stringMatching(/At most 10 .* per minute/),
    });
    expect(asked).toHaveLength(10); // refused before anyone is asked
    clock.advance(61_000);
    expect((await ctx.service.revealToken({ rowId })).value).toBe(VALUE);
  });

  it('with no gate given, an app context refuses every reveal: a transport that forgets it leaks nothing', async () => {
    const { ctx: first, rowId } = await setup(() => true);
    await first.close();
    const { createAppContext } = await import('../../electron/app/app-context');
    const again = createAppContext({ dataDir: first.dataDir, version: 'test', secrets: first.secrets });
    try {
      await expect(again.service.revealToken({ rowId })).rejects.toMatchObject({ code: 'GUARD' });
    } finally {
      await again.close();
    }
  });
});
