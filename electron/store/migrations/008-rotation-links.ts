import type { Migration } from './types';

/**
 * Rotation links (issue 13, item 9): after a rotation in this app the old token's row names its
 * replacement and the replacement names the token it replaced, so the details drawer can say
 * "Replaced by …" on one and "Replaces …" on the other. Set by TokensService.rotate once the
 * replacement exists.
 *
 * Vault token ids, not row ids: a token id never changes and is never reused, while a deleted row's
 * id can come back for another token. Each is looked up with the connection through the existing
 * unique (connection_id, token_id) index, so both directions are stored and no new index is needed;
 * a link whose other row was cleared simply finds nothing.
 */
export const migration008: Migration = {
  version: 8,
  name: 'rotation links',
  up(db) {
    db.exec(`
      ALTER TABLE tokens ADD COLUMN replaced_by_token_id TEXT;
      ALTER TABLE tokens ADD COLUMN replaces_token_id TEXT;
    `);
  },
};
