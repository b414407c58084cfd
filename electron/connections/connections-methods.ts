/** The methods answering shared/contract/connections.ts: the list, and signing in to check a connection. */
import type { MethodsFor } from '../../shared/contract';
import type { connectionsContract } from '../../shared/contract/connections';
import { AppError } from '../../shared/errors';
import type { Clock } from '../../shared/clock';
import type { EventEmitterFn } from '../app/events';
import type { AuditRepo } from '../store/audit-repo';
import type { ConnectionsRepo } from './connections-repo';
import type { ConnectionsService } from './connections-service';
import type { VaultGateway } from './vault-gateway';
import { testAndRecord, type DiscoverService } from './discover-service';
import type { discoverContract } from '../../shared/contract/discover';
import { ConnectionsCsv } from './connections-csv';

export interface ConnectionsMethodsDeps {
  connections: ConnectionsService;
  connectionsRepo: ConnectionsRepo;
  gateway: VaultGateway;
  audit: AuditRepo;
  clock: Clock;
  emit: EventEmitterFn;
  hasUnsavedValues: (connectionId: string) => boolean;
  /** Puts text on the clipboard (cleared after a while, like token values). */
  copyText: (text: string) => Promise<void>;
  /** Does a Vault answer at this DNS (no credentials sent)? */
  probe: (dns: string) => Promise<{ dns: string; apiVersions: number | null }>;
  discover: DiscoverService;
}

export function connectionsMethods(deps: ConnectionsMethodsDeps): MethodsFor<typeof connectionsContract> {
  const d = deps;
  // Every window showing connections (list, strip, pickers) reloads on this event.
  const changed = <T>(reason: string, value: T): T => {
    deps.emit('connections:changed', { reason });
    return value;
  };
  const csv = new ConnectionsCsv({ connections: deps.connectionsRepo, audit: deps.audit, clock: deps.clock });
  return {
    listConnections: async () => deps.connections.list(),
    previewConnectionsCsv: async ({ text }) => csv.preview(text),
    importConnectionsCsv: async ({ text, skipInvalid, fileName }) =>
      changed('csv-import', csv.import(text, { skipInvalid, fileName })),
    exportConnectionsCsv: async () => csv.export(),
    createConnection: async (request) => changed('create', await deps.connections.create(request)),
    async updateConnection(request) {
      const updated = await deps.connections.update(request);
      // DNS, user or auth method may have changed: the cached session is no longer right.
      await deps.gateway.forget(updated.id);
      return changed('update', updated);
    },
    async removeConnection(request) {
      if (deps.hasUnsavedValues(request.id)) {
        throw new AppError(
          'GUARD',
          'A token generated on this connection has a value that is not in the keychain yet. Copy it and confirm first; nothing was removed.',
        );
      }
      await deps.connections.remove(request.id);
      await deps.gateway.forget(request.id);
      return changed('remove', { removed: true as const });
    },
    async testConnection({ id, secret }) {
      const connection = d.connections.require(id);
      if (secret) await d.gateway.provideSecret(id, secret);
      return testAndRecord(d, connection);
    },
    async unlockConnection({ id, secret, remember }) {
      const connection = d.connections.require(id);
      const saved = remember && connection.authMethod !== 'session';
      if (saved) await d.connections.replaceSecret(id, secret);
      await d.gateway.provideSecret(id, secret);
      return saved
        ? changed('secret', { unlocked: true as const, remembered: true })
        : { unlocked: true as const, remembered: false };
    },
    probeVault: ({ dns }) => d.probe(dns),
    async connectionsNeedingSecret({ ids }) {
      const wanted = ids ? new Set(ids) : null;
      return d.connections
        .list()
        .filter((c) => !wanted || wanted.has(c.id))
        .flatMap((c) => {
          const reason = d.gateway.secretNeeded(c);
          return reason
            ? [
                {
                  connectionId: c.id,
                  reason,
                  vaultErrorType: reason === 'refused' ? (c.secretRefused?.vaultErrorType ?? null) : null,
                },
              ]
            : [];
        });
    },
    connectionHealth: async () => d.connectionsRepo.health(),
    reachableVaults: ({ id }) => d.discover.reachable(id),
    async discoverAuth(request) {
      const found = await d.gateway.sso.discover(request);
      return {
        loginHost: found.loginHost,
        authType: found.authType,
        profiles: found.profiles.map((p) => ({
          id: p.id,
          label: p.label,
          description: p.description,
          mapsClientId: p.asClientId !== null,
          browser: p.authorizationEndpoint !== null,
          deviceCode: p.deviceAuthorizationEndpoint !== null,
        })),
      };
    },
    async ssoSignIn({ id, mode }) {
      const connection = d.connections.require(id);
      // A new sign-in replaces the Vault session of the old one.
      await d.gateway.forget(id);
      const result = await d.gateway.sso.signIn(connection, {
        mode,
        onProgress: (p) => d.emit('connections:sso-progress', { connectionId: id, ...p }),
      });
      return changed('sso-sign-in', { connectionId: id, ...result });
    },
    ssoCancel: async ({ id }) => ({ cancelled: d.gateway.sso.cancel(id) }),
    async ssoCopy({ id, what }) {
      const value = d.gateway.sso.shownValue(id, what);
      if (value) await d.copyText(value);
      return { copied: Boolean(value) };
    },
  };
}

/** Discover and add (shared/contract/discover.ts): every window showing connections reloads afterwards. */
export function discoverMethods(deps: {
  discover: DiscoverService;
  emit: EventEmitterFn;
}): MethodsFor<typeof discoverContract> {
  return {
    async addReachableVaults({ id, vaultIds, client }) {
      const outcomes = await deps.discover.addReachable(id, vaultIds, client === undefined ? {} : { client });
      deps.emit('connections:changed', { reason: 'add-reachable' });
      return outcomes;
    },
  };
}
