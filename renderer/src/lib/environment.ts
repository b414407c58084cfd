/**
 * A Vault's environment (DEV, QA, UAT, PROD) as a small tag beside its name (issue 13, item 2).
 * It comes from the connection's group, which issue 15 adds; until then no connection has one
 * and the tag renders nothing. This is the one place that reads it.
 */
import type { Connection } from '../../../shared/domain';

export const ENVIRONMENTS = ['DEV', 'QA', 'UAT', 'PROD'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** "prod", "Production", " UAT " → the environment; anything else → null (no guessing from Vault names). */
export function parseEnvironment(value: string | null | undefined): Environment | null {
  const v = value?.trim().toUpperCase();
  if (!v) return null;
  if (v === 'PRODUCTION') return 'PROD';
  if (v === 'DEVELOPMENT') return 'DEV';
  return (ENVIRONMENTS as readonly string[]).includes(v) ? (v as Environment) : null;
}

/**
 * The environment of a connection's group. Connections carry no group yet (issue 15): this
 * reads `group.environment` when it appears and is null until then.
 */
export function connectionEnvironment(connection: Connection | undefined): Environment | null {
  const group = (connection as { group?: { environment?: string | null } | null } | undefined)?.group;
  return parseEnvironment(group?.environment ?? null);
}
