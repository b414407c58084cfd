/**
 * Child process of the memory benchmark (issue 14, target 7): opens an
 * inventory database the way the app does (openDatabase, TokensRepo), runs
 * every query shape of BENCH_QUERIES a few times, and prints one JSON line
 * with its peak resident set size. Run by inventory-query.ts, which built the
 * database:
 *
 *   node --import tsx test/bench/rss-child.ts DB_FILE
 *
 * `baselineMb` is the peak before the database is opened (Node, the tsx loader
 * and the modules): what the process costs with no inventory at all.
 */
import { readFileSync } from 'node:fs';
import { openDatabase } from '../../electron/store/database';
import { TokensRepo } from '../../electron/tokens/tokens-repo';
import { BENCH_QUERIES } from './inventory-query';

const ROUNDS = 3;

function vmHwmMb(): number | null {
  try {
    const line = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return line ? Math.round(Number(line[1]) / 1024) : null;
  } catch {
    return null;
  }
}

const peakMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

function main(): void {
  const file = process.argv[2];
  if (!file) throw new Error('usage: rss-child.ts DB_FILE');
  const baselineMb = peakMb();
  const db = openDatabase(file);
  try {
    const repo = new TokensRepo(db, { timeZone: 'UTC' });
    let rows = 0;
    for (let round = 0; round < ROUNDS; round++)
      for (const { query } of BENCH_QUERIES) rows += repo.query(query, new Date()).rows.length;
    process.stdout.write(
      `${JSON.stringify({ peakMb: peakMb(), vmHwmMb: vmHwmMb(), baselineMb, queries: ROUNDS * BENCH_QUERIES.length, rows })}\n`,
    );
  } finally {
    db.close();
  }
}

main();
