/**
 * The core contract against a REAL Vault, only when configured:
 *   VAULT_DNS, VAULT_USERNAME, VAULT_PASSWORD  (required)
 *   VAULT_API_VERSION (default v26.2), VAULT_CLIENT_ID (default vault-token-desk)
 * Without them every test here is reported as SKIPPED.
 *
 * The capability check runs read-only (whoami, GET /api/, three one-row VQL
 * counts). Side effects on the Vault: one session (ended in afterAll) and at most ONE
 * API access token for the signed-in user, with a 1-day expiry, revoked in
 * `finally`. If the generate call fails with an unknown outcome, tokens
 * carrying this run's unique name are looked up and revoked too.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger, memorySink } from '../../electron/log';
import { VaultClient, type VaultConnectionHandle } from '../../electron/vault/client';
import { CAPABILITY_IDS } from '../../shared/capabilities';

const DNS = process.env.VAULT_DNS ?? '';
const USERNAME = process.env.VAULT_USERNAME ?? '';
const PASSWORD = process.env.VAULT_PASSWORD ?? '';
const configured = DNS !== '' && USERNAME !== '' && PASSWORD !== '';

// Runs only with VAULT_DNS, VAULT_USERNAME and VAULT_PASSWORD set; otherwise reported as skipped.
describe.skipIf(!configured)(
  'Vault client against a real Vault (set VAULT_DNS, VAULT_USERNAME, VAULT_PASSWORD to run)',
  () => {
    const mem = memorySink();
    const client = new VaultClient({ fetch: globalThis.fetch, logger: createLogger(mem.sink, 'debug') });
    const vault: VaultConnectionHandle = configured
      ? client.connection(
          {
            connectionId: 'real-vault-test',
            dns: DNS,
            apiVersion: process.env.VAULT_API_VERSION ?? 'v26.2',
            clientId: process.env.VAULT_CLIENT_ID ?? 'vault-token-desk',
          },
          async () => ({ kind: 'password', username: USERNAME, password: PASSWORD }),
        )
      : (undefined as unknown as VaultConnectionHandle);
    const secrets: string[] = [PASSWORD];

    afterAll(async () => {
      await client.endAll();
      for (const record of mem.records) {
        const text = JSON.stringify(record);
        for (const s of secrets) expect(text.includes(s)).toBe(false);
      }
    });

    it('logs in and answers whoami for the configured user', async () => {
      const me = await vault.whoami();
      expect(me.username?.toLowerCase()).toBe(USERNAME.toLowerCase());
      expect(me.id).toMatch(/^\d+$/);
    });

    it('testConnection confirms the Vault and API version', async () => {
      const result = await vault.testConnection();
      expect(result.vault.dns).toBe(
        DNS.toLowerCase()
          .replace(/^https:\/\//, '')
          .replace(/\/$/, ''),
      );
      expect(result.vault.id).toBeGreaterThan(0);
      expect(result.apiVersion).toBe(process.env.VAULT_API_VERSION ?? 'v26.2');
    });

    it('the capability check runs read-only and signs in to the Vault asked for', async () => {
      const report = await vault.checkCapabilities();
      const byId = Object.fromEntries(report.checks.map((c) => [c.id, c]));
      expect(report.checks.map((c) => c.id)).toEqual([...CAPABILITY_IDS]);
      expect(byId['signed-in']?.status).toBe('yes');
      expect(byId['api-versions']?.status).toBe('yes');
      // Printed so a person running the suite sees what this login may do on their Vault.
      console.info(report.checks.map((c) => `${c.status.padEnd(7)} ${c.label}: ${c.detail}`).join('\n'));
      for (const c of report.checks) expect(['yes', 'no', 'unknown']).toContain(c.status);
    });

    it('lists my tokens', async () => {
      const me = await vault.whoami();
      const rows = await vault.listTokens({ userId: me.id });
      expect(Array.isArray(rows)).toBe(true);
      for (const row of rows) expect(row.id).toMatch(/^[A-Za-z0-9]+$/);
    });

    it(
      'generates ONE token for me with a 1-day expiry, sees it, and revokes it',
      { retry: 0, timeout: 120_000 },
      async () => {
        const me = await vault.whoami();
        const name = `vault-token-desk contract test ${new Date().toISOString()}`;
        const expiry = new Date(Date.now() + 24 * 3600_000).toISOString();
        let created: { id: string; value: string } | null = null;
        try {
          created = await vault.generateToken({
            target: { kind: 'me' },
            name,
            expiry: { kind: 'datetime', iso: expiry },
          });
          secrets.push(created.value);
          expect(created.value.startsWith('veeva-vault-')).toBe(true);
          const listed = await vault.listTokens({ userId: me.id });
          expect(listed.find((r) => r.id === created!.id)?.name).toBe(name);
          const one = await vault.getToken(created.id);
          expect(one?.id).toBe(created.id);
        } finally {
          // Revoke what we made; if the outcome was unknown, revoke anything with this run's name.
          const ids = created
            ? [created.id]
            : (await vault.listTokens({ userId: me.id }).catch(() => []))
                .filter((r) => r.name === name)
                .map((r) => r.id);
          if (ids.length > 0) {
            const results = await vault.revokeTokens(ids);
            expect(results.every((r) => r.ok)).toBe(true);
          }
        }
        if (!created) throw new Error('no token was generated');
        const after = await vault.getToken(created.id);
        expect(after === null || after.status !== 'active__v').toBe(true);
      },
    );
  },
);
