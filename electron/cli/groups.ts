/**
 * `--client` and `--env` (issue 15, item 3): the client-group filters of `token list`, `token sync`
 * and `expiring`, and the values of `connection add/edit`. Clients compare without case.
 */
import {
  ENVIRONMENT_HINT,
  knownClients,
  matchesGroup,
  parseEnvironment,
  type GroupFilter,
} from '../../shared/connection-groups';
import type { Connection, ConnectionEnvironment } from '../../shared/domain';
import { call } from './call';
import { CliError, UsageError } from './errors';
import { listFlag, type Runtime } from './runtime';

/** `--env PROD` (any case; "production" too) → the environment; a usage error names the choices. */
export function environmentValue(rt: Runtime, raw: string): ConnectionEnvironment {
  const env = parseEnvironment(raw);
  if (!env) throw new UsageError(`--env takes ${ENVIRONMENT_HINT}, not “${raw.trim()}”`, rt.command);
  return env;
}

/**
 * The filter the flags ask for. `--client` repeats (a client name may hold a comma, so it is not
 * split); `--env` repeats or takes a comma-separated list.
 */
export function groupFilterFlags(rt: Runtime): GroupFilter {
  const raw = rt.values.client;
  const clients = (raw === undefined ? [] : Array.isArray(raw) ? raw : [raw])
    .filter((v): v is string => typeof v === 'string')
    .map((v) => v.trim());
  if (raw !== undefined && clients.every((c) => c === ''))
    throw new UsageError('--client needs a client name, e.g. --client Acme', rt.command);
  const environments = [...new Set(listFlag(rt, 'env').map((e) => environmentValue(rt, e)))];
  return { clients: clients.filter(Boolean), environments };
}

/**
 * The connections in the group. A filter that matches no connection at all is an error (a typo
 * should not pass as "nothing to do"), naming the clients that exist.
 */
export async function connectionsInGroup(rt: Runtime, filter: GroupFilter): Promise<Connection[]> {
  const all = await call(rt, 'connections:list', undefined);
  const chosen = all.filter((c) => matchesGroup(c, filter));
  if (chosen.length === 0 && all.length > 0) {
    const asked = [
      ...(filter.clients ?? []).map((c) => `client “${c}”`),
      ...(filter.environments ?? []).map((e) => `environment ${e}`),
    ].join(' and ');
    const clients = knownClients(all);
    throw new CliError(
      `no connection has ${asked}; clients: ${clients.length ? clients.join(', ') : 'none set (use connection edit NAME --client …)'}`,
    );
  }
  return chosen;
}

export const GROUP_FLAG_SPECS = {
  client: {
    type: 'string',
    multiple: true,
    value: 'CLIENT',
    help: 'only connections of this client (any case; repeat for several)',
  },
  env: {
    type: 'string',
    multiple: true,
    value: 'ENV',
    help: 'only connections in this environment: DEV, QA, UAT, PROD, sandbox, other (repeat or comma-separate)',
  },
} as const;
