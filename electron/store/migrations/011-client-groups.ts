import type { Migration } from './types';

/**
 * Client groups (issue 15, item 3): the client (customer) a connection belongs to, free text, and
 * its environment (DEV, QA, UAT, PROD, sandbox, other; shared/domain.ts). Both optional: existing
 * connections keep NULL until someone sets them. Filters compare the client without case.
 */
export const migration011: Migration = {
  version: 11,
  name: 'client groups',
  up(db) {
    db.exec(`
      ALTER TABLE connections ADD COLUMN client TEXT;
      ALTER TABLE connections ADD COLUMN environment TEXT
        CHECK (environment IS NULL OR environment IN ('DEV', 'QA', 'UAT', 'PROD', 'sandbox', 'other'));
      CREATE INDEX connections_client ON connections (client COLLATE NOCASE);
    `);
  },
};
