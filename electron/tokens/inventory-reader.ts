/**
 * Reads of the token inventory table, and the read planner behind the
 * inventory's pages: filters, sorts and counts in SQL, with the index choices
 * explained where they are made. TokensRepo (tokens-repo.ts) adds the writes.
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
  type InventorySortColumn,
  type TokenRow,
  type TokenSource,
  type TokenStatus,
} from '../../shared/tokens';
import { daysLeft, soonCutoff, tokenStatus, type TokenLifecycle } from '../../shared/token-status';
import { INVENTORY_MAX_LIMIT } from '../../shared/token-schemas';
import { CONTROL_CHARACTERS } from '../../shared/control-chars';
import type { Db } from '../store/database';
import type { LocalTokenState } from './reconcile';

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
// SQL pieces

/** Same order as TOKEN_STATUSES; used to sort by status. */
const STATUS_RANK_SQL = `CASE WHEN lifecycle = 'revoked' THEN 3 WHEN expires_at IS NULL THEN 0 WHEN expires_at <= @now THEN 2 WHEN expires_at <= @soon THEN 1 ELSE 0 END`;

const STATUS_PREDICATE: Record<TokenStatus, string> = {
  active: `(lifecycle = 'active' AND (expires_at IS NULL OR expires_at > @soon))`,
  expiring: `(lifecycle = 'active' AND expires_at > @now AND expires_at <= @soon)`,
  expired: `(lifecycle = 'active' AND expires_at <= @now)`,
  revoked: `(lifecycle = 'revoked')`,
};

/**
 * ORDER BY terms per column (then row id, in the same direction, as the
 * tie-break). The expressions are exactly those of the sort indexes in
 * migration 004, so SQLite can walk an index instead of sorting.
 */
const SORT_KEYS: Record<InventorySortColumn, string[]> = {
  connection: ['connection_name COLLATE NOCASE', 'name COLLATE NOCASE'],
  user: ['COALESCE(user_name, user_id) COLLATE NOCASE', 'connection_name COLLATE NOCASE'],
  name: ['name COLLATE NOCASE'],
  tokenId: ['token_id'],
  status: [STATUS_RANK_SQL, '(expires_at IS NULL)', 'expires_at'],
  // Never-expiring tokens sort as the far future: last ascending, first descending.
  expiresAt: ['(expires_at IS NULL)', 'expires_at'],
  // Never used / never synced sort as the distant past.
  lastUsedAt: ['last_used_at'],
  secretStored: ['secret_stored', '(expires_at IS NULL)', 'expires_at'],
  lastSyncedAt: ['last_synced_at'],
};

/** Indexes whose order is SORT_KEYS[column] + rowid (migration 004). */
const SORT_INDEX: Partial<Record<InventorySortColumn, string>> = {
  expiresAt: 'tokens_sort_expiry',
  name: 'tokens_sort_name',
  connection: 'tokens_sort_connection',
  user: 'tokens_sort_user',
  lastUsedAt: 'tokens_sort_last_used',
};

/** Sort columns whose keys are all in the narrow tokens_lookup index. */
const LOOKUP_COVERS_SORT = new Set<InventorySortColumn>(['expiresAt', 'status', 'secretStored']);

/**
 * Walking a sort index pays off while it visits at most this many entries to
 * fill the page; past that, a filter index plus a sort of the matches is cheaper.
 */
const SORT_WALK_LIMIT = 20_000;

/** Pages deeper than this (offset + limit) use two statements with SQL OFFSET instead of the single pass. */
const SINGLE_PASS_MAX_ROWS = 5_000;

const DEFAULT_SORT = { column: 'expiresAt', direction: 'asc' } as const;

/** Lower-cased searchable text; fields joined by a newline so that a search never spans two of them. */
export function searchTextOf(r: SearchFields): string {
  return [r.name, r.token_id, r.user_name ?? '', r.user_id, r.vault_dns, r.connection_name].join('\n').toLowerCase();
}

/** What a search box string becomes before matching: trimmed, lower-cased, control characters dropped. */
export function normaliseSearch(search: string | undefined): string {
  return (search ?? '').replace(CONTROL_CHARACTERS, ' ').trim().toLowerCase();
}

function emptyCounts(): Record<TokenStatus, number> {
  return { active: 0, expiring: 0, expired: 0, revoked: 0 };
}

function activeKey(r: Pick<DbRow, 'connection_id' | 'vault_dns' | 'user_id'>): string {
  return r.connection_id === null ? `import\n${r.vault_dns}\n${r.user_id}` : `${r.connection_id}\n${r.user_id}`;
}

/** Rows passing the status filter: the sum of the counts of the statuses asked for. */
function totalOf(counts: Record<TokenStatus, number>, statuses: readonly TokenStatus[] | null): number {
  return (statuses ?? TOKEN_STATUSES).reduce((n, s) => n + counts[s], 0);
}

// ---------------------------------------------------------------------------
// ---------------------------------------------------------------------------

export class InventoryReader {
  protected readonly timeZone: string | undefined;
  private readonly statements = new Map<string, Statement>();

  constructor(
    protected readonly db: Db,
    options: TokensRepoOptions = {},
  ) {
    this.timeZone = options.timeZone;
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
   * One page of the inventory. Filtering, sorting and paging happen in SQL;
   * `statusCounts` covers the filtered set without the status filter, and
   * `total` is derived from it rather than counted again.
   *
   * Two query shapes, chosen by what the filter is:
   * - no search and no connection/row filter: status counts are index range
   *   counts, and the page walks the sort column's index (or, when the rows
   *   wanted are sparse in it, SQLite chooses);
   * - otherwise the candidate rows (search matches, a connection's rows) are
   *   read ONCE: one statement returns the first offset+limit rows in order
   *   (rows passing the status filter first) with the counts alongside, as
   *   window aggregates over every candidate.
   * Either way the page is found as row ids first and only those rows are read.
   */
  query(q: InventoryQuery, now: Date, soonDays: number = DEFAULT_EXPIRING_SOON_DAYS): InventoryPage {
    const limit = Math.min(Math.max(1, Math.floor(q.limit)), INVENTORY_MAX_LIMIT);
    const offset = Math.max(0, Math.floor(q.offset));
    const sort = q.sort ?? DEFAULT_SORT;
    const f = buildFilter(q, now, soonDays, this.hasImports());

    const single = f.search || f.narrowed ? this.candidateSource(f, sort.column) : null;
    if (single !== null && offset + limit <= SINGLE_PASS_MAX_ROWS) {
      const found = this.stmt(
        `SELECT id, ${f.statuses ? `(${f.statusFilter})` : '1'} AS wanted,
           count(*) OVER everything AS total,
           coalesce(sum(lifecycle = 'revoked') OVER everything, 0) AS revoked,
           coalesce(sum(lifecycle = 'active' AND expires_at <= @now) OVER everything, 0) AS expired,
           coalesce(sum(lifecycle = 'active' AND expires_at > @now AND expires_at <= @soon) OVER everything, 0) AS expiring
         FROM ${single} WHERE ${f.base}
         WINDOW everything AS ()
         ORDER BY wanted DESC, ${orderBy(sort)}
         LIMIT @end`,
      ).all({ ...f.params, end: offset + limit }) as {
        id: number;
        wanted: number;
        total: number;
        revoked: number;
        expired: number;
        expiring: number;
      }[];
      const first = found[0];
      const statusCounts = first
        ? {
            active: first.total - first.revoked - first.expired - first.expiring,
            expiring: first.expiring,
            expired: first.expired,
            revoked: first.revoked,
          }
        : emptyCounts();
      const ids = found
        .slice(offset)
        .filter((r) => r.wanted === 1)
        .map((r) => r.id);
      return {
        rows: this.rowsByIds(ids, now, soonDays),
        total: totalOf(statusCounts, f.statuses),
        offset,
        statusCounts,
      };
    }

    const statusCounts = this.statusCounts(f);
    const total = totalOf(statusCounts, f.statuses);
    let rows: TokenRow[] = [];
    if (offset < total) {
      const from = this.pageSource(f, sort.column, total, offset + limit);
      const ids = this.stmt(
        `SELECT id FROM ${from} WHERE ${f.full} ORDER BY ${orderBy(sort)} LIMIT @limit OFFSET @offset`,
      )
        .pluck()
        .all({ ...f.params, limit, offset }) as number[];
      rows = this.rowsByIds(ids, now, soonDays);
    }
    return { rows, total, offset, statusCounts };
  }

  /** Every row matching the query's filters, in its sort order, ignoring offset and limit (for export). */
  exportRows(
    q: Omit<InventoryQuery, 'offset' | 'limit'> & Partial<Pick<InventoryQuery, 'offset' | 'limit'>>,
    now: Date,
    soonDays: number = DEFAULT_EXPIRING_SOON_DAYS,
  ): TokenRow[] {
    const filter = buildFilter({ ...q, offset: 0, limit: 1 }, now, soonDays);
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

  private hasImports(): boolean {
    return (
      this.stmt(`SELECT EXISTS (SELECT 1 FROM tokens INDEXED BY tokens_by_status WHERE source = 'import')`)
        .pluck()
        .get() === 1
    );
  }

  /**
   * Counts by status in one statement. With no search and no connection
   * filter, four index range counts (tokens_by_status); otherwise one pass
   * over the candidate rows (search matches through the narrow tokens_lookup
   * index, or a connection's rows through tokens_by_connection_user).
   */
  private statusCounts(f: Filter): Record<TokenStatus, number> {
    let row: { revoked: number; expired: number; expiring: number; active: number };
    if (!f.search && !f.narrowed) {
      const count = (status: string) =>
        `(SELECT count(*) FROM tokens INDEXED BY tokens_by_status WHERE ${f.rangeBase} AND ${status})`;
      // "Active" is the largest range; with no filter but the source it is what remains of
      // the table's row count, which SQLite keeps cheaply.
      const all = f.sourceOnly
        ? `(SELECT count(*) FROM tokens) - ${f.excludeImports ? `(SELECT count(*) FROM tokens INDEXED BY tokens_by_status WHERE source = 'import')` : '0'}`
        : `${count(`lifecycle = 'active' AND expires_at IS NULL`)} + ${count(`lifecycle = 'active' AND expires_at > @soon`)}`;
      const got = this.stmt(
        `SELECT ${count(`lifecycle = 'revoked'`)} AS revoked,
           ${count(`lifecycle = 'active' AND expires_at <= @now`)} AS expired,
           ${count(`lifecycle = 'active' AND expires_at > @now AND expires_at <= @soon`)} AS expiring,
           ${all} AS n`,
      ).get(f.params) as { revoked: number; expired: number; expiring: number; n: number };
      // n is every row when only the source filters, else the active rows themselves.
      const active = f.sourceOnly ? got.n - got.revoked - got.expired - got.expiring : got.n;
      row = { revoked: got.revoked, expired: got.expired, expiring: got.expiring, active };
    } else {
      // Every column these sums need is in tokens_lookup.
      const from = f.narrowed
        ? 'tokens'
        : f.search?.kind === 'fts'
          ? 'tokens INDEXED BY tokens_lookup'
          : 'tokens NOT INDEXED';
      const sums = this.stmt(
        `SELECT count(*) AS total,
           coalesce(sum(lifecycle = 'revoked'), 0) AS revoked,
           coalesce(sum(lifecycle = 'active' AND expires_at <= @now), 0) AS expired,
           coalesce(sum(lifecycle = 'active' AND expires_at > @now AND expires_at <= @soon), 0) AS expiring
         FROM ${from} WHERE ${f.base}`,
      ).get(f.params) as { total: number; revoked: number; expired: number; expiring: number };
      row = { ...sums, active: sums.total - sums.revoked - sums.expired - sums.expiring };
    }
    return { active: row.active, expiring: row.expiring, expired: row.expired, revoked: row.revoked };
  }

  /**
   * Where the single-pass statement reads the candidate rows, or null when
   * two passes are cheaper: a search sorted by a text column would otherwise
   * read every match's wide row just to count it.
   */
  private candidateSource(f: Filter, column: InventorySortColumn): string | null {
    if (f.narrowed) return 'tokens';
    if (f.search?.kind === 'fts') return LOOKUP_COVERS_SORT.has(column) ? 'tokens INDEXED BY tokens_lookup' : null;
    return 'tokens NOT INDEXED';
  }

  /**
   * Where the page's row ids come from. Search matches: the narrow
   * tokens_lookup index when it holds the sort key, else the rows. No search
   * and no connection filter: walk the sort column's index when the rows we
   * need are dense enough in it (known exactly from the counts), so a first
   * page reads ~100 index entries instead of sorting everything; otherwise
   * let SQLite choose. A short search (no trigram) reads the table in order:
   * one sequential pass beats a random lookup per row.
   *
   * The hints exist because the app does not keep planner statistics
   * (ANALYZE) current, and without them SQLite takes `source IN (...)` for a
   * selective index and looks up every row at random.
   */
  private pageSource(f: Filter, column: InventorySortColumn, matching: number, needed: number): string {
    if (f.narrowed) return 'tokens';
    if (f.search?.kind === 'fts') return LOOKUP_COVERS_SORT.has(column) ? 'tokens INDEXED BY tokens_lookup' : 'tokens';
    if (f.search?.kind === 'scan') return 'tokens NOT INDEXED';
    const index = SORT_INDEX[column];
    if (index) {
      const all = this.stmt('SELECT count(*) FROM tokens').pluck().get() as number;
      const entriesToWalk = (needed * all) / Math.max(1, matching);
      if (entriesToWalk <= SORT_WALK_LIMIT) return `tokens INDEXED BY ${index}`;
      return 'tokens';
    }
    return LOOKUP_COVERS_SORT.has(column) ? 'tokens INDEXED BY tokens_lookup' : 'tokens NOT INDEXED';
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

interface Filter {
  /** Every filter except status (what statusCounts covers). */
  base: string;
  /** The same, with the source term usable by an index. */
  rangeBase: string;
  /** base AND the status filter. */
  full: string;
  /** The status filter alone ('1' when there is none). */
  statusFilter: string;
  params: Record<string, string | number>;
  /** The status filter, or null for "any status". */
  statuses: TokenStatus[] | null;
  search: { kind: 'fts' | 'scan' } | null;
  /** A connection or row-id filter: usually few rows, found through their own index. */
  narrowed: boolean;
  /** No filter but which sources (imported or not). */
  sourceOnly: boolean;
  /** Imported rows exist and are left out. */
  excludeImports: boolean;
}

/** Phrase query for the trigram index: the whole search as one quoted string. */
function ftsPhrase(search: string): string {
  return `"${search.replace(/"/g, '""')}"`;
}

function buildFilter(q: InventoryQuery, now: Date, soonDays: number, importsExist = true): Filter {
  const params: Record<string, string | number> = { now: now.toISOString(), soon: soonCutoff(now, soonDays) };
  // Leaving imported rows out needs a test only when there are some: without it, walking
  // a sort index needs no row lookups at all.
  const excludeImports = !q.includeImported && importsExist;
  const sources = excludeImports ? `('generated', 'sync')` : `('generated', 'sync', 'import')`;
  // The unary + keeps SQLite from choosing an index for this barely selective term.
  const clauses: string[] = excludeImports ? [`+source IN ${sources}`] : [];
  const connections = Boolean(q.connectionIds && q.connectionIds.length > 0);
  if (connections) {
    clauses.push('connection_id IN (SELECT value FROM json_each(@connections))');
    params.connections = JSON.stringify(q.connectionIds);
  }
  const rowIds = Boolean(q.rowIds && q.rowIds.length > 0);
  if (rowIds) {
    clauses.push('id IN (SELECT value FROM json_each(@rowIds))');
    params.rowIds = JSON.stringify(q.rowIds);
  }
  if (q.secretNotStored) clauses.push('secret_stored = 0');
  if (q.expiresWithinDays !== undefined) {
    clauses.push('expires_at > @now AND expires_at <= @within');
    params.within = soonCutoff(now, q.expiresWithinDays);
  }
  let search: Filter['search'] = null;
  const text = normaliseSearch(q.search);
  if (text) {
    // The trigram index answers 3+ characters; shorter searches scan.
    if ([...text].length >= 3) {
      search = { kind: 'fts' };
      clauses.push('id IN (SELECT rowid FROM tokens_fts WHERE tokens_fts MATCH @match)');
      params.match = ftsPhrase(text);
    } else {
      search = { kind: 'scan' };
      clauses.push('instr(search_text, @search) > 0');
      params.search = text;
    }
  }
  const base = clauses.length > 0 ? clauses.join(' AND ') : '1';
  // For range counts on tokens_by_status, whose first column is source.
  const rangeBase = [`source IN ${sources}`, ...clauses.slice(excludeImports ? 1 : 0)].join(' AND ');

  const wanted = q.statuses ? TOKEN_STATUSES.filter((s) => q.statuses!.includes(s)) : [];
  const statuses = wanted.length === 0 || wanted.length === TOKEN_STATUSES.length ? null : wanted;
  const statusFilter = statuses ? statuses.map((s) => STATUS_PREDICATE[s]).join(' OR ') : '1';
  const full = statuses ? `${base} AND (${statusFilter})` : base;
  return {
    base,
    rangeBase,
    full,
    statusFilter,
    params,
    statuses,
    search,
    narrowed: connections || rowIds,
    sourceOnly: clauses.length === (excludeImports ? 1 : 0),
    excludeImports,
  };
}

function orderBy(sort: { column: InventorySortColumn; direction: 'asc' | 'desc' }): string {
  const dir = sort.direction === 'desc' ? 'DESC' : 'ASC';
  return [...SORT_KEYS[sort.column], 'id'].map((key) => `${key} ${dir}`).join(', ');
}
