/**
 * Issue 15's "Done when": a consultant whose one login reaches 12 Vaults goes from an empty app to 12
 * synced connections. Per run, from an empty data directory: `connection add` of one connection with
 * the password on stdin (not timed), then `vault-token-desk connection discover NAME --add --json` as a
 * fresh process, cold, timed end to end: it lists the Vaults the login reaches, adds the other 11 with
 * the same sign-in (one keychain item), and tests and syncs each. Fake Vaults in another process, 25
 * tokens each, with 0 or 100 ms added to every request; the real OS keychain (test/with-keyring.sh).
 *
 *   dbus-run-session -- bash test/with-keyring.sh npx tsx test/bench/cli-discover.ts
 */
import { KeyringSecretStore } from '../../electron/secrets/keyring-store';
import {
  freshRuns,
  median,
  PASSWORD,
  summarizeRequests,
  summarizeTimings,
  timedCli,
  USERNAME,
  type TimingSummary,
} from './cli-process';

const VAULTS = 12;
const TOKENS_EACH = 25;
const SOURCE = 'Bench Vault 1';

export interface CliDiscoverResult extends TimingSummary {
  name: string;
  latencyMs: number;
  runs: number;
  /** Requests all Vaults received in one run (median), and what the source and an added Vault got. */
  requestsTotal: number;
  sourceRequests: string;
  addedRequests: string;
}

interface DiscoverRow {
  vaultId: number;
  status: string;
  synced: boolean | null;
  tokens: number | null;
  message: string | null;
}

/** Every Vault added (or the source, already added), tested, synced with all its tokens: else throw. */
function checkDiscover(stdout: string): void {
  const rows = JSON.parse(stdout) as DiscoverRow[];
  const bad = rows.filter(
    (r) => !(r.status === 'added' || r.status === 'already-added') || r.synced !== true || r.tokens !== TOKENS_EACH,
  );
  const added = rows.filter((r) => r.status === 'added').length;
  if (rows.length !== VAULTS || added !== VAULTS - 1 || bad.length)
    throw new Error(
      `connection discover --add: ${rows.length} rows, ${added} added; not synced: ${JSON.stringify(bad)}`,
    );
}

async function benchDiscover(latencyMs: number, runs: number): Promise<CliDiscoverResult> {
  const secrets = new KeyringSecretStore();
  const measured = await freshRuns({
    spec: { vaults: VAULTS, tokensEach: TOKENS_EACH, latencyMs },
    runs,
    secrets,
    setup: async ({ fake, dataDir, env }) => {
      const source = fake.vaults[0]!;
      await timedCli(
        [
          '--data-dir',
          dataDir,
          'connection',
          'add',
          SOURCE,
          '--dns',
          source.dns,
          '--username',
          USERNAME,
          '--password-stdin',
        ],
        env,
        `${PASSWORD}\n`,
      );
    },
    args: () => ['connection', 'discover', SOURCE, '--add', '--json'],
    check: checkDiscover,
  });
  const last = measured.requests.at(-1)!;
  const [sourceId, addedId] = measured.vaults.slice(0, 2).map((v) => String(v.id));
  return {
    name: `CLI connection discover --add: 1 → ${VAULTS} synced connections, ${TOKENS_EACH} tokens each, +${latencyMs} ms/request`,
    latencyMs,
    runs,
    ...summarizeTimings(measured.runs),
    requestsTotal: median(measured.requests.map((byVault) => Object.values(byVault).flat().length)),
    sourceRequests: summarizeRequests(last[sourceId!] ?? []),
    addedRequests: summarizeRequests(last[addedId!] ?? []),
  };
}

export async function benchCliDiscover(latencies: number[] = [100, 0]): Promise<CliDiscoverResult[]> {
  const runs = Number(process.env.VTD_BENCH_RUNS) || 5;
  const rows: CliDiscoverResult[] = [];
  for (const latency of latencies) rows.push(await benchDiscover(latency, runs));
  return rows;
}

export function describeDiscover(r: CliDiscoverResult): string {
  return (
    `${r.medianMs} ms median, ${r.p95Ms} ms p95 (${r.runs} runs); CPU ${r.cpuMs} ms; peak RSS ${r.maxRssMb} MB; ` +
    `${r.requestsTotal} requests in all; the source Vault: ${r.sourceRequests}; each added Vault: ${r.addedRequests}`
  );
}

if (require.main === module) {
  const latencies = process.env.VTD_BENCH_LATENCY ? [Number(process.env.VTD_BENCH_LATENCY)] : undefined;
  void benchCliDiscover(latencies).then((rows) => {
    for (const r of rows) console.log(`${r.name}: ${describeDiscover(r)}`);
  });
}
