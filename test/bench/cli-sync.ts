/**
 * `vault-token-desk token sync` as people run it (issue 14, targets 1–3): the CLI as a fresh process,
 * cold, against fake Vaults in another process, each Vault 25 tokens behind 100 ms of latency per
 * request, passwords in the real OS keychain (run inside test/with-keyring.sh). Reports wall time,
 * the CLI process's CPU (GNU time), peak RSS, and the requests each Vault received, per run.
 *
 *   dbus-run-session -- bash test/with-keyring.sh npx tsx test/bench/cli-sync.ts [40 200 …]
 */
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KeyringSecretStore } from '../../electron/secrets/keyring-store';
import { tempDir } from '../helpers/temp-dir';
import { addConnections, clearKeychain, cliEnv, median, startFake, timedCli } from './cli-process';

export interface CliSyncResult {
  name: string;
  vaults: number;
  latencyMs: number;
  kind: 'first' | 'later';
  runs: number;
  medianMs: number;
  /** User + system CPU of the CLI process, median. */
  cpuMs: number;
  cpuPerConnectionMs: number;
  maxRssMb: number;
  /** Requests one Vault received in one run (the most any Vault got), and what they were. */
  requestsPerConnection: number;
  requests: string[];
}

async function benchCliSync(vaults: number, latencyMs: number, runs: number): Promise<CliSyncResult[]> {
  const fake = await startFake({ vaults, latencyMs });
  const work = tempDir('vtd-cli-bench-');
  const template = join(work.path, 'template');
  const caFile = join(work.path, 'ca.pem');
  writeFileSync(caFile, fake.caPem);
  const secrets = new KeyringSecretStore();
  try {
    // The consultant's setup, done once: connections with their passwords remembered in the keychain.
    await addConnections(template, fake.vaults, secrets);
    const env = cliEnv(caFile);
    const results: CliSyncResult[] = [];
    for (const kind of ['first', 'later'] as const) {
      const wall: number[] = [];
      const cpu: number[] = [];
      const rss: number[] = [];
      let requests: string[] = [];
      for (let run = 0; run < runs; run++) {
        const dir = join(work.path, `${kind}-${run}`);
        mkdirSync(dir);
        cpSync(template, dir, { recursive: true });
        if (kind === 'later') await timedCli(['--data-dir', dir, 'token', 'sync'], env); // the first sync, not timed
        await fake.requests(); // reset the count
        const t = await timedCli(['--data-dir', dir, 'token', 'sync'], env);
        wall.push(t.wallMs);
        cpu.push(t.cpuMs);
        rss.push(t.rssMb);
        const perVault = Object.values(await fake.requests());
        if (perVault.length !== vaults) throw new Error(`only ${perVault.length} of ${vaults} Vaults were called`);
        requests = perVault.reduce((a, b) => (b.length > a.length ? b : a));
      }
      const cpuMs = median(cpu);
      results.push({
        name: `CLI token sync, ${kind} sync: ${vaults} Vaults × 25 tokens, +${latencyMs} ms/request`,
        vaults,
        latencyMs,
        kind,
        runs,
        medianMs: Math.round(median(wall)),
        cpuMs: Math.round(cpuMs),
        cpuPerConnectionMs: Number((cpuMs / vaults).toFixed(1)),
        maxRssMb: Math.round(Math.max(...rss)),
        requestsPerConnection: requests.length,
        requests,
      });
    }
    return results;
  } finally {
    await fake.stop();
    await clearKeychain(secrets);
    work.cleanup();
  }
}

export async function benchCli(sizes: number[] = [40, 200], latencies: number[] = [100, 0]): Promise<CliSyncResult[]> {
  const rows: CliSyncResult[] = [];
  const runs = Number(process.env.VTD_BENCH_RUNS) || 0;
  for (const vaults of sizes) {
    for (const latency of latencies)
      rows.push(...(await benchCliSync(vaults, latency, runs || (vaults > 100 ? 3 : 5))));
  }
  return rows;
}

if (require.main === module) {
  const sizes = process.argv.slice(2).map(Number).filter(Boolean);
  const latencies = process.env.VTD_BENCH_LATENCY ? [Number(process.env.VTD_BENCH_LATENCY)] : undefined;
  void benchCli(sizes.length ? sizes : undefined, latencies).then((rows) => {
    for (const r of rows)
      console.log(
        `${r.name}: ${r.medianMs} ms median (${r.runs} runs); CPU ${r.cpuMs} ms = ${r.cpuPerConnectionMs} ms/connection; ` +
          `RSS ${r.maxRssMb} MB; ${r.requestsPerConnection} requests/Vault: ${r.requests.join(', ')}`,
      );
  });
}
