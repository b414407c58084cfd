/**
 * Our own keychain interface, so that swapping the library stays a one-file
 * change (keyring-store.ts). One keychain item per secret, under the service
 * name `Vault Token Desk`, with these account names:
 *
 *   signin/<kind>/<domain key>/<user>     a saved sign-in, shared by every connection of that user on
 *                                         that Vault domain: kind password, sso (the identity provider's
 *                                         refresh token) or token (keyed by the whole Vault DNS);
 *                                         electron/connections/signin-accounts.ts (issue 15)
 *   token/<vault id>/<token id>           the value of a token this app generated
 *   connection/<connection id>/sandbox/<sandbox name>/<token id>
 *                                         the value of a token generated for a sandbox through that connection
 *
 * Pasted session ids are kept only in memory. Before issue 15 each connection had its own items
 * (`connection/<connection id>/password`, `/token`, `/oauth-refresh`); a one-time move at startup
 * (signin-migration.ts) files them under the shared names, and sign-in still reads an old name while
 * it is there. Never change this scheme without reading both the old and new names for a
 * while (GitHub Desktop, app/src/lib/auth.ts: never change the naming without reading both names for a while).
 */
import { AppError } from '../../shared/errors';

export const KEYCHAIN_SERVICE = 'Vault Token Desk';

export const accounts = {
  token: (vaultId: string | number, tokenId: string) => `token/${vaultId}/${tokenId}`,
  sandboxToken: (connectionId: string, sandboxName: string, tokenId: string) =>
    `connection/${connectionId}/sandbox/${sandboxName}/${tokenId}`,
  connectionPrefix: (connectionId: string) => `connection/${connectionId}/`,
};

export interface SecretStore {
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  /** Resolves true if an item was deleted, false if there was none. */
  delete(account: string): Promise<boolean>;
  /** Account names only; values stay in the keychain. */
  list(): Promise<string[]>;
  /** Several secrets in one keychain request, where the store can (missing ones are null). */
  getMany?(accounts: readonly string[]): Promise<Map<string, string | null>>;
  /** Cheap probe used by the UI to explain a missing keychain up front. */
  status(): Promise<{ available: boolean; message: string | null }>;
}

/** Several secrets: in one request where the store offers it, otherwise read in parallel. */
export async function readSecrets(store: SecretStore, wanted: readonly string[]): Promise<Map<string, string | null>> {
  if (store.getMany) return store.getMany(wanted);
  const values = await Promise.all(wanted.map((account) => store.get(account)));
  return new Map(wanted.map((account, i) => [account, values[i] ?? null]));
}

/** Plain words per platform on how to get a working keychain. */
export function keychainHelp(platform: NodeJS.Platform = process.platform): string {
  switch (platform) {
    case 'linux':
      return 'Vault Token Desk keeps secrets in the Secret Service (GNOME Keyring or KWallet). Install and unlock one — for example `sudo apt install gnome-keyring` and log in to a desktop session — then try again. Nothing was written to disk in its place.';
    case 'darwin':
      return 'The macOS Keychain refused access or is locked. Unlock your login keychain (Keychain Access) and allow Vault Token Desk when asked, then try again.';
    case 'win32':
      return 'Windows Credential Manager is not available for this user. Sign in to a normal Windows account and try again.';
    default:
      return 'No OS keychain is available on this system.';
  }
}

export function keychainUnavailable(reason: string, cause?: unknown): AppError {
  return new AppError('KEYCHAIN_UNAVAILABLE', `No OS keychain is available (${reason}). ${keychainHelp()}`, { cause });
}
