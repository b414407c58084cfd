/** Generate across Vaults: the outcome of a Vault that got no token, built the same way on both sides. */
import type { GenerateManyError, GenerateManyOutcome } from './tokens';

export function failedOutcome(
  connection: { id: string; name: string },
  error: GenerateManyError,
  activeCount: number | null = null,
): GenerateManyOutcome {
  return {
    connectionId: connection.id,
    connectionName: connection.name,
    ok: false,
    tokenId: null,
    generated: null,
    activeCount,
    error,
  };
}
