import { useId } from 'react';
import { CONNECTION_ENVIRONMENTS, type Connection, type ConnectionEnvironment } from '../../../shared/domain';
import { ENVIRONMENT_LABEL, knownClients, type GroupFilter } from '../../../shared/connection-groups';

/** One client (or '' for "no client") and one environment; null = any. */
export interface GroupChoice {
  client: string | null;
  environment: ConnectionEnvironment | null;
}

export const ANY_GROUP: GroupChoice = { client: null, environment: null };

export function groupFilterOf(choice: GroupChoice): GroupFilter {
  return {
    clients: choice.client === null ? [] : [choice.client],
    environments: choice.environment === null ? [] : [choice.environment],
  };
}

/** Whether the connections have any client or environment set: without, the fields say nothing. */
export function hasGroups(connections: readonly Pick<Connection, 'client' | 'environment'>[]): boolean {
  return connections.some((c) => c.client || c.environment);
}

const NO_CLIENT = '\u0000none';

/** The `<option>`s of an environment select: `none` (value '') first, then each environment by its word. */
export function EnvironmentOptions(props: { none: string; environments?: readonly ConnectionEnvironment[] }) {
  return (
    <>
      <option value="">{props.none}</option>
      {(props.environments ?? CONNECTION_ENVIRONMENTS).map((env) => (
        <option key={env} value={env}>
          {ENVIRONMENT_LABEL[env]}
        </option>
      ))}
    </>
  );
}

/**
 * The client and environment filters (issue 15, item 3), the same two selects on the Connections,
 * Inventory and Reminders screens. Only the environments in use are offered.
 */
export function GroupFilterFields(props: {
  connections: readonly Pick<Connection, 'client' | 'environment'>[];
  value: GroupChoice;
  onChange: (choice: GroupChoice) => void;
  disabled?: boolean;
}) {
  const id = useId();
  const clients = knownClients(props.connections);
  const someWithout = props.connections.some((c) => !c.client);
  const inUse = CONNECTION_ENVIRONMENTS.filter(
    (e) => e === props.value.environment || props.connections.some((c) => c.environment === e),
  );
  const clientValue = props.value.client === null ? '' : props.value.client === '' ? NO_CLIENT : props.value.client;
  return (
    <span className="group-filter" role="group" aria-label="Client group">
      <label className="inline-field" htmlFor={`${id}-client`}>
        <span>Client</span>
      </label>
      <select
        id={`${id}-client`}
        value={clientValue}
        disabled={props.disabled}
        onChange={(e) =>
          props.onChange({
            ...props.value,
            client: e.target.value === '' ? null : e.target.value === NO_CLIENT ? '' : e.target.value,
          })
        }
      >
        <option value="">All clients</option>
        {clients.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
        {someWithout && clients.length ? <option value={NO_CLIENT}>No client</option> : null}
      </select>
      <label className="inline-field" htmlFor={`${id}-env`}>
        <span>Environment</span>
      </label>
      <select
        id={`${id}-env`}
        value={props.value.environment ?? ''}
        disabled={props.disabled}
        onChange={(e) =>
          props.onChange({ ...props.value, environment: (e.target.value || null) as ConnectionEnvironment | null })
        }
      >
        <EnvironmentOptions none="All environments" environments={inUse} />
      </select>
    </span>
  );
}
