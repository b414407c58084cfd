/**
 * Child process of the crash-safety suite: imports a JSON inventory export into a data directory
 * through the service method behind the app's Import button (`tokens:import` → importTokens), as
 * the app does. The CLI has no import command, so this script is the process that gets killed.
 *
 *   node --import tsx test/helpers/crash-import-child.ts DATA_DIR FILE [HOLD_AFTER_ROWS]
 *
 * Prints one JSON line with the result. With HOLD_AFTER_ROWS, a temporary trigger (connection-
 * local: it never reaches the database file) stops the import inside its transaction once that
 * many rows are inserted, prints `holding N`, and blocks until the process is killed. The page
 * cache is made small so that part of the open transaction is already in the WAL file by then,
 * as it is for any import larger than the 16 MiB cache.
 */
import { readFileSync, writeSync } from 'node:fs';
import { createAppContext } from '../../electron/app/app-context';
import { MemorySecretStore } from '../../electron/secrets/memory-store';

async function main(): Promise<void> {
  const [dataDir, file, holdAfter] = process.argv.slice(2);
  if (!dataDir || !file) throw new Error('usage: crash-import-child.ts DATA_DIR FILE [HOLD_AFTER_ROWS]');
  // An import touches no keychain item; the in-memory store keeps this process off the shared keyring.
  const ctx = createAppContext({ dataDir, version: '0.0.0-crash', secrets: new MemorySecretStore(), actor: 'crash' });
  if (holdAfter !== undefined) {
    const limit = Number(holdAfter);
    let inserted = 0;
    ctx.db.pragma('cache_size = 64');
    ctx.db.function('crash_hold', () => {
      inserted += 1;
      if (inserted === limit) {
        writeSync(1, `holding ${inserted}\n`);
        // Blocks this thread for good, inside SQLite's call: the transaction stays open until SIGKILL.
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
      }
      return null;
    });
    ctx.db.exec('CREATE TEMP TRIGGER crash_hold AFTER INSERT ON main.tokens BEGIN SELECT crash_hold(); END');
  }
  const result = await ctx.service.importTokens({ content: readFileSync(file, 'utf8'), fileName: 'crash.json' });
  writeSync(1, `${JSON.stringify(result)}\n`);
  await ctx.close();
}

main().catch((error: unknown) => {
  writeSync(2, `error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
