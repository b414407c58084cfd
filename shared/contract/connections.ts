import { z } from 'zod';
import type { CapabilityCheck } from '../capabilities';
import type { Connection } from '../domain';
import type { ConnectionHealth } from '../tokens';
import { ByConnectionId, ConnectionCreate, ConnectionUpdate, Id, NoInput, Secret } from '../schemas';
import { channel } from './define';

export const connectionsContract = {
  'connections:list': channel<Connection[]>()('listConnections', NoInput),
  'connections:create': channel<Connection>()('createConnection', ConnectionCreate),
  'connections:update': channel<Connection>()('updateConnection', ConnectionUpdate),
  'connections:remove': channel<{ removed: true }>()('removeConnection', ByConnectionId),
  /** The read-only capability check (shared/capabilities.ts); a secret given here is used for this run only. */
  'connections:test': channel<ConnectionTestResult>()(
    'testConnection',
    z.strictObject({ id: Id, secret: Secret.optional() }),
  ),
  /** Supplies a password, token or session id for this run only (kept in memory, never stored). */
  'connections:unlock': channel<{ unlocked: true }>()('unlockConnection', z.strictObject({ id: Id, secret: Secret })),
  'connections:health': channel<ConnectionHealth[]>()('connectionHealth', NoInput),
} as const;

export interface ConnectionTestResult {
  connectionId: string;
  user: { id: string; userName: string | null; displayName: string; timezone: string | null };
  vault: { id: number; name: string | null; dns: string };
  apiVersion: string;
  burstLimitRemaining: number | null;
  seesAllTokens: boolean;
  /** Every API version the Vault offers, oldest first. */
  apiVersions: string[];
  /** The read-only capability check, in a stable order (shared/capabilities.ts). */
  checks: CapabilityCheck[];
}

export interface ConnectionsEvents {
  'connections:changed': { reason: string };
}
