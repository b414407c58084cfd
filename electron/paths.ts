/**
 * Where data lives. `VAULT_TOKEN_DESK_HOME` wins (tests, the CLI, portable
 * installs); otherwise Electron's `userData`, which the CLI reproduces without
 * Electron so that both share one database:
 *   Linux   $XDG_CONFIG_HOME/Vault Token Desk  (default ~/.config/…)
 *   macOS   ~/Library/Application Support/Vault Token Desk
 *   Windows %APPDATA%\Vault Token Desk
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export const PRODUCT_NAME = 'Vault Token Desk';
export const DATABASE_FILE = 'vault-token-desk.sqlite';

export function defaultUserDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', PRODUCT_NAME);
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), PRODUCT_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), PRODUCT_NAME);
}

export function resolveDataDir(
  options: { explicit?: string; env?: NodeJS.ProcessEnv; electronUserData?: string } = {},
): string {
  const env = options.env ?? process.env;
  return options.explicit ?? env.VAULT_TOKEN_DESK_HOME ?? options.electronUserData ?? defaultUserDataDir(env);
}

export function databasePath(dataDir: string): string {
  return join(dataDir, DATABASE_FILE);
}
