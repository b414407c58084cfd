/**
 * Write benchmark (issue 14, target 4): 100,000 tokens written the way the
 * app writes them, each run into a fresh database file.
 *
 * - A first sync: the plan planSync makes for an empty inventory, applied by
 *   TokensRepo.applySync (what SyncService calls), for one Vault listing
 *   100,000 tokens and for 500 Vaults of 200 (one applySync, so one
 *   transaction, each, as a sync of all connections does).
 * - An import: a 100,000-row JSON export through the service method behind
 *   the Import button and the CLI (`tokens:import` → TokensService.importTokens:
 *   parse, check, write), counting the import:progress events it sends.
 *
 *   npx tsx test/bench/writes.ts     # prints a table
 *
 * or `benchWrites()` from a runner. Target: under 3 s each.
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createAppContext } from '../../electron/app/app-context';
import { ConnectionsRepo } from '../../electron/connections/connections-repo';
import { MemorySecretStore } from '../../electron/secrets/memory-store';
import { openDatabase } from '../../electron/store/database';
import { planSync, type SyncPlan } from '../../electron/tokens/reconcile';
import { TokensRepo } from '../../electron/tokens/tokens-repo';
import { toJson } from '../../shared/inventory-export';
import type { ImportProgress } from '../../shared/contract/tokens';
import type { TokenRow } from '../../shared/tokens';
import { tempDir } from '../helpers/temp-dir';
import { benchConnections, printTable, type BenchConnection, type BenchResult } from './inventory-query';

export const WRITE_TARGET_MS = 3000;
const RUNS = 3;

function median(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function verdict(ms: number): string {
  return ms < WRITE_TARGET_MS ? `target < ${WRITE_TARGET_MS} ms: met` : `target < ${WRITE_TARGET_MS} ms: MISSED`;
}

/** The first-sync plans: what planSync makes for an empty inventory. Timed apart from the writes. */
function firstSyncPlans(vaults: BenchConnection[], at: string): { plans: SyncPlan[]; ms: number } {
  const started = performance.now();
  // Every token listed as active, so that all 100,000 are new (inactive ones unknown here are not added).
  const plans = vaults.map((v) =>
    planSync(
      [],
      v.remote.map((t) => ({ ...t, status: 'active__v' })),
      { seesAllTokens: true, loginUserId: v.loginUserId, syncedAt: at },
    ),
  );
  return { plans, ms: performance.now() - started };
}

/** Applies each plan with TokensRepo.applySync into a fresh database; returns the time of the applySync calls. */
function applyInto(vaults: BenchConnection[], plans: SyncPlan[], at: string): { ms: number; rows: number } {
  const dir = tempDir('vtd-bench-writes-');
  const db = openDatabase(join(dir.path, 'writes.sqlite'));
  try {
    const connections = new ConnectionsRepo(db);
    const repo = new TokensRepo(db, { timeZone: 'UTC' });
    for (const v of vaults) connections.insert(v.connection, at);
    const started = performance.now();
    vaults.forEach((v, i) => repo.applySync(v.target, plans[i]!, at));
    const ms = performance.now() - started;
    return { ms, rows: db.prepare('SELECT count(*) FROM tokens').pluck().get() as number };
  } finally {
    db.close();
    dir.cleanup();
  }
}

function benchFirstSync(name: string, vaults: BenchConnection[], at: string): BenchResult {
  const { plans, ms: planMs } = firstSyncPlans(vaults, at);
  const times: number[] = [];
  let rows = 0;
  for (let run = 0; run < RUNS; run++) {
    const applied = applyInto(vaults, plans, at);
    times.push(applied.ms);
    rows = applied.rows;
  }
  const ms = median(times);
  return {
    name,
    medianMs: Math.round(ms),
    p95Ms: Math.round(Math.max(...times)),
    runs: RUNS,
    note: `${rows.toLocaleString('en-US')} rows written; ${verdict(ms)}; planSync ${Math.round(planMs)} ms more`,
    target: `< ${WRITE_TARGET_MS} ms`,
  };
}

/** A JSON export of the benchmark inventory, as Export → JSON writes it. */
function exportDocument(vaults: BenchConnection[], now: Date): string {
  const at = now.toISOString();
  const rows: TokenRow[] = [];
  let rowId = 0;
  for (const v of vaults) {
    for (const t of v.remote) {
      const revoked = t.status !== 'active__v';
      rows.push({
        rowId: ++rowId,
        connectionId: v.target.id,
        connectionName: v.target.name,
        vaultId: v.target.vaultId,
        vaultDns: v.target.dns,
        tokenId: t.id,
        name: t.name ?? '',
        userId: t.userId ?? '',
        userName: v.target.userNames[t.userId ?? ''] ?? null,
        status: revoked ? 'revoked' : 'active',
        expiresAt: t.expiryDate ?? null,
        daysLeft: null,
        lastUsedAt: t.lastUsedDate ?? null,
        createdAt: t.createdDate ?? null,
        secretStored: rowId % 3 === 0,
        source: 'sync',
        readOnly: false,
        revokedAt: revoked ? at : null,
        lastSyncedAt: at,
        sandboxName: null,
        userActiveCount: 0,
      });
    }
  }
  return toJson(rows, { exportedAt: now });
}

async function benchImport(content: string): Promise<BenchResult> {
  const times: number[] = [];
  let imported = 0;
  let events = 0;
  let writingStartedMs = 0;
  for (let run = 0; run < RUNS; run++) {
    const dir = tempDir('vtd-bench-import-');
    let started = 0;
    let firstWrite = 0;
    let runEvents = 0;
    const ctx = createAppContext({
      dataDir: dir.path,
      version: 'bench',
      secrets: new MemorySecretStore(),
      actor: 'bench',
      emit: (event, payload) => {
        if (event !== 'import:progress') return;
        runEvents += 1;
        if ((payload as ImportProgress).phase === 'writing' && firstWrite === 0) firstWrite = performance.now();
      },
    });
    try {
      started = performance.now();
      const result = await ctx.service.importTokens({ content, fileName: 'bench.json' });
      times.push(performance.now() - started);
      imported = result.imported;
      events = runEvents;
      writingStartedMs = firstWrite - started;
    } finally {
      await ctx.close();
      dir.cleanup();
    }
  }
  const ms = median(times);
  return {
    name: `import ${imported.toLocaleString('en-US')} rows (service: parse, check, write)`,
    medianMs: Math.round(ms),
    p95Ms: Math.round(Math.max(...times)),
    runs: RUNS,
    note: `${(content.length / 1e6).toFixed(1)} MB file; ${verdict(ms)}; writing began after ${Math.round(writingStartedMs)} ms; ${events} import:progress events`,
    target: `< ${WRITE_TARGET_MS} ms, with progress`,
  };
}

export async function benchWrites(): Promise<BenchResult[]> {
  const now = new Date();
  const at = now.toISOString();
  const vaults = benchConnections(now);
  const total = vaults.reduce((n, v) => n + v.remote.length, 0);
  // One Vault listing every token: the same tokens under the first connection.
  const one: BenchConnection = { ...vaults[0]!, remote: vaults.flatMap((v) => v.remote) };
  const results = [
    benchFirstSync(`first sync of ${total.toLocaleString('en-US')} rows, 1 connection (applySync)`, [one], at),
    benchFirstSync(
      `first sync of ${total.toLocaleString('en-US')} rows, ${vaults.length} connections (applySync each)`,
      vaults,
      at,
    ),
  ];
  results.push(await benchImport(exportDocument(vaults, now)));
  return results;
}

if (typeof require !== 'undefined' && typeof module !== 'undefined' && require.main === module) {
  benchWrites().then(printTable, (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
