/** Connections for a suite's fake Vaults, each signing in with a password remembered in the keychain. */
import { expect } from 'vitest';
import type { AppContext } from '../../electron/app/app-context';
import type { Connection, ConnectionEnvironment } from '../../shared/domain';
import { ConnectionCreate } from '../../shared/schemas';

interface PasswordLogin {
  username: string;
  password: string;
}

/** The client group a connection belongs to, where a suite gives one. */
interface ConnectionGroup {
  client?: string | null;
  environment?: ConnectionEnvironment | null;
}

export async function addPasswordConnections(
  ctx: Pick<AppContext, 'connections'>,
  vaults: readonly { name: string; dns: string }[],
  login: PasswordLogin,
  groupOf?: (vault: { name: string; dns: string }, index: number) => ConnectionGroup,
): Promise<Connection[]> {
  const made: Connection[] = [];
  for (const [i, v] of vaults.entries()) {
    made.push(
      await ctx.connections.create(
        ConnectionCreate.parse({
          name: v.name,
          dns: v.dns,
          username: login.username,
          authMethod: 'password',
          secret: login.password,
          rememberSecret: true,
          ...groupOf?.(v, i),
        }),
      ),
    );
  }
  return made;
}

/** Syncs every connection and fails the test if any sync did not succeed. */
export async function syncAllTokens(ctx: Pick<AppContext, 'service'>): Promise<void> {
  const outcomes = await ctx.service.syncTokens({});
  expect(outcomes.filter((o) => !o.ok)).toEqual([]);
}

/** One password connection to `vault`, synced; fails the test if the sync did not succeed. */
export async function addSyncedPasswordConnection(
  ctx: Pick<AppContext, 'connections' | 'service'>,
  vault: { name: string; dns: string },
  login: PasswordLogin,
): Promise<Connection> {
  const [c] = await addPasswordConnections(ctx, [vault], login);
  const [outcome] = await ctx.service.syncTokens({ connectionIds: [c!.id] });
  expect(outcome?.ok).toBe(true);
  return c!;
}
