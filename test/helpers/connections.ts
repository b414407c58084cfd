/** Connections for a suite's fake Vaults, each signing in with a password remembered in the keychain. */
import type { AppContext } from '../../electron/app/app-context';
import type { Connection } from '../../shared/domain';
import { ConnectionCreate } from '../../shared/schemas';

export async function addPasswordConnections(
  ctx: Pick<AppContext, 'connections'>,
  vaults: readonly { name: string; dns: string }[],
  login: { username: string; password: string },
): Promise<Connection[]> {
  const made: Connection[] = [];
  for (const v of vaults) {
    made.push(
      await ctx.connections.create(
        ConnectionCreate.parse({
          name: v.name,
          dns: v.dns,
          username: login.username,
          authMethod: 'password',
          secret: login.password,
          rememberSecret: true,
        }),
      ),
    );
  }
  return made;
}
