/**
 * Inventory query benchmark: 100,000 tokens across 500 connections in a temp
 * SQLite file (the app's own migrations and repos), then the first page
 * (limit 100) of the queries the inventory screen makes.
 *
 * Target: < 20 ms median for "text filter + status filter + sort by expiry".
 *
 *   npx tsx test/bench/inventory-query.ts     # prints a table
 *
 * or `benchInventoryQuery()` from a runner.
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase, type Db } from '../../electron/store/database';
import { ConnectionsRepo } from '../../electron/connections/connections-repo';
import { TokensRepo } from '../../electron/tokens/tokens-repo';
import { planSync } from '../../electron/tokens/reconcile';
import type { VaultTokenRow } from '../../electron/vault/types';
import type { InventoryQuery } from '../../shared/tokens';
import { tempDir } from '../helpers/temp-dir';

export interface BenchResult {
  name: string;
  medianMs: number;
  p95Ms: number;
  runs: number;
  note?: string;
}

const CONNECTIONS = 500;
const TOKENS_PER_CONNECTION = 200;
const USERS_PER_CONNECTION = 24;
const WARMUP = 5;
const RUNS = 25;
const DAY = 86_400_000;

const COMPANIES = [
  'Acme',
  'Globex',
  'Initech',
  'Umbrella',
  'Stark',
  'Wayne',
  'Tyrell',
  'Cyberdyne',
  'Soylent',
  'Hooli',
  'Vandelay',
  'Wonka',
  'Aperture',
  'Oscorp',
  'Massive',
  'Pied Piper',
  'Gringotts',
  'Monarch',
  'Nakatomi',
  'Dunder',
  'Sterling',
  'Prestige',
  'Zorg',
  'Virtucon',
  'Gekko',
  'Ollivander',
  'Blue Sun',
  'Duff',
  'Krusty',
  'Bluth',
  'Contoso',
  'Fabrikam',
  'Northwind',
  'Tailspin',
  'Woodgrove',
  'Litware',
  'Adatum',
  'Proseware',
  'Wingtip',
  'Lucerne',
  'Fourth Coffee',
  'Alpine',
  'Coho',
  'Humongous',
  'Margie',
  'Trey',
  'Relecloud',
  'Consolidated',
  'Southridge',
  'Graphic',
];
const APPS = ['QMS', 'RIM', 'PromoMats', 'Clinical', 'Safety', 'QualityDocs', 'MedComms', 'eTMF', 'CTMS', 'LIMS'];
const ENVS = ['Prod', 'Sandbox', 'UAT', 'Validation', 'Dev'];
const FIRST = [
  'Anna',
  'Ben',
  'Chloé',
  'David',
  'Elena',
  'Farid',
  'Grace',
  'Hiro',
  'Ines',
  'Jonas',
  'Kavya',
  'Liam',
  'Maya',
  'Noah',
  'Olga',
  'Pablo',
  'Qi',
  'Rosa',
  'Sven',
  'Tara',
  'Uma',
  'Victor',
  'Wen',
  'Yusuf',
  'Zoe',
];
const LAST = [
  'Smith',
  'Müller',
  'García',
  'Rossi',
  'Dubois',
  'Nowak',
  'Kim',
  'Sato',
  'Okafor',
  'Silva',
  'Jensen',
  'Novak',
  'Haddad',
  'Patel',
  'Cohen',
  'Larsen',
];
const TOKEN_NAMES = [
  'ETL nightly load',
  'Salesforce sync',
  'CI pipeline',
  'Reporting (Power BI)',
  'Data migration wave',
  'Integration – SAP',
  'Jenkins deploy',
  'CRM bridge',
  'Tableau extract',
  'Document archive export',
  'Snowflake loader',
  'MuleSoft connector',
  'Audit trail export',
  'Regulatory submissions feed',
  'Vault Loader batch',
  'Python notebook',
  'Postman testing',
  'Boomi process',
  'Informatica job',
  'Labeling sync',
];

/** Small deterministic PRNG (mulberry32) so runs compare. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(r: () => number, list: readonly T[]): T {
  return list[Math.floor(r() * list.length)]!;
}

function recordId(r: () => number, prefix: string): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  let s = prefix;
  while (s.length < 15) s += chars[Math.floor(r() * chars.length)];
  return s;
}

/** Builds the 100k-row database; returns the repo and how long it took. */
export function buildInventory(db: Db, now: Date): { repo: TokensRepo; ms: number } {
  const started = performance.now();
  const r = rng(20_260_101);
  const connections = new ConnectionsRepo(db);
  const repo = new TokensRepo(db, { timeZone: 'UTC' });
  const nowIso = now.toISOString();
  const usedIds = new Set<string>();

  // One outer transaction for the whole build (each applySync nests as a savepoint): the
  // benchmark is about reading, and 1,000 separate commits only measure the disk.
  db.transaction(() => {
    for (let c = 0; c < CONNECTIONS; c++) {
      const company = COMPANIES[c % COMPANIES.length]!;
      const app = APPS[Math.floor(c / COMPANIES.length) % APPS.length]!;
      const env = ENVS[c % ENVS.length]!;
      const name = `${company} ${app} ${env} ${c}`;
      const dns = `${company.toLowerCase().replace(/\s+/g, '')}-${app.toLowerCase()}${env === 'Prod' ? '' : `-${env.toLowerCase()}`}-${c}.veevavault.com`;
      const id = `conn-${String(c).padStart(4, '0')}`;
      connections.insert(
        {
          id,
          name,
          dns,
          apiVersion: 'v26.2',
          username: `integration@${company.toLowerCase().replace(/\s+/g, '')}.com`,
          authMethod: 'password',
          clientId: 'vault-token-desk',
          secretStored: false,
        },
        nowIso,
      );

      const users = Array.from({ length: USERS_PER_CONNECTION }, (_, i) => {
        const first = pick(r, FIRST);
        const last = pick(r, LAST);
        return {
          id: String(100_000 + c * 100 + i),
          name: `${first} ${last} (${first.toLowerCase()}.${last.toLowerCase()}@${company.toLowerCase().replace(/\s+/g, '')}.com)`,
        };
      });
      const remote: VaultTokenRow[] = [];
      for (let t = 0; t < TOKENS_PER_CONNECTION; t++) {
        let tokenId = recordId(r, '0PI');
        while (usedIds.has(tokenId)) tokenId = recordId(r, '0PI');
        usedIds.add(tokenId);
        const never = r() < 0.08;
        const expiry = never ? null : new Date(now.getTime() + Math.floor((r() * 270 - 90) * DAY)).toISOString();
        const created = new Date(now.getTime() - Math.floor(r() * 400 * DAY)).toISOString();
        const used = r() < 0.7 ? new Date(now.getTime() - Math.floor(r() * 60 * DAY)).toISOString() : null;
        remote.push({
          id: tokenId,
          name: `${pick(r, TOKEN_NAMES)} ${1 + Math.floor(r() * 40)}`,
          userId: pick(r, users).id,
          status: r() < 0.12 ? 'inactive__v' : 'active__v',
          expiryDate: expiry,
          lastUsedDate: used,
          createdDate: created,
        });
      }
      // Inactive tokens unknown locally are not added by a sync; insert all as active first, then sync again to revoke.
      const first = planSync(
        [],
        remote.map((t) => ({ ...t, status: 'active__v' })),
        { seesAllTokens: true, loginUserId: users[0]!.id, syncedAt: nowIso },
      );
      const target = {
        id,
        name,
        dns,
        vaultId: 40_000 + c,
        userNames: Object.fromEntries(users.map((u) => [u.id, u.name])),
      };
      repo.applySync(target, first, nowIso);
      const second = planSync(repo.localStateForConnection(id), remote, {
        seesAllTokens: true,
        loginUserId: users[0]!.id,
        syncedAt: nowIso,
      });
      repo.applySync(target, second, nowIso);
    }
  })();
  db.transaction(() => {
    const ids = db.prepare('SELECT id FROM tokens').pluck().all() as number[];
    for (const id of ids) if (r() < 0.3) repo.setSecretStored(id, true, nowIso);
  })();
  db.pragma('optimize');
  return { repo, ms: performance.now() - started };
}

function measure(name: string, fn: () => unknown, note?: string): BenchResult {
  for (let i = 0; i < WARMUP; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const at = (p: number) => times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)]!;
  const round = (n: number) => Math.round(n * 100) / 100;
  return { name, medianMs: round(at(0.5)), p95Ms: round(at(0.95)), runs: RUNS, ...(note ? { note } : {}) };
}

/** The first page (limit 100) of what the inventory screen asks for. `targetMs`: the median must stay below it. */
export const BENCH_QUERIES: { name: string; query: InventoryQuery; targetMs?: number; note?: string }[] = [
  { name: 'first page, no filter', query: { offset: 0, limit: 100 } },
  {
    name: 'text + status filter, sort by expiry',
    query: {
      search: 'salesforce',
      statuses: ['expiring', 'expired'],
      sort: { column: 'expiresAt', direction: 'asc' },
      offset: 0,
      limit: 100,
    },
    targetMs: 20,
  },
  { name: '3-character search', query: { search: 'etl', offset: 0, limit: 100 } },
  { name: 'sort by name desc', query: { sort: { column: 'name', direction: 'desc' }, offset: 0, limit: 100 } },
  // For the record, not targets: the slow shapes.
  { name: 'deep page (offset 50,000)', query: { offset: 50_000, limit: 100 }, note: 'scrolling to the middle' },
  {
    name: 'broad search (every row matches)',
    query: { search: 'veevavault', offset: 0, limit: 100 },
    note: 'worst case for the trigram index',
  },
  { name: '2-character search', query: { search: 'sa', offset: 0, limit: 100 }, note: 'no trigram: scans the table' },
  {
    name: 'sort by token id',
    query: { sort: { column: 'tokenId', direction: 'asc' }, offset: 0, limit: 100 },
    note: 'no sort index: scans and sorts',
  },
];

export async function benchInventoryQuery(): Promise<BenchResult[]> {
  const dir = tempDir('vtd-bench-');
  const db = openDatabase(join(dir.path, 'bench.sqlite'));
  try {
    const now = new Date();
    const built = buildInventory(db, now);
    const repo = built.repo;
    const rows = (db.prepare('SELECT count(*) FROM tokens').pluck().get() as number).toLocaleString('en-US');
    const results: BenchResult[] = [
      {
        name: `build ${rows} rows`,
        medianMs: Math.round(built.ms),
        p95Ms: Math.round(built.ms),
        runs: 1,
        note: 'via planSync + applySync',
      },
    ];

    for (const { name, query, targetMs, note } of BENCH_QUERIES) {
      let matched = 0;
      const result = measure(name, () => {
        matched = repo.query(query, new Date()).total;
      });
      const verdict =
        targetMs === undefined
          ? null
          : result.medianMs < targetMs
            ? `target < ${targetMs} ms: met`
            : `target < ${targetMs} ms: MISSED`;
      result.note = [`${matched.toLocaleString('en-US')} match`, verdict, note].filter(Boolean).join('; ');
      results.push(result);
    }
    // The counts alone: an offset past the end skips the page query.
    results.push(
      measure('statusCounts only (no page)', () => repo.query({ offset: 10_000_000, limit: 100 }, new Date())),
    );
    results.push(
      measure('statusCounts only, text filter', () =>
        repo.query({ search: 'salesforce', offset: 10_000_000, limit: 100 }, new Date()),
      ),
    );

    const peakMb = Math.round(process.resourceUsage().maxRSS / 1024);
    const sizeMb = Math.round(
      ((db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number)) /
        1024 /
        1024,
    );
    results.push({
      name: 'peak RSS',
      medianMs: 0,
      p95Ms: 0,
      runs: 0,
      note: `${peakMb} MB for the whole process; database file ${sizeMb} MB`,
    });
    return results;
  } finally {
    db.close();
    dir.cleanup();
  }
}

function printTable(results: BenchResult[]): void {
  const header = ['benchmark', 'median ms', 'p95 ms', 'runs', 'note'];
  const lines = results.map((r) => [r.name, r.medianMs.toFixed(2), r.p95Ms.toFixed(2), String(r.runs), r.note ?? '']);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) =>
    cells.map((c, i) => (i === 0 || i === 4 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(fmt(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const l of lines) console.log(fmt(l));
}

if (typeof require !== 'undefined' && typeof module !== 'undefined' && require.main === module) {
  benchInventoryQuery().then(printTable, (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
