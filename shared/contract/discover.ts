import { z } from 'zod';
import { ClientName, Id } from '../schemas';
import { channel } from './define';

/**
 * Discover and add (issue 15, item 1): the Vaults a login reaches come from its `vaultIds`
 * (`connections:reachable`, docs/vault-api.md §3.2); this adds the chosen ones with the same sign-in.
 */
export const discoverContract = {
  /**
   * Adds a connection for each chosen Vault this connection's login reaches, named after the Vault,
   * with the same user and saved sign-in; then tests and syncs each. One outcome per Vault asked for,
   * and one for the source connection's own Vault when it was never synced (it is synced with them).
   */
  'connections:add-reachable': channel<AddReachableOutcome[]>()(
    'addReachableVaults',
    z.strictObject({
      id: Id,
      vaultIds: z.array(z.number().int().positive()).min(1).max(1000),
      /**
       * The client group of the new connections (issue 15: "12 synced connections, grouped under
       * their client"). Left out: the source connection's client; null: none.
       */
      client: ClientName.optional(),
    }),
  ),
} as const;

export interface AddReachableOutcome {
  vaultId: number;
  name: string | null;
  dns: string | null;
  /** added: a new connection; already-added: one existed for that DNS; failed: not added (see message). */
  status: 'added' | 'already-added' | 'failed';
  connectionId: string | null;
  connectionName: string | null;
  /** The read-only check signed in (connections:test). */
  tested: boolean;
  /** Its tokens were read into the inventory. */
  synced: boolean;
  tokens: number;
  /** What went wrong, in words; null when everything worked. */
  message: string | null;
}
