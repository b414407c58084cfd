/**
 * Issue 16's "Done when": everything expiring within 14 days across 10 Vaults rotated in one command.
 * Per run: 10 fake Vaults in another process, 20 tokens each of which 3 expire within 3 days and 17 from
 * day 30 on (20, not 25: Vault allows a user 25 active tokens, and a rotation holds the new token before
 * it revokes the old); connections with the password in the real OS keychain and a first `token sync` (not
 * timed); then `vault-token-desk token rotate --expiring-within 14 --json` as a fresh process, cold,
 * timed end to end: for each of the 30 tokens, generate, store in the keychain, a live check signed
 * with the new token (Bearer), and the revoke of the old one. Every row must report state done.
 *
 *   dbus-run-session -- bash test/with-keyring.sh npx tsx test/bench/cli-rotate.ts
 */
import { KeyringSecretStore } from '../../electron/secrets/keyring-store';
import {
  addConnections,
  freshRuns,
  median,
  summarizeRequests,
  summarizeTimings,
  timedCli,
  type TimingSummary,
} from './cli-process';

const VAULTS = 10;
const TOKENS_EACH = 20;
const DUE_EACH = 3;

export interface CliRotateResult extends TimingSummary {
  name: string;
  latencyMs: number;
  runs: number;
  tokens: number;
  /** Requests all Vaults received in one run (median), of them signed with an access token (Bearer). */
  requestsTotal: number;
  bearerRequests: number;
  /** What one Vault received in one run; those signed with the new token marked Bearer. */
  perVault: string;
}

interface RotationRow {
  connection: string;
  tokenId: string;
  state: string;
  stepsDone: string[];
  oldRevoked: boolean;
  message: string | null;
}

/** 30 rows, every one done with its old token revoked: else throw (never time failures). */
function checkRotation(stdout: string): void {
  const rows = JSON.parse(stdout) as RotationRow[];
  const notDone = rows.filter((r) => r.state !== 'done' || !r.oldRevoked);
  if (rows.length !== VAULTS * DUE_EACH || notDone.length)
    throw new Error(
      `token rotate: ${rows.length} rows (expected ${VAULTS * DUE_EACH}); not done: ${JSON.stringify(notDone)}`,
    );
}

async function benchRotate(latencyMs: number, runs: number): Promise<CliRotateResult> {
  const secrets = new KeyringSecretStore();
  const measured = await freshRuns({
    spec: { vaults: VAULTS, tokensEach: TOKENS_EACH, dueEach: DUE_EACH, latencyMs },
    runs,
    secrets,
    setup: async ({ fake, dataDir, env }) => {
      await addConnections(dataDir, fake.vaults, secrets);
      await timedCli(['--data-dir', dataDir, 'token', 'sync'], env);
    },
    args: () => ['token', 'rotate', '--expiring-within', '14', '--json'],
    check: checkRotation,
  });
  const all = measured.requests.map((byVault) => Object.values(byVault).flat());
  const firstVault = String(measured.vaults[0]!.id);
  return {
    name: `CLI token rotate --expiring-within 14: ${VAULTS * DUE_EACH} tokens across ${VAULTS} Vaults (${TOKENS_EACH} tokens each), +${latencyMs} ms/request`,
    latencyMs,
    runs,
    tokens: VAULTS * DUE_EACH,
    ...summarizeTimings(measured.runs),
    requestsTotal: median(all.map((r) => r.length)),
    bearerRequests: median(all.map((r) => r.filter((x) => x.endsWith(' [token]')).length)),
    perVault: summarizeRequests(
      (measured.requests.at(-1)![firstVault] ?? []).map((r) =>
        r.endsWith(' [token]') ? `${r.slice(0, -' [token]'.length)} (Bearer, the new token)` : r,
      ),
    ),
  };
}

export async function benchCliRotate(latencies: number[] = [100, 0]): Promise<CliRotateResult[]> {
  const runs = Number(process.env.VTD_BENCH_RUNS) || 5;
  const rows: CliRotateResult[] = [];
  for (const latency of latencies) rows.push(await benchRotate(latency, runs));
  return rows;
}

export function describeRotate(r: CliRotateResult): string {
  return (
    `${r.medianMs} ms median, ${r.p95Ms} ms p95 (${r.runs} runs), all ${r.tokens} done; CPU ${r.cpuMs} ms; ` +
    `peak RSS ${r.maxRssMb} MB; ${r.requestsTotal} requests in all, ${r.bearerRequests} signed with the new token; ` +
    `one Vault: ${r.perVault}`
  );
}

if (require.main === module) {
  const latencies = process.env.VTD_BENCH_LATENCY ? [Number(process.env.VTD_BENCH_LATENCY)] : undefined;
  void benchCliRotate(latencies).then((rows) => {
    for (const r of rows) console.log(`${r.name}: ${describeRotate(r)}`);
  });
}
