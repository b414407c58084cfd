/**
 * A Vault's environment (DEV, QA, UAT, PROD, sandbox, other) as a small tag beside its name
 * (issue 13, item 2). It is the connection's own setting (client groups, issue 15); this is the
 * one place the renderer reads it.
 */
import type { Connection, ConnectionEnvironment } from '../../../shared/domain';

export { CONNECTION_ENVIRONMENTS as ENVIRONMENTS } from '../../../shared/domain';
export { parseEnvironment } from '../../../shared/connection-groups';
export type Environment = ConnectionEnvironment;

/** The environment of a connection, or null when it has none (or is unknown). */
export function connectionEnvironment(connection: Connection | undefined): Environment | null {
  return connection?.environment ?? null;
}
