/**
 * What the CLI benchmarks share (cli-sync.ts, cli-discover.ts, cli-rotate.ts): fake Vaults in their own
 * process (fake-vault-process.ts), the built CLI as a fresh process under GNU time, the consultant's
 * connections with the password in the real OS keychain, and medians / p95s.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createAppContext } from '../../electron/app/app-context';
import type { SecretStore } from '../../electron/secrets/secret-store';
import { ConnectionCreate } from '../../shared/schemas';
import { tempDir } from '../helpers/temp-dir';
import type { FakeVaultSpec } from './fake-vault-process';

const ROOT = resolve(__dirname, '../..');
export const CLI = join(ROOT, 'electron/cli/bin.cjs');
export const PASSWORD = 'Bench-Passw0rd!';
export const USERNAME = 'bench@example.com';

export interface FakeProcess {
  vaults: { id: number; name: string; dns: string }[];
  caPem: string;
  /**
   * The requests each Vault received since the last call (`METHOD path`, by Vault id); with
   * `withAuth`, each ends in ` [session]`, ` [token]` or ` [none]`: the credential it presented.
   */
  requests: (withAuth?: boolean) => Promise<Record<string, string[]>>;
  stop: () => Promise<void>;
}

export function startFake(
  spec: Pick<FakeVaultSpec, 'vaults' | 'latencyMs'> & Partial<FakeVaultSpec>,
): Promise<FakeProcess> {
  const full: FakeVaultSpec = { tokensEach: 25, username: USERNAME, password: PASSWORD, ...spec };
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(__dirname, 'fake-vault-process.ts'), JSON.stringify(full)],
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
      requests: async (withAuth = false) => {
        const answer = nextLine();
        child.stdin.write(withAuth ? 'requests auth\n' : 'requests\n');
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

export interface TimedRun {
  wallMs: number;
  /** User + system CPU of the CLI process (GNU time). */
  cpuMs: number;
  rssMb: number;
  stdout: string;
}

/**
 * One CLI process under GNU time, from spawn to exit: wall ms, CPU ms, max RSS, its stdout. A non-zero
 * exit fails the benchmark: a benchmark must not quietly measure failures.
 */
export function timedCli(args: string[], env: NodeJS.ProcessEnv, stdin?: string): Promise<TimedRun> {
  return new Promise((done, fail) => {
    const started = performance.now();
    // VTD_BENCH_CPU_PROF=DIR: a V8 CPU profile of each CLI run, for finding where the time goes.
    const profile = process.env.VTD_BENCH_CPU_PROF
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.VTD_BENCH_CPU_PROF}`]
      : [];
    const child = spawn('/usr/bin/time', ['-f', 'VTDTIME %U %S %M', process.execPath, ...profile, CLI, ...args], {
      env,
      stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    if (stdin !== undefined) child.stdin!.end(stdin);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
    child.stderr!.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      const match = /VTDTIME ([\d.]+) ([\d.]+) (\d+)/.exec(stderr);
      if (code !== 0 || !match)
        return fail(new Error(`vault-token-desk ${args.join(' ')} failed (exit ${code}):\n${stderr}\n${stdout}`));
      done({ wallMs, cpuMs: (Number(match[1]) + Number(match[2])) * 1000, rssMb: Number(match[3]) / 1024, stdout });
    });
  });
}

/** The CLI's environment for a fake Vault whose CA is in caFile: no home directory of the user's. */
export function cliEnv(caFile: string): NodeJS.ProcessEnv {
  return { ...process.env, NODE_EXTRA_CA_CERTS: caFile, VAULT_TOKEN_DESK_HOME: '' };
}

/** The consultant's setup, done once and not timed: a connection per Vault, the password in the keychain. */
export async function addConnections(
  dataDir: string,
  vaults: FakeProcess['vaults'],
  secrets: SecretStore,
): Promise<void> {
  const ctx = createAppContext({ dataDir, version: 'bench', secrets, actor: 'bench' });
  try {
    for (const v of vaults) {
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
  } finally {
    await ctx.close();
  }
}

/** The bench keyring is throwaway (test/with-keyring.sh); remove its items anyway. */
export async function clearKeychain(secrets: SecretStore): Promise<void> {
  for (const account of await secrets.list().catch(() => [] as string[])) await secrets.delete(account);
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The nearest-rank 95th percentile: with 5 runs, the slowest. */
export const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.95) - 1]!;

export interface TimingSummary {
  medianMs: number;
  p95Ms: number;
  /** Median CPU of the CLI process. */
  cpuMs: number;
  maxRssMb: number;
}

/** Wall time median and p95, median CPU and the highest peak RSS of repeated runs, rounded. */
export function summarizeTimings(runs: TimedRun[]): TimingSummary {
  const wall = runs.map((r) => r.wallMs);
  return {
    medianMs: Math.round(median(wall)),
    p95Ms: Math.round(p95(wall)),
    cpuMs: Math.round(median(runs.map((r) => r.cpuMs))),
    maxRssMb: Math.round(Math.max(...runs.map((r) => r.rssMb))),
  };
}

/**
 * `["GET /a", "GET /a", "POST /b"]` → `2× GET /a, POST /b`, first-seen order; ids in paths (a segment
 * of letters and digits with a digit, such as a token id) as `:id`; the ` [session]`-style credential
 * suffixes of `requests(true)` left out.
 */
export function summarizeRequests(requests: string[]): string {
  const counts = new Map<string, number>();
  for (const r of requests) {
    const key = r.replace(/ \[\w+\]$/, '').replace(/\/(?=[A-Za-z0-9]*\d)[A-Za-z0-9]+(?=\/|$| )/g, '/:id');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([r, n]) => (n > 1 ? `${n}× ${r}` : r)).join(', ');
}

export interface FreshRunSetup {
  fake: FakeProcess;
  dataDir: string;
  env: NodeJS.ProcessEnv;
  secrets: SecretStore;
}

export interface FreshRuns {
  /** The Vaults of the fake (the same ids every run). */
  vaults: FakeProcess['vaults'];
  runs: TimedRun[];
  /** Per run, the requests each Vault received during the timed command (with the credential presented). */
  requests: Record<string, string[]>[];
}

/**
 * `runs` times: fake Vaults in a new process, an empty data directory, `setup` (not timed), then the
 * timed command; `check` throws if its output shows anything but success. A new fake per run, so that
 * every run starts from the same Vault state (a rotation changes it) and no run meets the auth burst
 * limit that the runs before it used up (a person runs the command once).
 */
export async function freshRuns(opts: {
  spec: Parameters<typeof startFake>[0];
  runs: number;
  secrets: SecretStore;
  setup: (s: FreshRunSetup) => Promise<void>;
  args: (fake: FakeProcess) => string[];
  check: (stdout: string, fake: FakeProcess) => void;
}): Promise<FreshRuns> {
  const result: FreshRuns = { vaults: [], runs: [], requests: [] };
  for (let i = 0; i < opts.runs; i++) {
    const fake = await startFake(opts.spec);
    const work = tempDir('vtd-cli-bench-');
    try {
      const caFile = join(work.path, 'ca.pem');
      writeFileSync(caFile, fake.caPem);
      const setup = { fake, dataDir: join(work.path, 'data'), env: cliEnv(caFile), secrets: opts.secrets };
      await opts.setup(setup);
      await fake.requests(); // reset the count: only the timed command's requests
      const run = await timedCli(['--data-dir', setup.dataDir, ...opts.args(fake)], setup.env);
      opts.check(run.stdout, fake);
      result.vaults = fake.vaults;
      result.runs.push(run);
      result.requests.push(await fake.requests(true));
    } finally {
      await fake.stop();
      await clearKeychain(opts.secrets);
      work.cleanup();
    }
  }
  return result;
}
