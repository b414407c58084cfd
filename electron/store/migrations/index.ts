/**
 * Ordered list of migrations (pattern: Signal Desktop, ts/sql/migrations/index.node.ts).
 * Append only: never edit a released migration, add a new one.
 */
import { migration001 } from './001-connections-and-audit';
import { migration002 } from './002-token-inventory';
import { migration003 } from './003-reminders';
import { migration004 } from './004-token-search-indexes';
import { migration005 } from './005-sandbox-tokens';
import { migration006 } from './006-inventory-index-in-memory';
import { migration007 } from './007-single-sign-on';
import { migration008 } from './008-rotation-links';
import { migration009 } from './009-token-deliveries';
import { migration010 } from './010-refused-secrets';
import { migration011 } from './011-client-groups';
import type { Migration } from './types';

export const MIGRATIONS: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
  migration008,
  migration009,
  migration010,
  migration011,
];
export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
export type { Migration };
