/**
 * `vault-token-desk token sync` as people run it (issue 14, targets 1–3): the CLI as a fresh process,
 * cold, against fake Vaults in another process, each Vault 25 tokens behind 100 ms of latency per
 * request, passwords in the real OS keychain (run inside test/with-keyring.sh). Reports wall time,
 * the CLI process's CPU (GNU time), peak RSS, and the requests each Vault received, per run.
 *
 *   dbus-run-session -- bash test/with-keyring.sh npx tsx test/bench/cli-sync.ts [40 200 …]
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createAppContext } from '../../electron/app/app-context';
import { KeyringSecretStore } from '../../electron/secrets/keyring-store';
import { ConnectionCreate } from '../../shared/schemas';
import { tempDir } from '../helpers/temp-dir';

const ROOT = resolve(__dirname, '../..');
const CLI = join(ROOT, 'electron/cli/bin.cjs');
const PASSWORD = 'Bench-Passw0rd!';
const USERNAME = 'bench@example.com';

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

interface FakeProcess {
  vaults: { id: number; name: string; dns: string }[];
  caPem: string;
  requests: () => Promise<Record<string, string[]>>;
  stop: () => Promise<void>;
}

function startFake(vaults: number, latencyMs: number): Promise<FakeProcess> {
  const spec = { vaults, tokensEach: 25, latencyMs, username: USERNAME, password: PASSWORD };
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(__dirname, 'fake-vault-process.ts'), JSON.stringify(spec)],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const lines: ((line: string) => void)[] = [];
  let buffer = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      lines.shift()?.(line);
    }
  });
  const nextLine = () => new Promise<string>((r) => lines.push(r));
  return nextLine().then((first) => {
    const ready = JSON.parse(first) as Pick<FakeProcess, 'vaults' | 'caPem'>;
    return {
      ...ready,
      requests: async () => {
        const answer = nextLine();
        child.stdin.write('requests\n');
        return JSON.parse(await answer) as Record<string, string[]>;
      },
      stop: () =>
        new Promise<void>((done) => {
          child.once('exit', () => done());
          child.stdin.end();
        }),
    };
  });
}

/** One CLI process under GNU time: wall ms, CPU ms, max RSS. */
function timedCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ wallMs: number; cpuMs: number; rssMb: number }> {
  return new Promise((done, fail) => {
    const started = performance.now();
    // VTD_BENCH_CPU_PROF=DIR: a V8 CPU profile of each CLI run, for finding where the time goes.
    const profile = process.env.VTD_BENCH_CPU_PROF
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.VTD_BENCH_CPU_PROF}`]
      : [];
    const child = spawn('/usr/bin/time', ['-f', 'VTDTIME %U %S %M', process.execPath, ...profile, CLI, ...args], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      const match = /VTDTIME ([\d.]+) ([\d.]+) (\d+)/.exec(stderr);
      if (code !== 0 || !match) return fail(new Error(`token sync failed (exit ${code}):\n${stderr}`));
      done({ wallMs, cpuMs: (Number(match[1]) + Number(match[2])) * 1000, rssMb: Number(match[3]) / 1024 });
    });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function benchCliSync(vaults: number, latencyMs: number, runs: number): Promise<CliSyncResult[]> {
  const fake = await startFake(vaults, latencyMs);
  const work = tempDir('vtd-cli-bench-');
  const template = join(work.path, 'template');
  const caFile = join(work.path, 'ca.pem');
  writeFileSync(caFile, fake.caPem);
  const secrets = new KeyringSecretStore();
  try {
    // The consultant's setup, done once: connections with their passwords remembered in the keychain.
    const ctx = createAppContext({ dataDir: template, version: 'bench', secrets, actor: 'bench' });
    for (const v of fake.vaults) {
      await ctx.connections.create(
        ConnectionCreate.parse({
          name: v.name,
          dns: v.dns,
          username: USERNAME,
          rememberSecret: true,
          secret: PASSWORD,
        }),
      );
    }
    await ctx.close();
    const env = { ...process.env, NODE_EXTRA_CA_CERTS: caFile, VAULT_TOKEN_DESK_HOME: '' };
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
    // The bench keyring is throwaway (with-keyring.sh); remove its items anyway.
    for (const account of await secrets.list().catch(() => [] as string[])) await secrets.delete(account);
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
