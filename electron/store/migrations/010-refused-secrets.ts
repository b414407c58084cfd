import type { Migration } from './types';

/**
 * A saved password or login token that Vault refused (issue 13, item 1): when, and Vault's error
 * type. While it is set the app never sends that secret again (Vault locks accounts after repeated
 * failures); replacing the secret clears it. The secret itself stays in the keychain only.
 */
export const migration010: Migration = {
  version: 10,
  name: 'refused saved secrets',
  up(db) {
    db.exec(`
      ALTER TABLE connections ADD COLUMN secret_refused_at TEXT;
      ALTER TABLE connections ADD COLUMN secret_refused_type TEXT;
    `);
  },
};
