/**
 * Reads of the token inventory table. The inventory's pages (search, filters,
 * status counts, sort) come from the in-memory index in inventory-index.ts;
 * the rows themselves, exports and everything else are read here in SQL.
 * TokensRepo (tokens-repo.ts) adds the writes.
 *
 * Status ("expiring", "expired") is computed at read time from `lifecycle`
 * and `expires_at`, with the same predicates as shared/token-status.ts, so it
 * is never stale.
 */
import type BetterSqlite3 from 'better-sqlite3';
import {
  DEFAULT_EXPIRING_SOON_DAYS,
  TOKEN_STATUSES,
  type InventoryPage,
  type InventoryQuery,
  type TokenRow,
  type TokenSource,
  type TokenStatus,
} from '../../shared/tokens';
import { daysLeft, soonCutoff, tokenStatus, type TokenLifecycle } from '../../shared/token-status';
import { DEFAULT_STALE_AFTER_DAYS, staleCutoff } from '../../shared/nudges';
import { INVENTORY_MAX_LIMIT } from '../../shared/token-schemas';
import { CONTROL_CHARACTERS } from '../../shared/control-chars';
import type { Db } from '../store/database';
import type { ConnectionEnvironment } from '../../shared/domain';
import { hasGroupFilter, matchesGroup } from '../../shared/connection-groups';
import type { LocalTokenState } from './reconcile';
import { InventoryIndex, TouchedRows, orderBy, type IndexFilter } from './inventory-index';

/** A connection id no row has: what an empty client group filters on. */
const NO_CONNECTION = '';

type Statement = BetterSqlite3.Statement<unknown[], unknown>;

export interface TokensRepoOptions {
  /** IANA zone for `daysLeft`; default: the runtime's zone. */
  timeZone?: string;
}

export interface DbRow {
  id: number;
  connection_id: string | null;
  connection_name: string;
  vault_id: number | null;
  vault_dns: string;
  token_id: string;
  name: string;
  user_id: string;
  user_name: string | null;
  lifecycle: TokenLifecycle;
  expires_at: string | null;
  last_used_at: string | null;
  created_at: string | null;
  secret_stored: number;
  source: TokenSource;
  read_only: number;
  revoked_at: string | null;
  last_synced_at: string | null;
  sandbox_name: string | null;
  first_seen_at: string;
}

type SearchFields = Pick<DbRow, 'name' | 'token_id' | 'user_name' | 'user_id' | 'vault_dns' | 'connection_name'>;

export const ROW_COLUMNS =
  'id, connection_id, connection_name, vault_id, vault_dns, token_id, name, user_id, user_name, lifecycle, expires_at, last_used_at, created_at, secret_stored, source, read_only, revoked_at, last_synced_at, sandbox_name, first_seen_at';

// ---------------------------------------------------------------------------
// SQL pieces (exportRows; the inventory's pages come from inventory-index.ts)

const STATUS_PREDICATE: Record<TokenStatus, string> = {
  active: `(lifecycle = 'active' AND (expires_at IS NULL OR expires_at > @soon))`,
  expiring: `(lifecycle = 'active' AND expires_at > @now AND expires_at <= @soon)`,
  expired: `(lifecycle = 'active' AND expires_at <= @now)`,
  revoked: `(lifecycle = 'revoked')`,
};

/**
 * The nudges (shared/nudges.ts, the reference these must agree with): live tokens not used
 * since @staleBy (never used: made or first seen by then), and live tokens without an expiry.
 * exportRows runs these; the inventory's pages ask the index (inventory-index.ts `mark`), held to
 * the same answer by test/unit/tokens-repo.test.ts.
 */
const STALE_PREDICATE = `(lifecycle = 'active' AND (expires_at IS NULL OR expires_at > @now) AND COALESCE(last_used_at, created_at, first_seen_at) <= @staleBy)`;
const NEVER_EXPIRES_PREDICATE = `(lifecycle = 'active' AND expires_at IS NULL)`;

/** The nudge filters of a query as SQL clauses (AND), or none. */
function nudgeClauses(q: Pick<InventoryQuery, 'stale' | 'staleAfterDays' | 'neverExpires'>, now: Date) {
  const clauses: string[] = [];
  const params: Record<string, string> = {};
  if (q.stale) {
    clauses.push(STALE_PREDICATE);
    params.staleBy = staleCutoff(now, q.staleAfterDays ?? DEFAULT_STALE_AFTER_DAYS);
  }
  if (q.neverExpires) clauses.push(NEVER_EXPIRES_PREDICATE);
  return { clauses, params };
}

const DEFAULT_SORT = { column: 'expiresAt', direction: 'asc' } as const;

/** Lower-cased searchable text; fields joined by a newline so that a search never spans two of them. */
export function searchTextOf(r: SearchFields): string {
  return [r.name, r.token_id, r.user_name ?? '', r.user_id, r.vault_dns, r.connection_name].join('\n').toLowerCase();
}

/** What a search box string becomes before matching: trimmed, lower-cased, control characters dropped. */
export function normaliseSearch(search: string | undefined): string {
  return (search ?? '').replace(CONTROL_CHARACTERS, ' ').trim().toLowerCase();
}

function activeKey(r: Pick<DbRow, 'connection_id' | 'vault_dns' | 'user_id'>): string {
  return r.connection_id === null ? `import\n${r.vault_dns}\n${r.user_id}` : `${r.connection_id}\n${r.user_id}`;
}

// ---------------------------------------------------------------------------
// ---------------------------------------------------------------------------

export class InventoryReader {
  protected readonly timeZone: string | undefined;
  private readonly statements = new Map<string, Statement>();
  private readonly index: InventoryIndex;

  constructor(
    protected readonly db: Db,
    options: TokensRepoOptions = {},
  ) {
    this.timeZone = options.timeZone;
    this.index = new InventoryIndex(db);
  }

  /**
   * Runs a write in one transaction (a savepoint inside the caller's). `touched`
   * takes the ids of every row it inserts, updates or deletes (more is fine):
   * then the next read patches the in-memory index with those rows instead of
   * rebuilding it. Writes outside this (any other SQL), and writes of more rows
   * than a patch is worth, cost a rebuild, never a stale answer.
   */
  protected write<T>(fn: (touched: TouchedRows) => T): T {
    return this.db.transaction(() => {
      const from = this.index.currentVersion();
      const touched = new TouchedRows();
      const result = fn(touched);
      this.index.note(from, this.index.currentVersion(), touched);
      return result;
    })();
  }

  protected stmt(sql: string): Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare<unknown[], unknown>(sql);
      if (this.statements.size > 200) this.statements.clear();
      this.statements.set(sql, s);
    }
    return s;
  }

  // -- reads ----------------------------------------------------------------

  get(rowId: number, now: Date, soonDays: number = DEFAULT_EXPIRING_SOON_DAYS): TokenRow | null {
    const row = this.stmt(`SELECT ${ROW_COLUMNS} FROM tokens WHERE id = ?`).get(rowId) as DbRow | undefined;
    return row ? this.toTokenRows([row], now, soonDays)[0]! : null;
  }

  getByTokenId(
    connectionId: string,
    tokenId: string,
    now: Date,
    soonDays: number = DEFAULT_EXPIRING_SOON_DAYS,
  ): TokenRow | null {
    const row = this.stmt(`SELECT ${ROW_COLUMNS} FROM tokens WHERE connection_id = ? AND token_id = ?`).get(
      connectionId,
      tokenId,
    ) as DbRow | undefined;
    return row ? this.toTokenRows([row], now, soonDays)[0]! : null;
  }

  /** Tokens that count against Vault's 25-per-user limit: active lifecycle and not expired at `now`. */
  activeCountForUser(connectionId: string, userId: string, now: Date): number {
    const row = this.stmt(
      `SELECT count(*) AS n FROM tokens WHERE connection_id = ? AND user_id = ? AND lifecycle = 'active' AND (expires_at IS NULL OR expires_at > ?)`,
    ).get(connectionId, userId, now.toISOString()) as { n: number };
    return row.n;
  }

  /**
   * Sandbox tokens minted through a parent connection (docs/vault-api.md §1.4) that belong to
   * Vault `vaultId`: once that Vault has a connection of its own, its sync adopts them.
   */
  sandboxRowsOfVault(
    vaultId: number,
    exceptConnectionId: string,
  ): { rowId: number; tokenId: string; connectionId: string; sandboxName: string; secretStored: boolean }[] {
    const rows = this.stmt(
      `SELECT id, token_id, connection_id, sandbox_name, secret_stored FROM tokens
        WHERE sandbox_name IS NOT NULL AND vault_id = ? AND connection_id IS NOT NULL AND connection_id <> ? AND read_only = 0`,
    ).all(vaultId, exceptConnectionId) as {
      id: number;
      token_id: string;
      connection_id: string;
      sandbox_name: string;
      secret_stored: number;
    }[];
    return rows.map((r) => ({
      rowId: r.id,
      tokenId: r.token_id,
      connectionId: r.connection_id,
      sandboxName: r.sandbox_name,
      secretStored: r.secret_stored === 1,
    }));
  }

  /** Vault user ids on this connection's rows that have no display name yet (for setUserNames). */
  userIdsWithoutNames(connectionId: string): string[] {
    return this.stmt(
      `SELECT DISTINCT user_id FROM tokens WHERE connection_id = ? AND user_name IS NULL AND user_id <> '' ORDER BY user_id`,
    )
      .pluck()
      .all(connectionId) as string[];
  }

  /** Revoked rows that clearRevoked() would remove (not imported), oldest revocation first. */
  revokedRows(now: Date, soonDays: number = DEFAULT_EXPIRING_SOON_DAYS): TokenRow[] {
    const dbRows = this.stmt(
      `SELECT ${ROW_COLUMNS} FROM tokens WHERE lifecycle = 'revoked' AND read_only = 0 ORDER BY revoked_at, id`,
    ).all() as DbRow[];
    return this.toTokenRows(dbRows, now, soonDays);
  }

  /** Every row of a connection, as reconcile sees it. */
  localStateForConnection(connectionId: string): LocalTokenState[] {
    const rows = this.stmt(`SELECT ${ROW_COLUMNS} FROM tokens WHERE connection_id = ? ORDER BY id`).all(
      connectionId,
    ) as DbRow[];
    return rows.map((r) => ({
      rowId: r.id,
      vaultId: r.vault_id,
      tokenId: r.token_id,
      name: r.name,
      userId: r.user_id,
      lifecycle: r.lifecycle,
      expiresAt: r.expires_at,
      lastUsedAt: r.last_used_at,
      createdAt: r.created_at,
      source: r.source,
      readOnly: r.read_only === 1,
      sandboxName: r.sandbox_name,
      firstSeenAt: r.first_seen_at,
    }));
  }

  /**
   * One page of the inventory: `statusCounts` covers the filtered set without
   * the status filter, and `total` the rows passing every filter. The search,
   * filters, counts and order come from the in-memory index
   * (inventory-index.ts); then only the page's rows are read.
   */
  query(q: InventoryQuery, now: Date, soonDays: number = DEFAULT_EXPIRING_SOON_DAYS): InventoryPage {
    const limit = Math.min(Math.max(1, Math.floor(q.limit)), INVENTORY_MAX_LIMIT);
    const offset = Math.max(0, Math.floor(q.offset));
    q = this.withGroups(q);
    const page = this.index.page(indexFilter(q, now, soonDays), q.sort ?? DEFAULT_SORT, offset, limit);
    return { rows: this.rowsByIds(page.ids, now, soonDays), total: page.total, offset, statusCounts: page.counts };
  }

  /**
   * Client and environment filters (issue 15) become connection ids, intersected with any
   * connection filter; a group with no connection matches nothing (an id no row has).
   */
  private withGroups<Q extends Pick<InventoryQuery, 'clients' | 'environments' | 'connectionIds'>>(q: Q): Q {
    if (!hasGroupFilter(q)) return q;
    const rows = this.stmt('SELECT id, client, environment FROM connections').all() as {
      id: string;
      client: string | null;
      environment: ConnectionEnvironment | null;
    }[];
    const asked = q.connectionIds?.length ? new Set(q.connectionIds) : null;
    const ids = rows.filter((c) => matchesGroup(c, q) && (!asked || asked.has(c.id))).map((c) => c.id);
    return { ...q, connectionIds: ids.length ? ids : [NO_CONNECTION] };
  }

  /** Every row matching the query's filters, in its sort order, ignoring offset and limit (for export). */
  exportRows(
    q: Omit<InventoryQuery, 'offset' | 'limit'> & Partial<Pick<InventoryQuery, 'offset' | 'limit'>>,
    now: Date,
    soonDays: number = DEFAULT_EXPIRING_SOON_DAYS,
  ): TokenRow[] {
    const filter = buildFilter(this.withGroups({ ...q, offset: 0, limit: 1 }), now, soonDays);
    const dbRows = this.stmt(
      `SELECT ${ROW_COLUMNS} FROM tokens WHERE ${filter.full} ORDER BY ${orderBy(q.sort ?? DEFAULT_SORT)}`,
    ).all(filter.params) as DbRow[];
    return this.toTokenRows(dbRows, now, soonDays);
  }

  /**
   * Active, non-imported tokens that expire after `now` and within `days`
   * (× 24 h), soonest first: what reminders look at.
   */
  expiringWithin(days: number, now: Date, soonDays: number = DEFAULT_EXPIRING_SOON_DAYS): TokenRow[] {
    const dbRows = this.stmt(
      `SELECT ${ROW_COLUMNS} FROM tokens WHERE lifecycle = 'active' AND read_only = 0 AND expires_at > ? AND expires_at <= ? ORDER BY expires_at, id`,
    ).all(now.toISOString(), soonCutoff(now, days)) as DbRow[];
    return this.toTokenRows(dbRows, now, soonDays);
  }

  /** Active, non-imported tokens already past their expiry at `now`, most recently expired first. */
  expiredAt(now: Date, soonDays: number = DEFAULT_EXPIRING_SOON_DAYS): TokenRow[] {
    const dbRows = this.stmt(
      `SELECT ${ROW_COLUMNS} FROM tokens WHERE lifecycle = 'active' AND read_only = 0 AND expires_at <= ? ORDER BY expires_at DESC, id`,
    ).all(now.toISOString()) as DbRow[];
    return this.toTokenRows(dbRows, now, soonDays);
  }

  // -- helpers --------------------------------------------------------------

  /**
   * Active tokens per (connection, user) of the given rows, as Vault's limit
   * counts them: one statement for all connected rows of a page. Imported
   * rows count among imported rows of the same Vault DNS.
   */
  private activeCounts(rows: readonly DbRow[], nowIso: string): Map<string, number> {
    const counts = new Map<string, number>();
    const pairs = new Map<string, [string, string]>();
    for (const r of rows) {
      const key = activeKey(r);
      if (counts.has(key) || pairs.has(key)) continue;
      if (r.connection_id !== null) {
        pairs.set(key, [r.connection_id, r.user_id]);
      } else {
        const n = this.stmt(
          `SELECT count(*) FROM tokens WHERE connection_id IS NULL AND user_id = ? AND lifecycle = 'active' AND vault_dns = ? AND (expires_at IS NULL OR expires_at > ?)`,
        )
          .pluck()
          .get(r.user_id, r.vault_dns, nowIso) as number;
        counts.set(key, n);
      }
    }
    if (pairs.size > 0) {
      const found = this.stmt(
        `SELECT p.key AS key, (SELECT count(*) FROM tokens INDEXED BY tokens_by_connection_user
             WHERE connection_id = p.value ->> 0 AND user_id = p.value ->> 1 AND lifecycle = 'active' AND (expires_at IS NULL OR expires_at > @now)) AS n
         FROM json_each(@pairs) AS p`,
      ).all({ pairs: JSON.stringify(Object.fromEntries(pairs)), now: nowIso }) as { key: string; n: number }[];
      for (const f of found) counts.set(f.key, f.n);
    }
    return counts;
  }

  /** Full rows for the given ids, in that order. */
  private rowsByIds(ids: number[], now: Date, soonDays: number): TokenRow[] {
    if (ids.length === 0) return [];
    const found = this.stmt(`SELECT ${ROW_COLUMNS} FROM tokens WHERE id IN (SELECT value FROM json_each(?))`).all(
      JSON.stringify(ids),
    ) as DbRow[];
    const byId = new Map(found.map((r) => [r.id, r]));
    const ordered = ids.map((id) => byId.get(id)).filter((r): r is DbRow => r !== undefined);
    return this.toTokenRows(ordered, now, soonDays);
  }

  protected toTokenRows(rows: DbRow[], now: Date, soonDays: number): TokenRow[] {
    const activeCounts = this.activeCounts(rows, now.toISOString());
    const activeCount = (r: DbRow): number => activeCounts.get(activeKey(r)) ?? 0;
    return rows.map((r) => ({
      rowId: r.id,
      connectionId: r.connection_id,
      connectionName: r.connection_name,
      vaultId: r.vault_id,
      vaultDns: r.vault_dns,
      tokenId: r.token_id,
      name: r.name,
      userId: r.user_id,
      userName: r.user_name,
      status: tokenStatus(r.lifecycle, r.expires_at, now, soonDays),
      expiresAt: r.expires_at,
      daysLeft: daysLeft(r.expires_at, now, this.timeZone),
      lastUsedAt: r.last_used_at,
      createdAt: r.created_at,
      secretStored: r.secret_stored === 1,
      source: r.source,
      readOnly: r.read_only === 1,
      revokedAt: r.revoked_at,
      lastSyncedAt: r.last_synced_at,
      sandboxName: r.sandbox_name,
      userActiveCount: activeCount(r),
    }));
  }
}

// ---------------------------------------------------------------------------

/** The status filter, or null for "any status" (none asked for, or all of them). */
function wantedStatuses(q: Pick<InventoryQuery, 'statuses'>): TokenStatus[] | null {
  const wanted = q.statuses ? TOKEN_STATUSES.filter((s) => q.statuses!.includes(s)) : [];
  return wanted.length === 0 || wanted.length === TOKEN_STATUSES.length ? null : wanted;
}

/** What the in-memory index is asked: the same filters as buildFilter's SQL. */
function indexFilter(q: InventoryQuery, now: Date, soonDays: number): IndexFilter {
  return {
    excludeImports: !q.includeImported,
    connectionIds: q.connectionIds && q.connectionIds.length > 0 ? q.connectionIds : null,
    rowIds: q.rowIds && q.rowIds.length > 0 ? q.rowIds : null,
    secretNotStored: q.secretNotStored === true,
    expiresBy: q.expiresWithinDays === undefined ? null : soonCutoff(now, q.expiresWithinDays),
    search: normaliseSearch(q.search),
    statuses: wantedStatuses(q),
    now: now.toISOString(),
    soon: soonCutoff(now, soonDays),
    staleBy: q.stale ? staleCutoff(now, q.staleAfterDays ?? DEFAULT_STALE_AFTER_DAYS) : null,
    neverExpires: q.neverExpires === true,
  };
}

/**
 * The filters as SQL: what exportRows runs, and the reference the in-memory
 * index must agree with (test/unit/tokens-repo.test.ts compares every shape).
 */
function buildFilter(q: InventoryQuery, now: Date, soonDays: number): { full: string; params: Record<string, string> } {
  const params: Record<string, string> = { now: now.toISOString(), soon: soonCutoff(now, soonDays) };
  const clauses: string[] = q.includeImported ? [] : [`source IN ('generated', 'sync')`];
  if (q.connectionIds && q.connectionIds.length > 0) {
    clauses.push('connection_id IN (SELECT value FROM json_each(@connections))');
    params.connections = JSON.stringify(q.connectionIds);
  }
  if (q.rowIds && q.rowIds.length > 0) {
    clauses.push('id IN (SELECT value FROM json_each(@rowIds))');
    params.rowIds = JSON.stringify(q.rowIds);
  }
  if (q.secretNotStored) clauses.push('secret_stored = 0');
  if (q.expiresWithinDays !== undefined) {
    clauses.push('expires_at > @now AND expires_at <= @within');
    params.within = soonCutoff(now, q.expiresWithinDays);
  }
  const text = normaliseSearch(q.search);
  if (text) {
    clauses.push('instr(search_text, @search) > 0');
    params.search = text;
  }
  const nudges = nudgeClauses(q, now);
  clauses.push(...nudges.clauses);
  Object.assign(params, nudges.params);
  const statuses = wantedStatuses(q);
  if (statuses) clauses.push(`(${statuses.map((s) => STATUS_PREDICATE[s]).join(' OR ')})`);
  return { full: clauses.length > 0 ? clauses.join(' AND ') : '1', params };
}
