/**
 * The command line's fetch over node:https (electron/cli/https-fetch.ts) against the fake Vault over
 * real TLS: the requests the Vault client makes (GET, a form POST, a DELETE whose body is CSV), and
 * failures that electron/vault/errors.ts must still tell apart (refused, untrusted, aborted, http).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { createHttpsFetch } from '../../electron/cli/https-fetch';
import { classifyFetchFailure } from '../../electron/vault/errors';
import { startFakeVault } from '../fake-vault/index';
import type { FakeVault } from '../fake-vault/types';

const PASSWORD = 'Https-Fetch-Passw0rd!';

/** A loopback port nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('the CLI fetch over node:https', () => {
  let fake: FakeVault;
  let base: string;
  let fetchFn: typeof fetch;

  beforeAll(async () => {
    fake = await startFakeVault({
      vaults: [{ id: 71, name: 'Fetch Vault' }],
      users: [
        {
          id: 900,
          username: 'fetch@example.com',
          password: PASSWORD,
          securityProfile: 'vault_owner__v',
          vaults: 'all',
        },
      ],
    });
    base = `https://${fake.vaults[0]!.dns}`;
    fetchFn = createHttpsFetch({ ca: fake.caPem });
  });
  afterAll(async () => {
    await fake?.close();
  });

  const signIn = async () => {
    const auth = await fetchFn(`${base}/api/v26.2/auth`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams({ username: 'fetch@example.com', password: PASSWORD }).toString(),
    });
    return ((await auth.json()) as { sessionId: string }).sessionId;
  };

  it('GETs JSON with its headers', async () => {
    const first = await fetchFn(`${base}/api/`, {
      headers: { Accept: 'application/json', Authorization: await signIn() },
    });
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toMatch(/json/);
    const body = (await first.json()) as { responseStatus: string; values: Record<string, string> };
    expect(body.responseStatus).toBe('SUCCESS');
    expect(body.values['v26.2']).toBe(`${base}/api/v26.2`);
  });

  it('POSTs a form (sign-in) and DELETEs with a CSV body, which reaches Vault whole', async () => {
    const sessionId = await signIn();
    expect(sessionId).toBeTruthy();
    const token = fake.state.createToken({
      vault: 71,
      user: 900,
      name: 'to revoke',
      expiresAt: new Date(Date.now() + 9e8),
    });
    const revoke = await fetchFn(`${base}/api/v26.2/vobjects/api_access_token__sys`, {
      method: 'DELETE',
      headers: { Authorization: sessionId, 'Content-Type': 'text/csv', Accept: 'application/json' },
      body: `id\n${token.id}\n`,
    });
    const answer = (await revoke.json()) as { responseStatus: string; data: { responseStatus: string }[] };
    expect(answer.responseStatus).toBe('SUCCESS');
    expect(answer.data[0]!.responseStatus).toBe('SUCCESS');
  });

  it('rejects a refused connection with ECONNREFUSED, which the client reports as such', async () => {
    const port = await closedPort();
    const error = await fetchFn(`https://127.0.0.1:${port}/api/`).catch((e: unknown) => e);
    expect(classifyFetchFailure(error)).toMatchObject({ kind: 'network', code: 'ECONNREFUSED' });
  });

  it('refuses a certificate that does not chain to a trusted root', async () => {
    const untrusting = createHttpsFetch();
    const error = await untrusting(`${base}/api/`).catch((e: unknown) => e);
    expect(classifyFetchFailure(error).kind).toBe('tls');
  });

  it('stops when aborted, and never speaks plain http', async () => {
    const controller = new AbortController();
    controller.abort();
    const aborted = await fetchFn(`${base}/api/`, { signal: controller.signal }).catch((e: unknown) => e);
    expect(classifyFetchFailure(aborted).kind).toBe('aborted');
    await expect(fetchFn(`http://${fake.vaults[0]!.dns}/api/`)).rejects.toThrow(/Only https/);
  });
});
