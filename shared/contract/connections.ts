import { z } from 'zod';
import type { CapabilityCheck } from '../capabilities';
import type { Connection } from '../domain';
import type { ConnectionHealth } from '../tokens';
import {
  ByConnectionId,
  ConnectionCreate,
  ConnectionUpdate,
  DiscoverAuthInput,
  Id,
  NoInput,
  Secret,
  SsoSignInInput,
  VaultDns,
} from '../schemas';
import { channel } from './define';
import { CONNECTIONS_CSV_MAX_CHARS, type CsvImportResult, type CsvPreview } from '../connections-csv';

/** A connections CSV as text: the renderer reads the chosen file and sends it; main parses it again. */
const CsvText = z.string().max(CONNECTIONS_CSV_MAX_CHARS, 'The file is larger than 2 MB; split it.');

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
  /**
   * Supplies a password, token or session id for this run (kept in memory); with `remember`, also
   * saves or replaces it in the keychain (never for a session id), clearing an earlier refusal.
   */
  'connections:unlock': channel<{ unlocked: true; remembered: boolean }>()(
    'unlockConnection',
    z.strictObject({ id: Id, secret: Secret, remember: z.boolean().default(false) }),
  ),
  /**
   * A short check before saving: does a Vault answer at this DNS? Sends no credentials
   * (electron/connections/vault-probe.ts); a failure comes with the reason.
   */
  'connections:probe': channel<{ dns: string; apiVersions: number | null }>()(
    'probeVault',
    z.strictObject({ dns: VaultDns }),
  ),
  /** Which of these connections (default: all) cannot sign in without a secret for this run, and why. */
  'connections:needs-secret': channel<SecretNeed[]>()(
    'connectionsNeedingSecret',
    z.strictObject({ ids: z.array(Id).max(10_000).optional() }),
  ),
  'connections:health': channel<ConnectionHealth[]>()('connectionHealth', NoInput),
  /**
   * The Vaults this connection's login reaches (`vaultIds` of a password or single sign-on login,
   * docs/vault-api.md §3.2): siblings and sandboxes of the same domain. Signs in if needed; empty for
   * API-token and pasted-session logins, which Vault tells nothing about.
   */
  'connections:reachable': channel<ReachableVaultInfo[]>()('reachableVaults', ByConnectionId),
  /** Authentication type discovery on the login host (docs/vault-api.md §3.5): password or single sign-on. */
  'connections:discover': channel<DiscoveryAnswer>()('discoverAuth', DiscoverAuthInput),
  /**
   * Single sign-on with the system browser or a device code. Resolves when the identity provider has
   * issued tokens (up to 5 minutes); `connections:sso-progress` reports the stages meanwhile.
   */
  'connections:sso-sign-in': channel<SsoSignInResult>()('ssoSignIn', SsoSignInInput),
  'connections:sso-cancel': channel<{ cancelled: boolean }>()('ssoCancel', ByConnectionId),
  /** Copies the running sign-in's device user code or address (the renderer may not write the clipboard). */
  'connections:sso-copy': channel<{ copied: boolean }>()(
    'ssoCopy',
    z.strictObject({ id: Id, what: z.enum(['code', 'address']) }),
  ),
  /** Issue 15, item 4: every row of a connections CSV checked against the saved names; writes nothing. */
  'connections:csv-preview': channel<CsvPreview>()('previewConnectionsCsv', z.strictObject({ text: CsvText })),
  /**
   * Writes the CSV's connections (without secrets) once the person confirmed. A bad row refuses the
   * whole file unless `skipInvalid`; main reads the text again and does not trust an earlier preview.
   */
  'connections:csv-import': channel<CsvImportResult>()(
    'importConnectionsCsv',
    z.strictObject({
      text: CsvText,
      skipInvalid: z.boolean().default(false),
      fileName: z.string().trim().max(260).optional(),
    }),
  ),
  /** The same columns back, never a secret; formula-looking cells get a leading `'`. */
  'connections:csv-export': channel<{ filename: string; content: string; mimeType: string; count: number }>()(
    'exportConnectionsCsv',
    NoInput,
  ),
} as const;

export interface SecretNeed {
  connectionId: string;
  /** missing: none saved; refused: Vault refused the saved one; session: session ids are never saved. */
  reason: 'missing' | 'refused' | 'session';
  vaultErrorType: string | null;
}

export interface ReachableVaultInfo {
  vaultId: number;
  name: string | null;
  dns: string;
  /** This connection's own Vault. */
  self: boolean;
  /** The connection already saved for that DNS, if any. */
  connectionId: string | null;
}

export interface DiscoveryAnswer {
  loginHost: string;
  authType: 'password' | 'sso';
  profiles: {
    id: string;
    label: string;
    description: string | null;
    /** The Vault admin mapped this app's client id to an identity-provider client id. */
    mapsClientId: boolean;
    browser: boolean;
    deviceCode: boolean;
  }[];
}

export interface SsoSignInResult {
  connectionId: string;
  profile: { id: string; label: string };
  /** A refresh token is in the keychain, so the app renews silently. */
  refreshStored: boolean;
}

export type SsoProgressEvent =
  | { connectionId: string; stage: 'discovering' | 'vault' }
  | { connectionId: string; stage: 'browser'; url: string }
  | {
      connectionId: string;
      stage: 'device';
      userCode: string;
      verificationUri: string;
      verificationUriComplete: string | null;
      expiresAt: string;
    };

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
  'connections:sso-progress': SsoProgressEvent;
}
