/**
 * `vault-token-desk token list --stale [--stale-days N] --never-expires` (issue 16, item 4), the
 * built CLI on a data directory the app wrote: the Settings' days, an override, the two filters
 * together and with the others, the frozen JSON rows, and usage errors. Offline: no Vault, no keychain.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_JSON_FIELDS, type TokenJson } from '../../electron/cli/json';
import { ConnectionCreate } from '../../shared/schemas';
import { ManualClock } from '../fake-vault/clock';
import { createAppContext } from '../../electron/app/app-context';
import { MemorySecretStore } from '../../electron/secrets/memory-store';
import { tempDir } from '../helpers/temp-dir';
import { buildCli, CliRunner, describeRun } from '../helpers/cli-runner';

const DAY = 86_400_000;

describe('token list --stale / --never-expires (built CLI)', () => {
  const dir = tempDir('vtd-cli-nudges-');
  const dataDir = dir.path;
  const cli = new CliRunner(dataDir);
  const open = (clock?: ManualClock) =>
    createAppContext({
      dataDir,
      version: '0.0.0-test',
      secrets: new MemorySecretStore(),
      ...(clock ? { clock: { now: clock.now } } : {}),
    });

  beforeAll(async () => {
    await buildCli();
    // Tokens made 200 days ago (the CLI runs on the real clock), then used at different times.
    const clock = new ManualClock(Date.now() - 200 * DAY);
    const ctx = open(clock);
    const future = new Date(Date.now() + 300 * DAY).toISOString();
    for (const [name, dns] of [
      ['Acme QA', 'acme-qa.veevavault.com'],
      ['Globex PROD', 'globex.veevavault.com'],
    ] as const) {
      const c = await ctx.connections.create(ConnectionCreate.parse({ name, dns, username: `svc@${dns}` }));
      const tokens: [string, string | null][] = [
        ['Never used', future],
        ['Legacy forever', null],
        ['Daily ETL', future],
        ['Quarterly report', future],
        ['Old revoked', future],
      ];
      for (const [i, [tokenName, expiresAt]] of tokens.entries()) {
        ctx.tokensRepo.insertGenerated({
          connectionId: c.id,
          connectionName: c.name,
          vaultId: name === 'Acme QA' ? 11 : 12,
          vaultDns: dns,
          tokenId: `0PI${name === 'Acme QA' ? 'A' : 'G'}0000000000${i}`,
          name: tokenName,
          userId: '61603',
          userName: 'svc',
          expiresAt,
          at: clock.now().toISOString(),
        });
      }
    }
    const usedAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();
    const used = ctx.db.prepare('UPDATE tokens SET last_used_at = ? WHERE name = ?');
    used.run(usedAgo(2), 'Daily ETL');
    used.run(usedAgo(60), 'Quarterly report');
    used.run(usedAgo(150), 'Old revoked');
    used.run(usedAgo(120), 'Legacy forever');
    ctx.db
      .prepare(`UPDATE tokens SET lifecycle = 'revoked', revoked_at = ? WHERE name = 'Old revoked'`)
      .run(usedAgo(1));
    await ctx.close();
  });
  afterAll(() => dir.cleanup());

  const list = async (args: string[]) => {
    const { result, doc } = await cli.json<TokenJson[]>(['token', 'list', ...args]);
    expect(result.code, describeRun(result)).toBe(0);
    for (const row of doc) expect(Object.keys(row)).toEqual([...TOKEN_JSON_FIELDS]);
    return doc.map((r) => `${r.connection}: ${r.name}`).sort();
  };

  it('--stale lists live tokens not used for the days set in the app (90 by default)', async () => {
    expect(await list(['--stale'])).toEqual([
      'Acme QA: Legacy forever',
      'Acme QA: Never used',
      'Globex PROD: Legacy forever',
      'Globex PROD: Never used',
    ]);
  });

  it('--stale-days overrides the setting; --never-expires alone and with the others', async () => {
    expect(await list(['--stale-days', '30', '--connection', 'Globex PROD'])).toEqual([
      'Globex PROD: Legacy forever',
      'Globex PROD: Never used',
      'Globex PROD: Quarterly report',
    ]);
    expect(await list(['--never-expires'])).toEqual(['Acme QA: Legacy forever', 'Globex PROD: Legacy forever']);
    expect(await list(['--never-expires', '--stale', '--stale-days', '130'])).toEqual([]);
    expect(await list(['--never-expires', '--stale', '--connection', 'Acme QA'])).toEqual(['Acme QA: Legacy forever']);
    expect(await list(['--stale', '--status', 'revoked'])).toEqual([]);
  });

  it('follows the app setting when it changes', async () => {
    const ctx = open();
    await ctx.service.updateSettings({ staleAfterDays: 45 });
    await ctx.close();
    expect(await list(['--stale'])).toEqual(
      [
        'Acme QA: Legacy forever',
        'Acme QA: Never used',
        'Globex PROD: Legacy forever',
        'Globex PROD: Never used',
        'Globex PROD: Quarterly report',
        'Acme QA: Quarterly report',
      ].sort(),
    );
  });

  it('prints a table, and refuses a bad --stale-days as a usage error', async () => {
    const table = await cli.run(['token', 'list', '--never-expires'], { env: { NO_COLOR: '1' } });
    expect(table.code, describeRun(table)).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^CONNECTION\s+TOKEN ID\s+NAME/);
    expect(lines.slice(1).every((l) => /Legacy forever\s.*never/.test(l))).toBe(true);
    for (const bad of ['0', '3651', 'soon', '1.5']) {
      const r = await cli.run(['token', 'list', '--stale-days', bad]);
      expect(r.code, describeRun(r)).toBe(2);
      expect(r.stderr).toMatch(/^error: --stale-days takes a whole number of days \(1–3650\)/);
    }
    const help = await cli.run(['token', 'list', '--help']);
    expect(help.stdout).toMatch(/--stale\b/);
    expect(help.stdout).toMatch(/--never-expires/);
  });
});
