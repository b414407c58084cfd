/**
 * The inventory's search, filters, status counts and sort order, answered
 * from memory (issue 14). One compact copy per row of what a query looks at:
 * the lower-cased search text, lifecycle, expiry, source, whether a value is
 * stored, the connection, and since when it is idle (the nudges' "stale");
 * plus, per sort column asked for, the rows in that order.
 *
 * Why not SQLite: every page also reports the total and the count per status
 * over everything that matches, so a search that matches every row must visit
 * every row. SQLite's best here was a scan of a narrow table at ~0.5 µs a row
 * (50–100 ms for 100,000 rows on the benchmark machine), and the FTS5 trigram
 * index that made 3+ character searches fast made every write four times
 * slower. `String.prototype.includes` over 100,000 short strings takes a few
 * milliseconds, whatever the search.
 *
 * Exactness: the search text, the status predicates and the comparisons are
 * those of the SQL filters (inventory-reader.ts `buildFilter`, kept as the
 * reference that exportRows runs), and every sort order is SQLite's own: the
 * rows in ORDER BY order, read once per column and kept. Expiries compare as
 * numbers, which for canonical timestamps (all the repo writes) is comparing
 * the strings; any other value is compared as a string, as SQL does.
 *
 * Freshness: `tokens_version` (migration 006) gets a new random value from
 * triggers on every change to `tokens`, by any code on any connection. Each
 * query reads it. When it moved and the writes since were TokensRepo's own,
 * which said which rows they touched (`note`), only those rows are read again
 * and moved in the sort orders; after any other change the copy is rebuilt
 * (0.5–1 s for 100,000 rows on the benchmark machine) and the orders are
 * rebuilt when next asked for (0.1–0.3 s each). Reads run in one transaction: the copy and the orders always come from
 * the same snapshot.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { TOKEN_STATUSES, type InventorySortColumn, type TokenStatus } from '../../shared/tokens';
import { CONNECTION_ENVIRONMENTS } from '../../shared/domain';
import { canonicalTimestampMs } from './timestamps';

type Db = BetterSqlite3.Database;
type Sort = { column: InventorySortColumn; direction: 'asc' | 'desc' };

/** Same order as TOKEN_STATUSES; used to sort by status. */
export const STATUS_RANK_SQL = `CASE WHEN lifecycle = 'revoked' THEN 3 WHEN expires_at IS NULL THEN 0 WHEN expires_at <= @now THEN 2 WHEN expires_at <= @soon THEN 1 ELSE 0 END`;

/**
 * A connection's client group in sort order: with a client before without (the ungrouped last,
 * as never-expiring tokens are), the client without case, then the environment in
 * CONNECTION_ENVIRONMENTS order (DEV … PROD, sandbox, other; none last). A row without a
 * connection (imported, or its connection removed) is in the group of no client, no environment.
 */
function groupKeys(client: string, environment: string): string[] {
  const envRank = CONNECTION_ENVIRONMENTS.map((e, i) => `WHEN '${e}' THEN ${i}`).join(' ');
  return [
    `(${client} IS NULL)`,
    `${client} COLLATE NOCASE`,
    `(CASE ${environment} ${envRank} ELSE ${CONNECTION_ENVIRONMENTS.length} END)`,
  ];
}
const ROW_CONNECTION = (column: string) => `(SELECT ${column} FROM connections c WHERE c.id = tokens.connection_id)`;

/**
 * ORDER BY terms per column (then row id, in the same direction, as the
 * tie-break). Case-insensitive text sorts use SQLite's NOCASE (ASCII only).
 */
export const SORT_KEYS: Record<InventorySortColumn, string[]> = {
  connection: ['connection_name COLLATE NOCASE', 'name COLLATE NOCASE'],
  // The client group (issue 15), then the Vault's order: the grid's "group by client".
  client: [
    ...groupKeys(ROW_CONNECTION('client'), ROW_CONNECTION('environment')),
    'connection_name COLLATE NOCASE',
    'name COLLATE NOCASE',
  ],
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

export function orderBy(sort: Sort): string {
  const dir = sort.direction === 'desc' ? 'DESC' : 'ASC';
  return [...SORT_KEYS[sort.column], 'id'].map((key) => `${key} ${dir}`).join(', ');
}

/**
 * Status and "secret stored" sort as groups, each in expiry order (their
 * ORDER BY terms after the first are expiresAt's): they share its order.
 * The client sort is the Vault order regrouped by client (see `clientOrder`).
 */
type OrderColumn = Exclude<InventorySortColumn, 'status' | 'secretStored' | 'client'>;
function orderColumn(column: InventorySortColumn): OrderColumn {
  if (column === 'client') return 'connection';
  return column === 'status' || column === 'secretStored' ? 'expiresAt' : column;
}

/**
 * Each connection's rank among the client groups (equal for equal groups, SQLite's own
 * comparison), plus the rank of a row without a connection (or whose connection is gone): the
 * group of no client and no environment. Read on every query: connections are few, and a new
 * client changes no token row, so tokens_version would not say so.
 */
const GROUP_RANK_SQL = `SELECT id, DENSE_RANK() OVER (ORDER BY ${groupKeys('client', 'environment').join(', ')}) - 1 FROM
  (SELECT id, client, environment FROM connections UNION ALL SELECT NULL, NULL, NULL)`;

/** What a query asks of the index; inventory-reader.ts builds it from an InventoryQuery. */
export interface IndexFilter {
  /** Leave out imported rows. */
  excludeImports: boolean;
  connectionIds: readonly string[] | null;
  rowIds: readonly number[] | null;
  secretNotStored: boolean;
  /** Expiring after `now` and at most then (ISO), or null for no such filter. */
  expiresBy: string | null;
  /** Normalised search text ('' for none; never a control character): a substring of the row's search_text. */
  search: string;
  /** The statuses asked for, or null for any. */
  statuses: readonly TokenStatus[] | null;
  /** Canonical ISO instants (soonCutoff, toISOString). */
  now: string;
  soon: string;
  /** Nudges (shared/nudges.ts): only live rows idle (last used, else made, else first seen) at or before this instant; null for no such filter. */
  staleBy: string | null;
  /** Nudges: only live rows without an expiry. */
  neverExpires: boolean;
}

export interface IndexPage {
  /** Row ids of the page, in order. */
  ids: number[];
  /** Rows passing every filter (status included). */
  total: number;
  /** Per status, rows passing every filter but the status one. */
  counts: Record<TokenStatus, number>;
}

/**
 * The rows a write changed, as far as it says: their ids, or (past
 * PATCH_MAX_ROWS, or when it cannot tell) unknown, and the index is rebuilt.
 */
export class TouchedRows {
  readonly ids: number[] = [];
  private unknown = false;

  /** Whether naming more rows is still of use (false once there are too many). */
  get wanted(): boolean {
    return !this.unknown;
  }

  /** Whether `n` more rows would be too many to patch. */
  tooMany(n: number): boolean {
    return this.unknown || this.ids.length + n > PATCH_MAX_ROWS;
  }

  add(id: number): void {
    if (this.unknown) return;
    this.ids.push(id);
    if (this.ids.length > PATCH_MAX_ROWS) this.giveUp();
  }

  addAll(ids: Iterable<number>): void {
    for (const id of ids) this.add(id);
  }

  /** The write cannot say (or it would be too many): the index rebuilds. */
  giveUp(): void {
    this.unknown = true;
    this.ids.length = 0;
  }
}

const REVOKED = 1;
const IMPORTED = 2;
const SECRET = 4;

const ACTIVE = 0;
const EXPIRING = 1;
const EXPIRED = 2;
const REVOKED_STATUS = 3;

/** Rows between two re-slicings of the middles while rebuilding (see `flatten`). */
const FLATTEN_EVERY = 4096;

/** Changed rows at most this many are patched in; more, and the copy is rebuilt. */
const PATCH_MAX_ROWS = 20_000;
/**
 * Sort orders are patched for at most this many changed rows (2 SQL comparisons each when the row
 * keeps its place), of which at most ORDER_MOVES_MAX move (~17 more each); past either, an order
 * is dropped and sorted anew when next asked for (0.1–0.3 s for 100,000 rows).
 */
const ORDER_PATCH_MAX_ROWS = 2000;
const ORDER_MOVES_MAX = 64;

// The last column is what staleness looks at (shared/nudges.ts; inventory-reader.ts STALE_PREDICATE).
const ROW_SQL = `SELECT id, search_text, (lifecycle = 'revoked') | ((source = 'import') << 1) | ((secret_stored <> 0) << 2),
  expires_at, connection_id, COALESCE(last_used_at, created_at, first_seen_at) FROM tokens`;
type RawRow = [
  id: number,
  text: string,
  flags: number,
  expiresAt: string | null,
  connectionId: string | null,
  idleSince: string,
];

export class InventoryIndex {
  /** tokens_version when the copy was made current; null: never built. */
  private version: number | null = null;
  private size = 0;
  private ids = new Float64Array(0);
  /**
   * Each row's search text in three parts, split at its first two newlines (a
   * search has no newline, so no match spans two parts): the first (the name)
   * and the last (user, Vault, connection) are shared by many rows and held
   * once each, in `parts`; the middle (the token id) is the row's own.
   */
  private heads = new Int32Array(0);
  private middles: string[] = [];
  private tails = new Int32Array(0);
  private parts: string[] = [];
  private partIndex = new Map<string, number>();
  /** Expiry in ms; +Infinity for never; NaN for a value that is not a canonical timestamp (see `oddExpiries`). */
  private expiries = new Float64Array(0);
  /** Row id → expiry text, for expiries that are not canonical timestamps. */
  private oddExpiries = new Map<number, string>();
  /** Last use (else creation, else first sighting) in ms; NaN for a value that is not a canonical timestamp (see `oddIdle`). */
  private idle = new Float64Array(0);
  /** Row id → that text, for values that are not canonical timestamps. */
  private oddIdle = new Map<number, string>();
  private flags = new Uint8Array(0);
  /** Position in `connections`, or -1 for a row without one (imported). */
  private connection = new Int32Array(0);
  private connections = new Map<string, number>();
  /** The middles joined, and where each starts in it: made when a search first needs them. */
  private middleText: string | null = null;
  private middleStarts: Int32Array | null = null;
  /** Per row: 0 = not on the page's list, else 1 + status. Reused between queries. */
  private marks = new Uint8Array(0);
  /** Per row: 1 = matches the search. Reused between queries. */
  private hits = new Uint8Array(0);
  /** Bumped whenever rows change (rebuild, patch): what caches below are keyed on. */
  private generation = 0;
  private statusCache: {
    generation: number;
    span: number;
    from: number;
    until: number;
    status: Uint8Array;
  } | null = null;
  private orders = new Map<OrderColumn, Int32Array>();
  /** The client order, and what it was made from: the Vault order and the group ranks. */
  private clientCache: { from: Int32Array; ranks: string; generation: number; order: Int32Array } | null = null;
  /** Per order, where each row position is in it (made when a patch first needs it). */
  private ranks = new Map<OrderColumn, Int32Array>();
  /** TokensRepo's writes since `version` that said what they touched: a chain from `version`. */
  private notes: { to: number; ids: number[] }[] = [];
  private notedRows = 0;
  private readonly statements = new Map<string, BetterSqlite3.Statement<unknown[], unknown>>();
  private readonly inSnapshot: <T>(fn: () => T) => T;

  constructor(private readonly db: Db) {
    const tx = db.transaction((fn: () => unknown) => fn());
    this.inSnapshot = <T>(fn: () => T) => tx(fn) as T;
  }

  /** The database's tokens_version now. */
  currentVersion(): number {
    return this.stmt('SELECT n FROM tokens_version WHERE id = 1').pluck().get() as number;
  }

  /**
   * A write on this connection moved tokens_version from `from` to `to` and
   * changed no rows but `touched` (inserted, updated or deleted). Called inside
   * the write's transaction, after it.
   */
  note(from: number, to: number, touched: TouchedRows): void {
    if (from === to) return;
    if (from === this.version) {
      this.notes = [];
      this.notedRows = 0;
    } else if (this.notes[this.notes.length - 1]?.to !== from) {
      this.notes = [];
      return;
    }
    if (!touched.wanted) {
      // Unknown rows: no patch can follow this write.
      this.notes = [];
      return;
    }
    this.notedRows += touched.ids.length;
    this.notes.push({ to, ids: this.notedRows > PATCH_MAX_ROWS ? [] : [...touched.ids] });
  }

  /** One page in `sort` order, with the total and the status counts. */
  page(filter: IndexFilter, sort: Sort, offset: number, limit: number): IndexPage {
    return this.read(() => {
      const { total, counts, secretWanted } = this.mark(filter);
      const ids = offset < total ? this.walk(sort, offset, offset + limit, counts, secretWanted, filter) : [];
      return { ids, total, counts };
    });
  }

  // -------------------------------------------------------------------------
  // Keeping the copy current

  private stmt(sql: string): BetterSqlite3.Statement<unknown[], unknown> {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare<unknown[], unknown>(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  /** Runs `fn` on a copy current with the database, all in one read snapshot. */
  private read<T>(fn: () => T): T {
    return this.inSnapshot(() => {
      const version = this.currentVersion();
      if (version !== this.version) {
        const last = this.notes[this.notes.length - 1];
        const patchable = last?.to === version && this.version !== null && this.notedRows <= PATCH_MAX_ROWS;
        // Unset while the copy is half done: an exception leaves it to be rebuilt.
        this.version = null;
        if (patchable) this.patch();
        else this.rebuild();
        this.version = version;
      }
      this.notes = [];
      this.notedRows = 0;
      return fn();
    });
  }

  private rebuild(): void {
    this.generation += 1;
    this.size = 0;
    this.parts = [];
    this.partIndex = new Map();
    this.connections = new Map();
    this.oddExpiries = new Map();
    this.oddIdle = new Map();
    this.orders.clear();
    this.ranks.clear();
    this.clientCache = null;
    this.middleText = null;
    this.middleStarts = null;
    const n = this.stmt('SELECT count(*) FROM tokens').pluck().get() as number;
    this.allocate(n + (n >> 3) + 64);
    // One row at a time: reading all rows into an array first doubled the peak memory.
    let flat = 0;
    for (const row of this.stmt(`${ROW_SQL} ORDER BY id`).raw().iterate() as IterableIterator<RawRow>) {
      if (this.size === this.ids.length) this.allocate(this.size * 2);
      this.ids[this.size] = row[0];
      this.load(this.size, row);
      this.size += 1;
      // A row's middle is a slice of its whole search text, which it keeps alive: every few
      // thousand rows, re-slice the middles from one string of theirs, so those texts die young.
      if (this.size - flat === FLATTEN_EVERY) flat = this.flatten(flat);
    }
    this.joinedMiddles();
  }

  /** Re-reads the noted rows: in place, appended (new rows have the highest ids), or removed. */
  private patch(): void {
    const touched = [...new Set(this.notes.flatMap((n) => n.ids))].sort((a, b) => a - b);
    const rows = this.stmt(`${ROW_SQL} WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`)
      .raw()
      .all(JSON.stringify(touched)) as RawRow[];
    const found = new Set(rows.map((r) => r[0]));
    const last = this.size > 0 ? this.ids[this.size - 1]! : Number.NEGATIVE_INFINITY;
    if (rows.some((r) => r[0] <= last && this.position(r[0]) < 0)) {
      // A new row below the highest id (an id reused or given explicitly): positions would shift.
      this.rebuild();
      return;
    }
    const gone = touched.filter((id) => !found.has(id));
    const remap = gone.length > 0 ? this.remove(gone) : null;
    let appended = false;
    for (const row of rows) {
      let at = this.position(row[0]);
      if (at < 0) {
        if (this.size === this.ids.length) this.allocate(this.size * 2 + 64);
        at = this.size++;
        this.ids[at] = row[0];
        appended = true;
      }
      this.load(at, row);
    }
    for (const [column, order] of this.orders) {
      // Rows only changed in place, none of them moving in this order: nothing to do.
      if (!remap && !appended && this.inPlace(column, order, rows)) continue;
      this.ranks.delete(column);
      const patched = touched.length > ORDER_PATCH_MAX_ROWS ? null : this.repositioned(column, order, remap, rows);
      if (patched) this.orders.set(column, patched);
      else this.orders.delete(column);
    }
    // Parts no row uses any more stay until a rebuild; not without bound.
    if (this.parts.length > 2 * this.size + 1024) this.rebuild();
  }

  /** Makes the middles from `from` on slices of one new string; returns where they end. */
  private flatten(from: number): number {
    const joined = this.middles.slice(from, this.size).join('\n');
    let at = 0;
    for (let i = from; i < this.size; i++) {
      const length = this.middles[i]!.length;
      this.middles[i] = joined.slice(at, at + length);
      at += length + 1;
    }
    return this.size;
  }

  /** Sets position `at` (whose id is set) from a row read from the database. */
  private load(at: number, [id, text, flags, expiresAt, connectionId, idleSince]: RawRow): void {
    this.generation += 1;
    this.middleText = null;
    this.middleStarts = null;
    const first = text.indexOf('\n');
    const second = first < 0 ? -1 : text.indexOf('\n', first + 1);
    if (second < 0) {
      this.heads[at] = this.part(text);
      this.middles[at] = '';
      this.tails[at] = this.part('');
    } else {
      this.heads[at] = this.part(text.slice(0, first));
      this.middles[at] = text.slice(first + 1, second);
      this.tails[at] = this.part(text.slice(second + 1));
    }
    this.flags[at] = flags;
    this.oddExpiries.delete(id);
    if (expiresAt === null) this.expiries[at] = Number.POSITIVE_INFINITY;
    else {
      const ms = canonicalTimestampMs(expiresAt);
      this.expiries[at] = ms;
      if (Number.isNaN(ms)) this.oddExpiries.set(id, expiresAt);
    }
    this.oddIdle.delete(id);
    this.idle[at] = canonicalTimestampMs(idleSince);
    if (Number.isNaN(this.idle[at])) this.oddIdle.set(id, idleSince);
    if (connectionId === null) this.connection[at] = -1;
    else {
      let c = this.connections.get(connectionId);
      if (c === undefined) {
        c = this.connections.size;
        this.connections.set(connectionId, c);
      }
      this.connection[at] = c;
    }
  }

  /** The shared part's number, held once. */
  private part(text: string): number {
    let n = this.partIndex.get(text);
    if (n === undefined) {
      n = this.parts.length;
      this.parts.push(text);
      this.partIndex.set(text, n);
    }
    return n;
  }

  private allocate(capacity: number): void {
    const grow = <A extends Float64Array | Uint8Array | Int32Array>(old: A, make: (n: number) => A): A => {
      const next = make(capacity);
      next.set(old.subarray(0, Math.min(this.size, capacity)));
      return next;
    };
    this.ids = grow(this.ids, (n) => new Float64Array(n));
    this.heads = grow(this.heads, (n) => new Int32Array(n));
    this.tails = grow(this.tails, (n) => new Int32Array(n));
    this.expiries = grow(this.expiries, (n) => new Float64Array(n));
    this.idle = grow(this.idle, (n) => new Float64Array(n));
    this.flags = grow(this.flags, (n) => new Uint8Array(n));
    this.connection = grow(this.connection, (n) => new Int32Array(n));
    this.marks = new Uint8Array(capacity);
    this.middles.length = Math.min(this.middles.length, this.size);
  }

  /** Removes the rows with these ids; returns old position → new position (-1: removed). */
  private remove(ids: readonly number[]): Int32Array {
    const doomed = new Set(ids.map((id) => this.position(id)).filter((p) => p >= 0));
    const remap = new Int32Array(this.size);
    let to = 0;
    for (let from = 0; from < this.size; from++) {
      if (doomed.has(from)) {
        remap[from] = -1;
        continue;
      }
      remap[from] = to;
      if (to !== from) {
        this.ids[to] = this.ids[from]!;
        this.heads[to] = this.heads[from]!;
        this.middles[to] = this.middles[from]!;
        this.tails[to] = this.tails[from]!;
        this.expiries[to] = this.expiries[from]!;
        this.idle[to] = this.idle[from]!;
        this.flags[to] = this.flags[from]!;
        this.connection[to] = this.connection[from]!;
      }
      to += 1;
    }
    for (const id of ids) {
      this.oddExpiries.delete(id);
      this.oddIdle.delete(id);
    }
    this.generation += 1;
    this.middleText = null;
    this.middleStarts = null;
    this.size = to;
    this.middles.length = to;
    return remap;
  }

  /**
   * Whether every re-read row still sorts between its neighbours in `order`
   * (two SQL comparisons each): then the order stands as it is. A few rows
   * (a revocation, a stored value, one renamed token) at the cost of a few
   * comparisons, where rebuilding the order touches all 100,000.
   */
  private inPlace(column: OrderColumn, order: Int32Array, rows: readonly RawRow[]): boolean {
    if (rows.length > ORDER_MOVES_MAX) return false;
    let rank = this.ranks.get(column);
    if (!rank) {
      rank = new Int32Array(this.ids.length);
      for (let k = 0; k < order.length; k++) rank[order[k]!] = k;
      this.ranks.set(column, rank);
    }
    const moved = new Set(rows.map((r) => this.position(r[0])));
    const before = this.comparator(column);
    for (const at of moved) {
      const k = rank[at]!;
      const previous = k > 0 ? order[k - 1]! : -1;
      const next = k + 1 < order.length ? order[k + 1]! : -1;
      if (moved.has(previous) || moved.has(next)) return false;
      if ((previous >= 0 && !before(previous, at)) || (next >= 0 && !before(at, next))) return false;
    }
    return true;
  }

  /** Whether the row at position `a` comes before the one at `b` in `column`'s ascending order: SQLite says. */
  private comparator(column: OrderColumn): (a: number, b: number) => boolean {
    const first = this.stmt(
      `SELECT id FROM tokens WHERE id IN (?, ?) ORDER BY ${orderBy({ column, direction: 'asc' })} LIMIT 1`,
    ).pluck();
    return (a, b) => first.get(this.ids[a], this.ids[b]) === this.ids[a];
  }

  /**
   * `order` after the patch: removed rows dropped, the rest renumbered, and
   * each re-read row taken out and put back where SQLite's ORDER BY puts it
   * (comparisons SQLite answers: exact by construction). Null when too many
   * rows moved for that to be worth it.
   */
  private repositioned(
    column: OrderColumn,
    order: Int32Array,
    remap: Int32Array | null,
    rows: readonly RawRow[],
  ): Int32Array | null {
    const isMoved = new Uint8Array(this.size);
    const moved: number[] = [];
    for (const row of rows) {
      const at = this.position(row[0]);
      isMoved[at] = 1;
      moved.push(at);
    }
    const kept = new Int32Array(order.length);
    // For a re-read row that was in the order: how many kept rows were before it (its old place).
    const oldPlace = new Map<number, number>();
    let n = 0;
    for (let k = 0; k < order.length; k++) {
      const at = remap ? remap[order[k]!]! : order[k]!;
      if (at < 0) continue;
      if (isMoved[at] === 0) kept[n++] = at;
      else oldPlace.set(at, n);
    }
    const before = this.comparator(column);
    // Where each moved row goes among the kept ones. Most re-read rows keep their place in most
    // orders (a sync touches every row it lists): two comparisons with the old neighbours say so.
    const places: { at: number; index: number }[] = [];
    const misplaced: number[] = [];
    for (const at of moved) {
      const old = oldPlace.get(at);
      if (old !== undefined && (old === 0 || before(kept[old - 1]!, at)) && (old === n || before(at, kept[old]!)))
        places.push({ at, index: old });
      else misplaced.push(at);
    }
    // Each of the others costs a binary search (~17 comparisons): past a few dozen, sorting anew is cheaper.
    if (misplaced.length > ORDER_MOVES_MAX) return null;
    for (const at of misplaced) {
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (before(kept[mid]!, at)) lo = mid + 1;
        else hi = mid;
      }
      places.push({ at, index: lo });
    }
    // Rows going to the same place, in their own order.
    places.sort((x, y) => x.index - y.index || (before(x.at, y.at) ? -1 : 1));
    const result = new Int32Array(n + places.length);
    let written = 0;
    let from = 0;
    for (const { at, index } of places) {
      result.set(kept.subarray(from, index), written);
      written += index - from;
      from = index;
      result[written++] = at;
    }
    result.set(kept.subarray(from, n), written);
    return result;
  }

  /** Row positions in `column`'s ascending order (SQLite's ORDER BY), built on first use. */
  private order(column: OrderColumn): Int32Array {
    let order = this.orders.get(column);
    if (order) return order;
    const sorted = this.stmt(`SELECT id FROM tokens ORDER BY ${orderBy({ column, direction: 'asc' })}`)
      .pluck()
      .all() as number[];
    order = new Int32Array(sorted.length);
    let k = 0;
    for (const id of sorted) {
      const at = this.position(id);
      if (at >= 0) order[k++] = at;
    }
    order = k === order.length ? order : order.slice(0, k);
    this.orders.set(column, order);
    return order;
  }

  /**
   * Row positions in client order: the Vault order (connection_name, name, id), stably regrouped
   * by each row's client group (a counting sort, a few ms for 100,000 rows). The same order as
   * SORT_KEYS.client in SQL, since that is the group terms followed by the Vault order's. Kept
   * while neither the rows nor the groups change.
   */
  private clientOrder(): Int32Array {
    const from = this.order('connection');
    const ranked = this.stmt(GROUP_RANK_SQL).raw().all() as [string | null, number][];
    const ranks = JSON.stringify(ranked);
    const cached = this.clientCache;
    // Any row change too (`generation`): a row may change its connection without moving in the Vault order.
    if (cached && cached.from === from && cached.ranks === ranks && cached.generation === this.generation)
      return cached.order;
    let none = 0;
    const rankOf = new Map<string, number>();
    for (const [id, rank] of ranked) {
      if (id === null) none = rank;
      else rankOf.set(id, rank);
    }
    // Per position in `connections`: its group's rank.
    const groupOf = new Int32Array(this.connections.size).fill(none);
    for (const [id, c] of this.connections) groupOf[c] = rankOf.get(id) ?? none;
    const groups = ranked.length;
    const starts = new Int32Array(groups + 1);
    const { connection } = this;
    const rowGroup = (at: number) => {
      const c = connection[at]!;
      return c < 0 ? none : groupOf[c]!;
    };
    for (let k = 0; k < from.length; k++) starts[rowGroup(from[k]!) + 1]! += 1;
    for (let g = 0; g < groups; g++) starts[g + 1]! += starts[g]!;
    const order = new Int32Array(from.length);
    for (let k = 0; k < from.length; k++) {
      const at = from[k]!;
      order[starts[rowGroup(at)]!++] = at;
    }
    this.clientCache = { from, ranks, generation: this.generation, order };
    return order;
  }

  /** Position of row `id`, or -1. Rows are held in id order. */
  private position(id: number): number {
    let lo = 0;
    let hi = this.size - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const at = this.ids[mid]!;
      if (at === id) return mid;
      if (at < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  // -------------------------------------------------------------------------
  // Answering a query

  /** Row positions to consider: every row, or those of the row-id filter. */
  private candidates(filter: IndexFilter): Int32Array | null {
    if (!filter.rowIds) return null;
    const found = new Set<number>();
    for (const id of filter.rowIds) {
      const at = this.position(id);
      if (at >= 0) found.add(at);
    }
    return Int32Array.from(found).sort();
  }

  /**
   * The middles joined by newlines (which no search contains, so a match lies
   * within one row's part), and where each starts. Made again after the rows
   * change; each row's middle then becomes a slice of the joined text, so that
   * the row's whole search text (which a slice of it would keep) can go.
   */
  private joinedMiddles(): { text: string; starts: Int32Array } {
    if (this.middleText === null || this.middleStarts === null) {
      const n = this.size;
      const text = this.middles.slice(0, n).join('\n');
      const starts = new Int32Array(n + 1);
      for (let i = 0; i < n; i++) starts[i + 1] = starts[i]! + this.middles[i]!.length + 1;
      for (let i = 0; i < n; i++) this.middles[i] = text.slice(starts[i]!, starts[i + 1]! - 1);
      this.middleText = text;
      this.middleStarts = starts;
    }
    return { text: this.middleText, starts: this.middleStarts };
  }

  /**
   * 1 for each row whose search text contains `search`: each shared part is
   * searched once, and the rows' own parts (token ids) in one string.
   */
  private searchHits(search: string): Uint8Array {
    const n = this.size;
    const hits = this.hits.length >= n ? this.hits : (this.hits = new Uint8Array(this.ids.length));
    hits.fill(0, 0, n);
    const partHits = new Uint8Array(this.parts.length);
    let anyPart = false;
    for (let p = 0; p < this.parts.length; p++) {
      if (this.parts[p]!.includes(search)) {
        partHits[p] = 1;
        anyPart = true;
      }
    }
    if (anyPart) {
      const { heads, tails } = this;
      for (let i = 0; i < n; i++) hits[i] = partHits[heads[i]!]! | partHits[tails[i]!]!;
    }
    const { text, starts } = this.joinedMiddles();
    let row = 0;
    for (let at = text.indexOf(search); at >= 0; at = text.indexOf(search, starts[row + 1]!)) {
      while (starts[row + 1]! <= at) row += 1;
      hits[row] = 1;
      if (row + 1 >= n) break;
    }
    return hits;
  }

  /**
   * Every row's status at `now` (TOKEN_STATUSES order). Kept while no status
   * can have changed: until the next expiry after `now`, or the next one to
   * come within `soon`, whichever is first (and while the rows and the
   * expiring-soon window stay as they were).
   */
  private statuses(now: number, soon: number, filter: IndexFilter): Uint8Array {
    const span = soon - now;
    const cached = this.statusCache;
    if (
      cached &&
      cached.generation === this.generation &&
      cached.span === span &&
      now >= cached.from &&
      now < cached.until
    )
      return cached.status;
    const n = this.size;
    const status = cached && cached.status.length >= n ? cached.status : new Uint8Array(this.ids.length);
    const { flags, expiries } = this;
    let nextExpiry = Number.POSITIVE_INFINITY;
    let nextSoon = Number.POSITIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const expiry = expiries[i]!;
      let st: number;
      if (expiry === expiry) {
        if (expiry > now && expiry < nextExpiry) nextExpiry = expiry;
        if (expiry > soon && expiry < nextSoon) nextSoon = expiry;
        st = flags[i]! & REVOKED ? REVOKED_STATUS : expiry <= now ? EXPIRED : expiry <= soon ? EXPIRING : ACTIVE;
      } else {
        // Not a canonical timestamp: compared as text, as SQL compares it; then nothing is kept.
        const text = this.oddExpiries.get(this.ids[i]!)!;
        st =
          flags[i]! & REVOKED ? REVOKED_STATUS : text <= filter.now ? EXPIRED : text <= filter.soon ? EXPIRING : ACTIVE;
        nextExpiry = now;
      }
      status[i] = st;
    }
    this.statusCache = {
      generation: this.generation,
      span,
      from: now,
      until: Math.min(nextExpiry, nextSoon - span),
      status,
    };
    return status;
  }

  /**
   * One pass over the candidate rows: counts per status of those passing every
   * filter but the status one, and `marks` set (1 + status) on those passing all.
   */
  private mark(filter: IndexFilter): {
    total: number;
    counts: Record<TokenStatus, number>;
    secretWanted: [number, number];
  } {
    const now = Date.parse(filter.now);
    const soon = Date.parse(filter.soon);
    const hasBy = filter.expiresBy !== null;
    const by = hasBy ? Date.parse(filter.expiresBy!) : 0;
    let wanted = 0b1111;
    if (filter.statuses) {
      wanted = 0;
      for (let s = 0; s < 4; s++) if (filter.statuses.includes(TOKEN_STATUSES[s]!)) wanted |= 1 << s;
    }
    let connectionMask: Uint8Array | null = null;
    if (filter.connectionIds) {
      connectionMask = new Uint8Array(this.connections.size);
      for (const id of filter.connectionIds) {
        const c = this.connections.get(id);
        if (c !== undefined) connectionMask[c] = 1;
      }
    }
    const excluded = (filter.excludeImports ? IMPORTED : 0) | (filter.secretNotStored ? SECRET : 0);
    const hits = filter.search ? this.searchHits(filter.search) : null;
    const statuses = this.statuses(now, soon, filter);
    // Per status: what `marks` gets (1 + status when wanted, else 0).
    const markOf = new Uint8Array(4);
    for (let st = 0; st < 4; st++) markOf[st] = (wanted & (1 << st)) !== 0 ? st + 1 : 0;
    const counts = new Int32Array(4);
    const secretWanted: [number, number] = [0, 0];
    const { marks, flags, expiries, connection, idle } = this;
    const nudged = filter.staleBy !== null || filter.neverExpires;
    const staleBy = filter.staleBy === null ? 0 : Date.parse(filter.staleBy);
    marks.fill(0, 0, this.size);
    const list = this.candidates(filter);
    const end = list ? list.length : this.size;
    for (let k = 0; k < end; k++) {
      const i = list ? list[k]! : k;
      const f = flags[i]!;
      if ((f & excluded) !== 0) continue;
      if (hits !== null && hits[i] === 0) continue;
      if (connectionMask !== null) {
        const c = connection[i]!;
        if (c < 0 || connectionMask[c] === 0) continue;
      }
      if (hasBy) {
        const expiry = expiries[i]!;
        // Not a canonical timestamp (NaN): compared as text, as SQL compares it.
        const inWindow =
          expiry === expiry
            ? expiry > now && expiry <= by
            : this.oddExpiries.get(this.ids[i]!)! > filter.now &&
              this.oddExpiries.get(this.ids[i]!)! <= filter.expiresBy!;
        if (!inWindow) continue;
      }
      const status = statuses[i]!;
      if (nudged) {
        // Only live rows are nudged: not revoked, not expired (the statuses say so, as SQL does).
        if (status !== ACTIVE && status !== EXPIRING) continue;
        if (filter.neverExpires && expiries[i] !== Number.POSITIVE_INFINITY) continue;
        if (filter.staleBy !== null) {
          const since = idle[i]!;
          // Not a canonical timestamp (NaN): compared as text, as SQL compares it.
          const stale = since === since ? since <= staleBy : this.oddIdle.get(this.ids[i]!)! <= filter.staleBy;
          if (!stale) continue;
        }
      }
      counts[status]! += 1;
      const mark = markOf[status]!;
      marks[i] = mark;
      if (mark !== 0) secretWanted[(f & SECRET) >> 2]! += 1;
    }
    let total = 0;
    for (let s = 0; s < 4; s++) if ((wanted & (1 << s)) !== 0) total += counts[s]!;
    return {
      total,
      counts: {
        active: counts[ACTIVE]!,
        expiring: counts[EXPIRING]!,
        expired: counts[EXPIRED]!,
        revoked: counts[REVOKED_STATUS]!,
      },
      secretWanted,
    };
  }

  /**
   * Ids of the marked rows at positions [from, to) of the sort order: a walk
   * along the column's order. Status and "secret stored" sort as groups (in
   * the direction asked) of expiry order; a group with too few marked rows to
   * reach `from` is skipped without walking it.
   */
  private walk(
    sort: Sort,
    from: number,
    to: number,
    counts: Record<TokenStatus, number>,
    secretWanted: [number, number],
    filter: IndexFilter,
  ): number[] {
    const order = sort.column === 'client' ? this.clientOrder() : this.order(orderColumn(sort.column));
    // Each group: how many marked rows it holds, and which: marks === value (status), or flags & SECRET === value.
    let groups: { size: number; by: 'any' | 'mark' | 'secret'; value: number }[];
    if (sort.column === 'status') {
      groups = TOKEN_STATUSES.map((status, s) => ({
        size: filter.statuses && !filter.statuses.includes(status) ? 0 : counts[status],
        by: 'mark' as const,
        value: s + 1,
      }));
    } else if (sort.column === 'secretStored') {
      groups = [0, SECRET].map((bit, g) => ({ size: secretWanted[g]!, by: 'secret' as const, value: bit }));
    } else {
      groups = [{ size: Number.POSITIVE_INFINITY, by: 'any', value: 0 }];
    }
    if (sort.direction === 'desc') groups.reverse();

    const out: number[] = [];
    let seen = 0;
    for (const group of groups) {
      if (seen + group.size <= from) {
        seen += group.size;
        continue;
      }
      // Rows of the group in order, from its first row on the page to its last.
      const skip = Math.max(0, from - seen);
      const take = Math.min(group.size, to - seen) - skip;
      this.collect(order, sort.direction === 'desc', group.by, group.value, skip, take, out);
      seen += Math.min(group.size, to - seen);
      if (seen >= to) break;
    }
    return out;
  }

  /** Appends the ids of the `take` group members after the first `skip`, walking `order`. */
  private collect(
    order: Int32Array,
    desc: boolean,
    by: 'any' | 'mark' | 'secret',
    value: number,
    skip: number,
    take: number,
    out: number[],
  ): void {
    const { marks, flags, ids } = this;
    const n = order.length;
    let found = 0;
    const end = skip + take;
    for (let k = 0; k < n && found < end; k++) {
      const i = order[desc ? n - 1 - k : k]!;
      const m = marks[i]!;
      if (m === 0) continue;
      if (by === 'mark' ? m !== value : by === 'secret' ? (flags[i]! & SECRET) !== value : false) continue;
      if (found >= skip) out.push(ids[i]!);
      found += 1;
    }
  }
}
