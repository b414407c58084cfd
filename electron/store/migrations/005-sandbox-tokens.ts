import type { Migration } from './types';

/**
 * Tokens generated for a sandbox through its production Vault (docs/vault-api.md
 * §1.4) live in the sandbox, not in the Vault the connection syncs. They are
 * recorded under the connection that made them with the sandbox's name, so
 * that sync leaves them alone and their keychain item is named for the sandbox.
 */
export const migration005: Migration = {
  version: 5,
  name: 'sandbox tokens',
  up(db) {
    db.exec('ALTER TABLE tokens ADD COLUMN sandbox_name TEXT;');
  },
};
