/**
 * Helpers for the fake Vault's own tests (and usable by other suites):
 * a fixture domain and a tiny API caller over createTrustingFetch.
 */
import { ManualClock } from './clock';
import { createTrustingFetch } from './https-fetch';
import { startFakeVault } from './index';
import type { FakeUserSeed, FakeVault, FakeVaultInfo, FakeVaultOptions, FakeVaultSeed } from './types';

export const PASSWORD = 'S3cret-pass!';

export const FIXTURE_VAULTS: FakeVaultSeed[] = [
  { id: 100, name: 'Alpha', createdAt: new Date('2016-01-01T00:00:00Z') },
  { id: 200, name: 'Beta', createdAt: new Date('2015-01-01T00:00:00Z') },
  { id: 150, name: 'Alpha Sandbox', sandboxOf: 100, createdAt: new Date('2020-01-01T00:00:00Z') },
  { id: 300, name: 'Dormant', active: false, createdAt: new Date('2010-01-01T00:00:00Z') },
];

export const U = {
  admin: 500,
  nora: 501,
  pacific: 502,
  veevaId: 503,
  inactive: 504,
  betaOnly: 505,
  multi: 506,
  lastLogin: 507,
  orphan: 508,
  noApi: 509,
  locked: 510,
} as const;

export const FIXTURE_USERS: FakeUserSeed[] = [
  {
    id: U.admin,
    username: 'admin@example.com',
    password: PASSWORD,
    securityProfile: 'vault_owner__v',
    vaults: [100, 200, 150],
    timezone: 'America/New_York',
  },
  {
    id: U.nora,
    username: 'nora@example.com',
    password: PASSWORD,
    securityProfile: 'document_user__v',
    vaults: [100, 150],
    timezone: 'Europe/Oslo',
  },
  { id: U.pacific, username: 'pat@example.com', password: PASSWORD, vaults: [100], timezone: 'America/Los_Angeles' },
  { id: U.veevaId, username: 'vid@veevaid.com', password: PASSWORD, vaults: [100], veevaId: true },
  { id: U.inactive, username: 'gone@example.com', password: PASSWORD, vaults: [100], active: false },
  { id: U.betaOnly, username: 'beta@example.com', password: PASSWORD, vaults: [200] },
  { id: U.multi, username: 'multi@example.com', password: PASSWORD, vaults: [100, 200, 300] },
  { id: U.lastLogin, username: 'last@example.com', password: PASSWORD, vaults: [100, 200], lastLoginVault: 100 },
  { id: U.orphan, username: 'orphan@example.com', password: PASSWORD, vaults: [300] },
  { id: U.noApi, username: 'noapi@example.com', password: PASSWORD, vaults: [100], securityProfile: 'read_only__v' },
  { id: U.locked, username: 'locked@example.com', password: PASSWORD, vaults: [100], lockedOut: true },
];

// The Vault API is JSON of unknown shape; tests read it loosely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface CallOptions {
  /** Raw Authorization value. */
  auth?: string;
  form?: Record<string, string>;
  json?: unknown;
  csv?: string;
  body?: string | FormData;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface CallResult {
  res: Response;
  body: Json;
  ms: number;
}

export interface Harness {
  fake: FakeVault;
  clock: ManualClock;
  fetch: typeof fetch;
  vault(name: string): FakeVaultInfo;
  call(vault: string | FakeVaultInfo, method: string, path: string, opts?: CallOptions): Promise<CallResult>;
  /** Logs in at `vault` and returns the session ID (throws on FAILURE). */
  login(username: string, vault: string): Promise<string>;
}

export async function startHarness(overrides: FakeVaultOptions = {}, start = '2030-01-10T12:00:00Z'): Promise<Harness> {
  const clock = new ManualClock(start);
  const fake = await startFakeVault({ vaults: FIXTURE_VAULTS, users: FIXTURE_USERS, now: clock.now, ...overrides });
  const f = createTrustingFetch(fake.caPem);
  const vault = (name: string): FakeVaultInfo => {
    const v = fake.vaults.find((x) => x.name === name);
    if (!v) throw new Error(`no Vault ${name}`);
    return v;
  };
  const call = async (
    v: string | FakeVaultInfo,
    method: string,
    path: string,
    opts: CallOptions = {},
  ): Promise<CallResult> => {
    const origin = typeof v === 'string' ? vault(v).origin : v.origin;
    const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
    if (opts.auth !== undefined) headers.Authorization = opts.auth;
    let body: string | FormData | undefined = opts.body;
    if (opts.form) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(opts.form).toString();
    } else if (opts.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(opts.json);
    } else if (opts.csv !== undefined) {
      headers['Content-Type'] = 'text/csv';
      body = opts.csv;
    }
    const t0 = Date.now();
    const res = await f(`${origin}${path}`, { method, headers, body, signal: opts.signal });
    const text = await res.text();
    let parsed: Json = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // leave as text
    }
    return { res, body: parsed, ms: Date.now() - t0 };
  };
  const login = async (username: string, v: string): Promise<string> => {
    const { body } = await call(v, 'POST', '/api/v26.2/auth', { form: { username, password: PASSWORD } });
    if (body.responseStatus !== 'SUCCESS') throw new Error(`login failed: ${JSON.stringify(body)}`);
    return body.sessionId as string;
  };
  return { fake, clock, fetch: f, vault, call, login };
}
