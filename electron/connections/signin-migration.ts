/**
 * The one-time move of saved sign-ins from per-connection keychain items (`connection/<id>/password`,
 * `/token`, `/oauth-refresh`) to one shared item per account (signin-accounts.ts, issue 15 item 2).
 *
 * Never loses a saved secret, and is safe to stop at any point (a crash, a locked keychain):
 *  1. every old item is read first;
 *  2. per shared account, one value is chosen (the newest connection's that Vault has not refused)
 *     unless the shared item already exists (an earlier, interrupted run wrote it: it is kept);
 *  3. it is written, and read back: only a byte-equal read-back lets anything be deleted;
 *  4. then the old items holding that same value are deleted. An old item holding a different value
 *     is left where it was (never lost; it goes with its connection when that is removed), and the log
 *     says so;
 *  5. the refusal mark (issue 13) follows the chosen value to every connection that shares it;
 *  6. only when every account has moved is the move recorded as done (the `settings` table), so the
 *     next start does nothing, not even a keychain search. Until then each start tries again, and
 *     sign-in reads an old item while it is still there (never change the naming without reading
 *     both names for a while: GitHub Desktop, app/src/lib/auth.ts).
 * A database with no saved secret is recorded as done without touching the keychain.
 */
import type { Connection } from '../../shared/domain';
import type { Clock } from '../../shared/clock';
import type { Db } from '../store/database';
import type { Logger } from '../log';
import type { SecretStore } from '../secrets/secret-store';
import type { ConnectionsRepo } from './connections-repo';
import { signInAccount } from '../../shared/signin-accounts';

/** The old, per-connection account names (before issue 15): read by the keychain move only. */
export function legacySignInAccount(c: Pick<Connection, 'id' | 'authMethod'>): string | null {
  if (c.authMethod === 'password') return `connection/${c.id}/password`;
  if (c.authMethod === 'token') return `connection/${c.id}/token`;
  if (c.authMethod === 'sso') return `connection/${c.id}/oauth-refresh`;
  return null;
}

/**
 * A connection's saved sign-in: the shared item, or while the move has not happened yet (a locked
 * keychain at startup), the connection's old item.
 */
export async function readSavedSignIn(
  secrets: SecretStore,
  c: Pick<Connection, 'id' | 'authMethod' | 'dns' | 'username'>,
): Promise<string | null> {
  const shared = signInAccount(c);
  const value = shared ? await secrets.get(shared) : null;
  if (value !== null) return value;
  const legacy = legacySignInAccount(c);
  return legacy ? secrets.get(legacy) : null;
}

const DONE_KEY = 'keychain.signInAccountsMovedAt';

export interface SignInMoveReport {
  /** Shared items written (or found already written) and verified. */
  moved: number;
  /** Old items deleted after their value was verified under the shared name. */
  deleted: number;
  /** Old items kept because they held another value than the shared item. */
  kept: number;
}

export class SignInMigration {
  private running: Promise<void> | null = null;
  /** Once done, never asked of SQLite again: ensure() runs before every saved sign-in is read. */
  private known = false;

  constructor(
    private readonly deps: {
      db: Db;
      repo: ConnectionsRepo;
      secrets: SecretStore;
      clock: Clock;
      logger: Logger;
    },
  ) {}

  done(): boolean {
    this.known ||= this.deps.db.prepare('SELECT 1 FROM settings WHERE key = ?').get(DONE_KEY) !== undefined;
    return this.known;
  }

  /**
   * Runs the move once per database, before anything reads or writes a saved sign-in. A failure is
   * logged, not thrown: sign-in then falls back to the old item, and the next start tries again.
   */
  ensure(): Promise<void> {
    if (this.done()) return Promise.resolve();
    this.running ??= this.run()
      .then((report) => {
        this.deps.logger.info('saved sign-ins moved to shared keychain items', { ...report });
      })
      .catch((error: unknown) => {
        this.deps.logger.warn('saved sign-ins not moved yet; the old keychain items stay in use', {
          error: error instanceof Error ? error.message : String(error),
        });
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  /** The move itself; throws (leaving every old item in place) if the keychain fails. */
  async run(): Promise<SignInMoveReport> {
    const report: SignInMoveReport = { moved: 0, deleted: 0, kept: 0 };
    const connections = this.deps.repo.list();
    if (!connections.some((c) => c.secretStored)) {
      this.markDone();
      return report;
    }
    const present = new Set(await this.deps.secrets.list());
    const groups = new Map<string, { c: Connection; legacy: string }[]>();
    for (const c of connections) {
      const legacy = legacySignInAccount(c);
      const shared = signInAccount(c);
      if (!legacy || !shared || !present.has(legacy)) continue;
      groups.set(shared, [...(groups.get(shared) ?? []), { c, legacy }]);
    }
    for (const [shared, members] of groups) {
      // 1. Read every old item first.
      const values = new Map<string, string>();
      for (const m of members) {
        const value = await this.deps.secrets.get(m.legacy);
        if (value !== null) values.set(m.legacy, value);
      }
      const candidates = members.filter((m) => values.has(m.legacy));
      if (!candidates.length) continue;
      // 2. The shared item an earlier run wrote wins; else the newest connection Vault has not refused.
      const existing = present.has(shared) ? await this.deps.secrets.get(shared) : null;
      const preferred = [...candidates].sort(
        (a, b) =>
          Number(a.c.secretRefused !== null) - Number(b.c.secretRefused !== null) ||
          b.c.updatedAt.localeCompare(a.c.updatedAt),
      )[0]!;
      const value = existing ?? values.get(preferred.legacy)!;
      // 3. Write, and read back byte for byte before anything is deleted.
      if (existing === null) await this.deps.secrets.set(shared, value);
      const readBack = await this.deps.secrets.get(shared);
      if (readBack === null || !Buffer.from(readBack, 'utf8').equals(Buffer.from(value, 'utf8')))
        throw new Error('a shared sign-in did not read back as written; the old items were kept');
      report.moved++;
      // 4. Delete only the old items that hold exactly that value.
      for (const m of candidates) {
        if (values.get(m.legacy) === value) {
          await this.deps.secrets.delete(m.legacy);
          report.deleted++;
        } else report.kept++;
      }
      // 5. Refused or not, as the value now shared is: every connection that uses it follows.
      const source = candidates.find((m) => values.get(m.legacy) === value) ?? preferred;
      const now = this.deps.clock.now().toISOString();
      const users = connections.filter((c) => c.secretStored && signInAccount(c) === shared).map((c) => c.id);
      if (source.c.secretRefused)
        this.deps.repo.markSecretRefusedFor(users, source.c.secretRefused.at, source.c.secretRefused.vaultErrorType);
      else this.deps.repo.setSecretStoredFor(users, true, now);
    }
    if (report.kept) this.deps.logger.warn('old sign-in items with another value were kept', { kept: report.kept });
    this.markDone();
    return report;
  }

  private markDone(): void {
    const now = this.deps.clock.now().toISOString();
    this.deps.db
      .prepare(
        'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
      )
      .run(DONE_KEY, JSON.stringify(now), now);
    this.known = true;
  }
}
