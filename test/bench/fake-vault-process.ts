/**
 * Runs a fake Vault in its own process for benchmarks, so its TLS and JSON
 * work does not share the event loop with the code being measured (a real
 * Vault is remote). Reads a JSON spec on argv[2]; prints one JSON line with
 * the Vaults and the CA when ready; exits when stdin closes. A line `requests` on stdin answers with
 * one JSON line: the requests each Vault received since the last such line (method and path); a line
 * `requests auth` adds the credential each presented (` [session]`, ` [token]`, ` [none]`).
 */
import { startFakeVault } from '../fake-vault/index';

export interface FakeVaultSpec {
  vaults: number;
  tokensEach: number;
  /**
   * How many of each Vault's tokens expire within days 1…dueEach (token t on day t + 1); the rest
   * from day 30 on. Without it, token t expires on day t + 1 (cli-sync's spread).
   */
  dueEach?: number;
  latencyMs: number;
  username: string;
  password: string;
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '{}') as FakeVaultSpec;
  const fake = await startFakeVault({
    vaults: Array.from({ length: spec.vaults }, (_, i) => ({ id: 5000 + i, name: `Bench Vault ${i + 1}` })),
    users: [
      { id: 900, username: spec.username, password: spec.password, securityProfile: 'vault_owner__v', vaults: 'all' },
    ],
    latencyMs: spec.latencyMs,
    burstLimit: 1_000_000,
  });
  const day = 86_400_000;
  const dueEach = spec.dueEach ?? spec.tokensEach;
  for (const v of fake.vaults) {
    for (let t = 0; t < spec.tokensEach; t++)
      fake.state.createToken({
        vault: v.id,
        user: 900,
        name: `integration-${t}`,
        expiresAt: new Date(Date.now() + (t < dueEach ? t + 1 : 30 + t) * day),
      });
  }
  process.stdout.write(
    `${JSON.stringify({ vaults: fake.vaults.map((v) => ({ id: v.id, name: v.name, dns: v.dns })), caPem: fake.caPem })}\n`,
  );
  let seen = 0;
  let pending = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk: string) => {
    pending += chunk;
    for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
      const line = pending.slice(0, nl).trim();
      pending = pending.slice(nl + 1);
      if (line !== 'requests' && line !== 'requests auth') continue;
      const withAuth = line === 'requests auth';
      const byVault: Record<number, string[]> = {};
      for (const r of fake.requestLog.slice(seen))
        (byVault[r.vaultId] ??= []).push(`${r.method} ${r.path}${withAuth ? ` [${r.auth}]` : ''}`);
      seen = fake.requestLog.length;
      process.stdout.write(`${JSON.stringify(byVault)}\n`);
    }
  });
  process.stdin.on('end', () => void fake.close().then(() => process.exit(0)));
}

void main();
