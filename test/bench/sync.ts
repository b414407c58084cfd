/**
 * Sync throughput against the fake Vault with 100 ms added to every request:
 * 40 connections × 25 tokens, and 100 connections, at the default
 * concurrency. Prints the floor the issue sets beside the measured time:
 * 1.5 × ceil(connections / concurrency) × (requests per connection) × 100 ms.
 */
import { createAppContext } from '../../electron/app/app-context';
import { MemorySecretStore } from '../../electron/secrets/memory-store';
import { DEFAULT_SYNC_CONCURRENCY } from '../../electron/tokens/sync-service';
import { ConnectionCreate } from '../../shared/schemas';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createTrustingFetch } from '../fake-vault/https-fetch';
import { tempDir } from '../helpers/temp-dir';

export interface SyncBenchResult {
  name: string;
  connections: number;
  tokensPerConnection: number;
  medianMs: number;
  runs: number;
  requestsPerConnection: number;
  floorMs: number;
  concurrency: number;
}

const LATENCY_MS = 100;
const PASSWORD = 'Bench-Passw0rd!';

interface FakeProcess {
  vaults: { id: number; name: string; dns: string }[];
  caPem: string;
  stop: () => Promise<void>;
}

function startFakeVaultProcess(spec: {
  vaults: number;
  tokensEach: number;
  latencyMs: number;
  username: string;
  password: string;
}): Promise<FakeProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(__dirname, 'fake-vault-process.ts'), JSON.stringify(spec)],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.once('exit', (code) => reject(new Error(`fake Vault process exited (${code})`)));
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const newline = buffer.indexOf('\n');
      if (newline < 0) return;
      const ready = JSON.parse(buffer.slice(0, newline)) as Omit<FakeProcess, 'stop'>;
      child.removeAllListeners('exit');
      resolve({
        ...ready,
        stop: () =>
          new Promise<void>((done) => {
            child.once('exit', () => done());
            child.stdin.end();
          }),
      });
    });
  });
}

async function benchOnce(connections: number, tokensEach: number, runs: number): Promise<SyncBenchResult> {
  const fake = await startFakeVaultProcess({
    vaults: connections,
    tokensEach,
    latencyMs: LATENCY_MS,
    username: 'bench@example.com',
    password: PASSWORD,
  });
  const dir = tempDir('vtd-bench-');
  const secrets = new MemorySecretStore();
  // Count requests per Vault on the client side.
  const trusting = createTrustingFetch(fake.caPem);
  const perHost = new Map<string, number>();
  const counting: typeof fetch = (input, init) => {
    const host = new URL(String(input)).host;
    perHost.set(host, (perHost.get(host) ?? 0) + 1);
    return trusting(input, init);
  };
  const ctx = createAppContext({ dataDir: dir.path, version: 'bench', secrets, fetch: counting, actor: 'bench' });
  try {
    for (const v of fake.vaults) {
      await ctx.connections.create(
        ConnectionCreate.parse({
          name: v.name,
          dns: v.dns,
          username: 'bench@example.com',
          rememberSecret: true,
          secret: PASSWORD,
        }),
      );
    }
    const times: number[] = [];
    let requestsPerConnection = 0;
    for (let run = 0; run < runs; run++) {
      // Every run starts cold (fresh logins), as a sync after launch would.
      await Promise.all(ctx.connections.list().map((c) => ctx.gateway.forget(c.id)));
      perHost.clear();
      const started = performance.now();
      const outcomes = await ctx.sync.syncAll();
      times.push(performance.now() - started);
      const failed = outcomes.filter((o) => !o.ok);
      if (failed.length) throw new Error(`sync failed for ${failed.length} connection(s): ${failed[0]!.message}`);
      if (outcomes.some((o) => o.total !== tokensEach)) throw new Error('sync did not see every token');
      requestsPerConnection = Math.max(...perHost.values());
    }
    times.sort((a, b) => a - b);
    const concurrency = DEFAULT_SYNC_CONCURRENCY;
    return {
      name: `sync ${connections} connections × ${tokensEach} tokens, +${LATENCY_MS} ms/request`,
      connections,
      tokensPerConnection: tokensEach,
      medianMs: Math.round(times[Math.floor(times.length / 2)]!),
      runs,
      requestsPerConnection,
      floorMs: 1.5 * Math.ceil(connections / concurrency) * requestsPerConnection * LATENCY_MS,
      concurrency,
    };
  } finally {
    await ctx.close();
    await fake.stop();
    dir.cleanup();
  }
}

export async function benchSync(): Promise<SyncBenchResult[]> {
  return [await benchOnce(40, 25, 5), await benchOnce(100, 25, 3)];
}

if (require.main === module) {
  void benchSync().then((rows) => console.table(rows));
}
