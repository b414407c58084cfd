/**
 * Issue 11, "A fuzz test that stays": every contract channel driven with
 * malformed payloads and foreign senders through the real handler table over
 * a real app context (SQLite in a temp dir, in-memory keychain).
 *
 * Nothing reaches the network: the seeded connections point at 127.0.0.1:1 and
 * the context's fetch refuses every request, as Node's fetch does when the
 * port is closed, without opening a socket.
 *
 * Deterministic: a fixed seed (override with VTD_FUZZ_SEED=<n> to explore),
 * a fixed number of cases per channel, and the seed in every failure message.
 */
import { afterAll, afterEach, assert, beforeAll, describe, expect, it, vi } from 'vitest';
import type { z } from 'zod';
import { createHandlerTable, originSenderCheck, type IpcSender } from '../../electron/ipc/handler-table';
import { createLogger, memorySink, type LogRecord } from '../../electron/log';
import { accounts } from '../../electron/secrets/secret-store';
import { CHANNELS, contract, type Channel, type ServiceMethods } from '../../shared/contract';
import { ERROR_CODES, type IpcResult } from '../../shared/errors';
import { ConnectionCreate } from '../../shared/schemas';
import { testContext } from '../helpers/context';
import {
  EXTRA_KEYS,
  PROTO_KEYS,
  WRONG_TYPES,
  deepJsonText,
  deepNesting,
  getAt,
  hugeString,
  mulberry32,
  nodePaths,
  objectPaths,
  oddValueFor,
  pick,
  pollutingValueJson,
  preview,
  randomWord,
  seedFor,
  setAt,
  stringsIn,
  withOwnKey,
  wrongTypeFor,
  type Rng,
} from '../helpers/fuzz-payloads';

const SEED = Number(process.env.VTD_FUZZ_SEED ?? 0x11f022);
const CASES_PER_CHANNEL = 30;
const CALL_TIMEOUT_MS = 5_000;

const APP = 'app://vault-token-desk';
const TRUSTED_SENDERS = [APP, `${APP}/`, `${APP}/index.html`, `${APP}/index.html#/tokens?x=1`];
const FOREIGN_SENDERS: (string | undefined)[] = [
  'https://evil.example/',
  'https://evil.example/app://vault-token-desk',
  'app://vault-token-desk.evil/',
  'app://vault-token-desk.evil.example/index.html',
  'app://vault-token-desk@evil.example/',
  'app://vault-token-desk:8080/',
  'app://evil.example/',
  'http://vault-token-desk/',
  'file:///',
  'file:///etc/passwd',
  'about:blank',
  'devtools://devtools/bundled/inspector.html',
  'app:vault-token-desk',
  'null',
  '',
  undefined,
  'not a url',
];

/** Looks like a Vault token value (docs/vault-api.md §1.1). */
const TOKEN_SHAPED = /veeva-vault-[A-Za-z0-9]{8,}/;
const PLANTED_PASSWORD = 'Fuzz-Planted-Passw0rd-9f27c1d4e8';
const PLANTED_LOGIN_TOKEN = 'veeva-vault-PlantedLoginToken0123456789abcdef';
const PLANTED_TOKEN_VALUE = 'veeva-vault-PlantedTokenValue9876543210ZYXWVU';
const PLANTED = [PLANTED_PASSWORD, PLANTED_LOGIN_TOKEN, PLANTED_TOKEN_VALUE];
/** Sent in payloads on purpose, to see whether anything echoes a token-shaped input. */
const SENT_TOKEN_SHAPED = 'veeva-vault-SentByTheFuzzer0000111122223333';

const PLANTED_VAULT_ID = 4242;
const PLANTED_TOKEN_ID = 'FUZZ0TOKEN0001';
const MISSING_ROW = 987_654;
const MISSING_CONNECTION = 'c0ffee00-0000-4000-8000-000000000000';

/**
 * Request schemas allowed to drop unknown keys instead of refusing them. None: every request
 * schema is a z.strictObject (docs/architecture.md). The three the fuzz test first found were made strict.
 */
const LENIENT_OBJECT_SCHEMAS: readonly Channel[] = [];

interface Seeded {
  connectionId: string;
  tokenConnectionId: string;
  rowId: number;
}

/**
 * One structurally valid request per channel, aimed at the seeded data (or at
 * ids that do not exist). The fuzzer corrupts these. `satisfies` makes a new
 * channel a compile error here until it has a base.
 */
const BASES = {
  'app:info': () => ({}),
  'audit:list': () => ({ limit: 50, beforeId: 10 }),
  'connections:list': () => ({}),
  'connections:create': () => ({
    name: 'Fuzz new',
    dns: '127.0.0.1:1',
    apiVersion: 'v26.2',
    username: 'new@example.com',
    authMethod: 'password',
    clientId: 'vault-token-desk',
    rememberSecret: false,
    client: 'Fuzz client',
    environment: 'QA',
  }),
  'connections:update': (s) => ({
    id: s.connectionId,
    name: 'Fuzz seed',
    dns: '127.0.0.1:1',
    apiVersion: 'v26.2',
    username: 'fuzz@example.com',
    authMethod: 'password',
    clientId: 'vault-token-desk',
    rememberSecret: true,
    client: 'Fuzz client',
    environment: 'PROD',
  }),
  'connections:remove': (s) => ({ id: s.tokenConnectionId }),
  'connections:test': (s) => ({ id: s.connectionId }),
  'connections:unlock': (s) => ({ id: s.tokenConnectionId, secret: 'typed-for-this-run' }),
  'connections:health': () => ({}),
  'tokens:query': (s) => ({
    search: 'fuzz',
    connectionIds: [s.connectionId],
    clients: ['Fuzz client', ''],
    environments: ['PROD'],
    statuses: ['active', 'expiring'],
    rowIds: [s.rowId],
    expiresWithinDays: 30,
    secretNotStored: false,
    includeImported: true,
    sort: { column: 'name', direction: 'asc' },
    offset: 0,
    limit: 10,
  }),
  'tokens:generate': (s) => ({
    connectionId: s.connectionId,
    target: { kind: 'user', userId: '1001' },
    name: 'Fuzz generated',
    expiry: { kind: 'datetime', iso: '2030-01-31T17:00:00Z' },
    userName: 'Fuzz User',
  }),
  'tokens:generate-many': (s) => ({
    connectionIds: [s.connectionId],
    name: 'Fuzz',
    expiry: { kind: 'never' },
    checkOnly: true,
  }),
  // Revealing the planted row would rightly answer its value: aim at a missing row.
  'tokens:reveal': () => ({ rowId: MISSING_ROW }),
  'tokens:copy': () => ({ rowId: MISSING_ROW }),
  'tokens:confirmSaved': (s) => ({ rowId: s.rowId }),
  'tokens:revoke': (s) => ({ rowIds: [s.rowId, MISSING_ROW] }),
  'tokens:rotate': (s) => ({ rowId: s.rowId, expiry: { kind: 'date', date: '2030-01-31' } }),
  'tokens:completeRotation': (s) => ({ oldRowId: s.rowId, newRowId: MISSING_ROW }),
  'tokens:sync': (s) => ({ connectionIds: [s.connectionId, s.tokenConnectionId] }),
  'tokens:clearRevoked': () => ({ rowIds: [MISSING_ROW] }),
  'tokens:export': (s) => ({ format: 'json', query: { search: 'fuzz', connectionIds: [s.connectionId] } }),
  'tokens:import': () => ({ content: '{"format":"not-an-export"}', fileName: 'fuzz.json' }),
  'tokens:clearImported': () => ({}),
  'users:search': (s) => ({ connectionId: s.connectionId, search: 'fuzz' }),
  // The fuzz's only reachable host: a valid payload must never reach Veeva's real login host from a test.
  'connections:discover': () => ({
    username: 'fuzz@example.com',
    loginHost: '127.0.0.1:1',
    clientId: 'vault-token-desk',
  }),
  // The seeded connection signs in with a password, so a valid payload is refused before any browser opens.
  'connections:sso-sign-in': (s) => ({ id: s.connectionId, mode: 'browser' }),
  'connections:sso-cancel': (s) => ({ id: s.connectionId }),
  'connections:reachable': (s) => ({ id: s.connectionId }),
  'connections:add-reachable': (s) => ({ id: s.connectionId, vaultIds: [2001] }),
  'connections:probe': () => ({ dns: '127.0.0.1:1' }),
  'connections:needs-secret': (s) => ({ ids: [s.connectionId, 'no-such-connection'] }),
  'connections:sso-copy': (s) => ({ id: s.connectionId, what: 'code' }),
  // Issue 15, item 4: one good row (no secret column exists), one formula-looking cell, one bad DNS.
  'connections:csv-preview': () => ({
    text: 'name;dns;username;client;environment\r\nFuzz csv;127.0.0.1:1;u@example.com;=cmd;PROD\r\nBad;not a host;u;;\r\n',
  }),
  'connections:csv-import': () => ({
    text: '\uFEFFname,dns,username,sign-in method\nFuzz csv,127.0.0.1:1,u@example.com,password\n',
    skipInvalid: false,
    fileName: 'fuzz.csv',
  }),
  'connections:csv-export': () => ({}),
  'reminders:upcoming': () => ({ days: 30, weekStartsOn: 1 }),
  'reminders:summary': () => ({}),
  'reminders:snooze': (s) => ({ rowId: s.rowId, until: '1w' }),
  'reminders:unsnooze': (s) => ({ rowId: s.rowId }),
  'reminders:dismiss': (s) => ({ rowId: s.rowId }),
  'reminders:undismiss': (s) => ({ rowId: s.rowId }),
  'reminders:bulk': (s) => ({ action: 'snooze', rowIds: [s.rowId], until: '1w' }),
  'settings:get': () => ({}),
  'settings:update': () => ({
    thresholds: [30, 7, 0],
    expiringSoonDays: 14,
    startAtLogin: false,
    minimiseToTray: false,
  }),
  'settings:connection-thresholds': (s) => ({ connectionId: s.connectionId, thresholds: [7, 1] }),
  'calendar:export': (s) => ({ rowIds: [s.rowId] }),
  'deliveries:list': (s) => ({ rowId: s.rowId }),
  // Adds a target on the planted row; nothing is written until a delivery runs.
  'deliveries:add': (s) => ({
    rowId: s.rowId,
    target: { kind: 'dotenv', path: '/nonexistent-vtd-fuzz/fuzz.env', key: 'VAULT_TOKEN' },
  }),
  'deliveries:remove': () => ({ id: MISSING_ROW }),
  // Delivering the planted row would hand its value to whatever target a fuzzed add configured: aim at a missing row.
  'deliveries:deliver': () => ({ rowId: MISSING_ROW }),
  // Reaches the refusing fetch at generate; deliveries off, so no fuzzed target can receive a value.
  'tokens:rotate-many': (s) => ({ selection: { rowIds: [s.rowId] }, deliver: false }),
  'tokens:rotate-preview': () => ({ selection: { expiringWithinDays: 30 } }),
} satisfies Record<Channel, (s: Seeded) => unknown>;

type GeneratorName =
  | 'wrong-type'
  | 'corrupt-field'
  | 'extra-key'
  | 'proto-key'
  | 'huge-string'
  | 'deep-nesting'
  | 'odd-value'
  | 'import-document'
  | 'valid';

interface FuzzCase {
  generator: GeneratorName;
  payload: unknown;
}

type Generator = (rng: Rng, base: unknown) => FuzzCase;

const GENERATORS: Generator[] = [
  (rng) => ({ generator: 'wrong-type', payload: pick(rng, WRONG_TYPES) }),
  (rng, base) => {
    const paths = nodePaths(base);
    if (paths.length === 0) return { generator: 'wrong-type', payload: pick(rng, WRONG_TYPES) };
    const path = pick(rng, paths);
    return { generator: 'corrupt-field', payload: setAt(base, path, wrongTypeFor(rng, getAt(base, path))) };
  },
  (rng, base) => {
    const path = pick(rng, objectPaths(base));
    const key = rng() < 0.25 ? randomWord(rng) : pick(rng, EXTRA_KEYS);
    const value = JSON.stringify(pick(rng, [1, 'x', true, null, [], {}, { nested: 1 }]));
    return { generator: 'extra-key', payload: withOwnKey(base, path, key, value) };
  },
  (rng, base) => {
    const path = pick(rng, objectPaths(base));
    const key = pick(rng, PROTO_KEYS);
    return { generator: 'proto-key', payload: withOwnKey(base, path, key, pollutingValueJson(key)) };
  },
  (rng, base) => {
    const strings = nodePaths(base).filter((p) => typeof getAt(base, p) === 'string');
    const huge = hugeString(rng);
    if (strings.length === 0 || rng() < 0.2) return { generator: 'huge-string', payload: huge };
    return { generator: 'huge-string', payload: setAt(base, pick(rng, strings), huge) };
  },
  (rng, base) => {
    const deep = deepNesting(rng);
    const paths = nodePaths(base);
    const where = rng();
    if (paths.length === 0 || where < 0.3) return { generator: 'deep-nesting', payload: deep };
    if (where < 0.5)
      return {
        generator: 'deep-nesting',
        payload: withOwnKey(base, [], 'deep', deepJsonText(rng() < 0.5 ? 'array' : 'object')),
      };
    return { generator: 'deep-nesting', payload: setAt(base, pick(rng, paths), deep) };
  },
  (rng, base) => {
    const paths = nodePaths(base);
    if (paths.length === 0) return { generator: 'odd-value', payload: pick(rng, [undefined, {}]) };
    const path = pick(rng, paths);
    return {
      generator: 'odd-value',
      payload: setAt(base, path, oddValueFor(rng, getAt(base, path), SENT_TOKEN_SHAPED)),
    };
  },
];

/** What an import may be handed: documents that are deep, polluting, huge, or almost right. */
function importDocument(rng: Rng): string {
  const row = {
    connection: 'Fuzz',
    vaultDns: 'fuzz.veevavault.com',
    vaultId: 1,
    tokenId: 'IMPORTED0001',
    name: 'Imported',
    userId: '1001',
    userName: null,
    status: 'active',
    expiresAt: null,
    lastUsedAt: null,
    createdAt: null,
    secretStored: false,
    source: 'import',
    revokedAt: null,
    lastSyncedAt: null,
  };
  const doc = (rows: unknown[], extra = '') =>
    `{"format":"vault-token-desk-inventory","version":1${extra},"rows":${JSON.stringify(rows)}}`;
  return pick(rng, [
    () => deepJsonText('array'),
    () => deepJsonText('object'),
    () => `{"format":${deepJsonText('object', 'format')}}`,
    () => `{"format":${deepJsonText('array')}}`,
    () => `{"format":"vault-token-desk-inventory","version":1,"rows":${deepJsonText('array')}}`,
    () => doc([], ',"__proto__":{"polluted":"yes"}'),
    () => doc([], ',"constructor":{"prototype":{"polluted":"yes"}}'),
    () => doc([row]).replace('{"connection"', '{"__proto__":{"polluted":"yes"},"connection"'),
    () => doc([row]).replace('"connection":"Fuzz"', `"connection":${deepJsonText('array')}`),
    () => doc([{ ...row, tokenId: SENT_TOKEN_SHAPED, name: SENT_TOKEN_SHAPED }]),
    () => doc([{ ...row, name: 'n'.repeat(501) }]),
    () => doc([{ ...row, expiresAt: 'not a date' }, { ...row, status: 'weird' }, { ...row, vaultId: 'x' }, {}]),
    () => `{"format":${JSON.stringify(SENT_TOKEN_SHAPED)}}`,
    () => '{"format":"vault-token-desk-inventory","version":99,"rows":[]}',
    () => 'connection,vaultDns,vaultId,tokenId\nx,y,1,z',
    () => '\uFEFF   ',
    () => hugeString(rng),
    () => `{"format":"vault-token-desk-inventory","version":1,"rows":[${JSON.stringify(row)}`,
  ])();
}

function casesFor(channel: Channel, seeded: Seeded, rng: Rng): FuzzCase[] {
  const base = BASES[channel](seeded);
  // Case 0 is the base itself: it reaches the service (and, for Vault calls, the refusing fetch).
  const cases: FuzzCase[] = [{ generator: 'valid', payload: base }];
  for (let i = 1; i < CASES_PER_CHANNEL; i++) {
    if (channel === 'tokens:import' && i % 3 === 2) {
      const fileName = rng() < 0.5 ? 'fuzz.json' : pick(rng, ['../../x', 'a'.repeat(260), '\u0000.json']);
      cases.push({ generator: 'import-document', payload: { content: importDocument(rng), fileName } });
      continue;
    }
    const generator = GENERATORS[i % GENERATORS.length]!;
    cases.push(generator(rng, base));
  }
  return cases;
}

// ---------------------------------------------------------------------------
// The app under test

function refusingFetch(calls: string[]): typeof fetch {
  return (async (input: string | URL | Request) => {
    calls.push(input instanceof Request ? input.url : String(input));
    const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
      code: 'ECONNREFUSED',
      syscall: 'connect',
      address: '127.0.0.1',
      port: 1,
    });
    throw new TypeError('fetch failed', { cause });
  }) as typeof fetch;
}

/** A tripwire: nothing should use the global fetch (the context gets `refusingFetch`). */
const strayFetches: string[] = [];
beforeAll(() => {
  vi.stubGlobal('fetch', refusingFetch(strayFetches));
});

let current: ReturnType<typeof testContext> | null = null;
afterEach(async () => {
  await current?.cleanup();
  current = null;
});

async function app() {
  const fetchCalls: string[] = [];
  const appLogs = memorySink();
  const ctx = testContext({
    fetch: refusingFetch(fetchCalls),
    logger: createLogger(appLogs.sink, 'debug'),
    vaultTimeoutMs: 2_000,
  });
  current = ctx;

  const seed = await ctx.service.createConnection(
    ConnectionCreate.parse({
      name: 'Fuzz seed',
      dns: '127.0.0.1:1',
      username: 'fuzz@example.com',
      rememberSecret: true,
      secret: PLANTED_PASSWORD,
    }),
  );
  const byToken = await ctx.service.createConnection(
    ConnectionCreate.parse({
      name: 'Fuzz token login',
      dns: '127.0.0.1:1',
      username: 'fuzz-token@example.com',
      authMethod: 'token',
      rememberSecret: true,
      secret: PLANTED_LOGIN_TOKEN,
    }),
  );
  const now = new Date();
  const rowId = ctx.tokensRepo.insertGenerated({
    connectionId: seed.id,
    connectionName: seed.name,
    vaultId: PLANTED_VAULT_ID,
    vaultDns: seed.dns,
    tokenId: PLANTED_TOKEN_ID,
    name: 'Fuzz planted token',
    userId: '1001',
    userName: 'Fuzz User',
    expiresAt: new Date(now.getTime() + 10 * 86_400_000).toISOString(),
    secretStored: true,
    at: now.toISOString(),
  });
  await ctx.secrets.set(accounts.token(PLANTED_VAULT_ID, PLANTED_TOKEN_ID), PLANTED_TOKEN_VALUE);
  expect(ctx.secretsMemory?.items.size).toBe(3);

  // Count service calls: a refused request must not reach any method.
  const serviceCalls: string[] = [];
  const counted = Object.fromEntries(
    Object.entries(ctx.service).map(([name, fn]) => [
      name,
      (request: unknown) => {
        serviceCalls.push(name);
        return (fn as (r: unknown) => Promise<unknown>).call(ctx.service, request);
      },
    ]),
  ) as unknown as ServiceMethods;
  const tableLogs = memorySink();
  const table = createHandlerTable(counted, originSenderCheck([APP]), createLogger(tableLogs.sink, 'debug'));
  const seeded: Seeded = { connectionId: seed.id, tokenConnectionId: byToken.id, rowId };
  return {
    ctx,
    table,
    seeded,
    serviceCalls,
    fetchCalls,
    logs: (): LogRecord[] => [...appLogs.records, ...tableLogs.records],
  };
}

// ---------------------------------------------------------------------------
// Checks

const stats = { calls: 0, byCode: new Map<string, number>(), fetches: 0, accepted: new Map<string, number>() };
const count = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

const PROTOTYPES: [string, object][] = [
  ['Object.prototype', Object.prototype],
  ['Array.prototype', Array.prototype],
  ['Function.prototype', Function.prototype],
  ['String.prototype', String.prototype],
];
const prototypeKeys = new Map(PROTOTYPES.map(([name, proto]) => [name, Reflect.ownKeys(proto).map(String).sort()]));

/**
 * A plain check: thousands of calls each run a dozen of these, and vitest's
 * `expect` would cost more than the calls themselves.
 */
function check(ok: boolean, where: string, what: string): void {
  if (!ok) assert.fail(`${where}: ${what}`);
}

function assertNotPolluted(where: string): void {
  const probe = {} as Record<string, unknown>;
  check(probe.polluted === undefined, where, '({}).polluted is set: Object.prototype was polluted');
  check(probe.isAdmin === undefined, where, '({}).isAdmin is set: Object.prototype was polluted');
  check(typeof probe.toString === 'function', where, '({}).toString is no longer a function');
  check((probe.constructor as unknown) === Object, where, '({}).constructor is no longer Object');
  check(([] as unknown as Record<string, unknown>).polluted === undefined, where, '[].polluted is set');
  for (const [name, proto] of PROTOTYPES) {
    const keys = Reflect.ownKeys(proto).map(String).sort().join(',');
    check(keys === prototypeKeys.get(name)?.join(','), where, `the own keys of ${name} changed: ${keys}`);
  }
}

/** Token-shaped strings the fuzzer itself sent: stored user data may legitimately come back in a value. */
const sentTokenShaped = [SENT_TOKEN_SHAPED];

function assertNoSecrets(result: IpcResult<unknown>, where: string): void {
  for (const text of stringsIn(result)) {
    for (const secret of PLANTED) check(!text.includes(secret), where, 'a planted secret is in the response');
    const match = TOKEN_SHAPED.exec(text)?.[0];
    if (match === undefined) continue;
    const echoOfStoredData = result.ok && sentTokenShaped.some((s) => s.startsWith(match));
    check(echoOfStoredData, where, `a token-shaped string (${match}) is in the ${result.ok ? 'value' : 'error'}`);
  }
}

const ERROR_KEYS = ['code', 'message', 'fields', 'vaultErrorType'];

function assertErrorShape(result: IpcResult<unknown>, where: string): void {
  if (result.ok) return;
  const { error } = result;
  check((ERROR_CODES as readonly string[]).includes(error.code), where, `unknown error code ${String(error.code)}`);
  check(error.code !== 'INTERNAL', where, `INTERNAL: ${error.message}`);
  check(typeof error.message === 'string' && error.message.length > 0, where, 'no message');
  check(!/\n\s+at |\.ts:\d+|node:internal/.test(error.message), where, `a stack trace in: ${error.message}`);
  for (const key of Object.keys(error)) check(ERROR_KEYS.includes(key), where, `unexpected error key ${key}`);
  for (const [field, message] of Object.entries(error.fields ?? {}))
    check(typeof message === 'string', where, `fields.${field} is not a string`);
}

type Table = ReturnType<typeof createHandlerTable>;

/** One call: it must settle, answer `{ ok, value }` or `{ ok: false, error }`, leak nothing and pollute nothing. */
async function call(table: Table, channel: string, sender: IpcSender, payload: unknown, where: string) {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), CALL_TIMEOUT_MS);
  });
  let result: IpcResult<unknown> | 'timeout';
  try {
    result = await Promise.race([table.handle(channel, sender, payload), timeout]);
  } catch (error) {
    throw new Error(`${where}: handle() rejected instead of answering: ${String(error)}`, { cause: error });
  } finally {
    clearTimeout(timer);
  }
  if (result === 'timeout') throw new Error(`${where}: no answer within ${CALL_TIMEOUT_MS} ms`);
  check(typeof result === 'object' && result !== null && typeof result.ok === 'boolean', where, 'not a result');
  const keys = Object.keys(result).sort().join(',');
  check(keys === (result.ok ? 'ok,value' : 'error,ok'), where, `result keys ${keys}`);
  assertErrorShape(result, where);
  assertNoSecrets(result, where);
  assertNotPolluted(where);
  stats.calls++;
  count(stats.byCode, result.ok ? 'ok' : result.error.code);
  return result;
}

function assertLogsClean(records: LogRecord[], where: string): void {
  for (const text of stringsIn(records))
    for (const secret of PLANTED) check(!text.includes(secret), where, 'a planted secret is in the log');
}

// ---------------------------------------------------------------------------

afterAll(() => {
  vi.unstubAllGlobals();
  assertNotPolluted('after the run');
  expect(strayFetches, 'a request went through the global fetch').toEqual([]);
  const codes = [...stats.byCode].map(([code, n]) => `${code} ${n}`).join(', ');
  console.info(
    `ipc fuzz: seed ${SEED}, ${CHANNELS.length} channels, ${stats.calls} calls (${codes}); ` +
      `${stats.fetches} refused fetches; schema-accepted fuzz cases: ${[...stats.accepted].map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}`,
  );
});

describe(`IPC fuzz (seed ${SEED}, ${CASES_PER_CHANNEL} cases per channel)`, () => {
  it('has a base request for every contract channel, and each base passes its schema', async () => {
    const { seeded } = await app();
    expect(Object.keys(BASES).sort()).toEqual([...CHANNELS].sort());
    for (const channel of CHANNELS) {
      const parsed = (contract[channel].request as z.ZodType).safeParse(BASES[channel](seeded));
      expect(parsed.success, `seed=${SEED} ${channel}: base ${preview(BASES[channel](seeded))}`).toBe(true);
    }
  });

  it.each(CHANNELS.map((c) => [c]))('%s: malformed payloads from the app answer a clean error', async (channel) => {
    const { table, seeded, serviceCalls, fetchCalls, logs } = await app();
    const rng = mulberry32(seedFor(SEED, channel));
    const schema = contract[channel].request as z.ZodType;
    const cases = casesFor(channel, seeded, rng);
    for (const [i, fuzz] of cases.entries()) {
      const sender = { url: pick(rng, TRUSTED_SENDERS) };
      const where = `seed=${SEED} channel=${channel} case=#${i} generator=${fuzz.generator} payload=${preview(fuzz.payload)}`;
      const accepted = schema.safeParse(fuzz.payload).success;
      const before = serviceCalls.length;
      const result = await call(table, channel, sender, fuzz.payload, where);
      const code = result.ok ? 'ok' : result.error.code;
      if (!accepted) {
        check(code === 'VALIDATION', where, `the schema refuses it, but the answer was ${code}`);
        check(serviceCalls.length === before, where, 'a refused request reached the service');
        continue;
      }
      // The schema accepted it: the service ran and must answer a value or a known, non-INTERNAL error.
      count(stats.accepted, fuzz.generator);
      if (process.env.VTD_FUZZ_VERBOSE)
        console.info(
          `accepted: ${channel} #${i} ${fuzz.generator} → ${result.ok ? 'ok' : result.error.code}: ${result.ok ? '' : result.error.message.slice(0, 160)} | ${preview(fuzz.payload, 120)}`,
        );
      check(serviceCalls.length === before + 1, where, 'an accepted request did not reach the service');
      if (fuzz.generator === 'extra-key' || fuzz.generator === 'proto-key' || fuzz.generator === 'deep-nesting')
        check(LENIENT_OBJECT_SCHEMAS.includes(channel), where, 'the schema accepted an unknown key');
      check(fuzz.generator !== 'wrong-type', where, 'the schema accepted a wrong-typed payload');
    }
    stats.fetches += fetchCalls.length;
    for (const url of fetchCalls) {
      // Discovery asks the login host the person typed (docs/vault-api.md §3.5), and the save-time probe
      // asks the DNS being typed whether a Vault answers (§3.8); neither carries a secret. Every other
      // channel talks to the seeded Vault alone.
      const open = { 'connections:discover': '/auth/discovery', 'connections:probe': '/api/' } as Record<
        string,
        string
      >;
      if (open[channel]) expect(new URL(url).pathname, `seed=${SEED} ${channel}: fetch to ${url}`).toBe(open[channel]);
      else expect(new URL(url).host, `seed=${SEED} ${channel}: fetch to ${url}`).toBe('127.0.0.1:1');
    }
    assertLogsClean(logs(), `seed=${SEED} channel=${channel}`);
  });

  it('the lenient (non-strict) request schemas are exactly the known ones', () => {
    for (const channel of CHANNELS) {
      const base = BASES[channel]({ connectionId: 'c', tokenConnectionId: 't', rowId: 1 });
      const withExtra = withOwnKey(base, [], 'fuzzExtraKey', '1');
      const lenient = (contract[channel].request as z.ZodType).safeParse(withExtra).success;
      expect(lenient, `${channel}: accepts an unknown top-level key`).toBe(LENIENT_OBJECT_SCHEMAS.includes(channel));
    }
  });

  it('refuses every foreign sender on every channel, whatever the payload, before touching anything', async () => {
    const { ctx, table, seeded, serviceCalls, fetchCalls, logs } = await app();
    const rng = mulberry32(seedFor(SEED, 'foreign senders'));
    const connectionsBefore = ctx.connections.list();
    const channels: string[] = [...CHANNELS, 'shell:exec', '__proto__', 'tokens:reveal '];
    for (const channel of channels) {
      for (const url of FOREIGN_SENDERS) {
        const known = (CHANNELS as string[]).includes(channel);
        const base = known ? BASES[channel as Channel](seeded) : {};
        // Half the time the exact valid request (the dangerous case), otherwise a fuzzed one.
        const fuzz = rng() < 0.5 ? { generator: 'valid', payload: base } : pick(rng, GENERATORS)(rng, base);
        const where = `seed=${SEED} channel=${channel} sender=${preview(url)} generator=${fuzz.generator} payload=${preview(fuzz.payload)}`;
        const result = await call(table, channel, { url }, fuzz.payload, where);
        check(!result.ok && result.error.code === 'FORBIDDEN_SENDER', where, `answered ${preview(result)}`);
        check(!result.ok && /refused/.test(result.error.message) && !result.error.fields, where, preview(result));
      }
    }
    expect(serviceCalls, `seed=${SEED}: a foreign sender reached the service`).toEqual([]);
    expect(fetchCalls).toEqual([]);
    expect(ctx.connections.list()).toEqual(connectionsBefore);
    expect(ctx.tokensRepo.query({ offset: 0, limit: 10 }, new Date(), 30).total).toBe(1);
    const refusals = logs().filter((r) => r.message.includes('untrusted sender'));
    expect(refusals).toHaveLength(channels.length * FOREIGN_SENDERS.length);
    assertLogsClean(logs(), `seed=${SEED} foreign senders`);
  });

  it('refuses unknown channel names from the app', async () => {
    const { table, serviceCalls } = await app();
    const rng = mulberry32(seedFor(SEED, 'unknown channels'));
    const names = [
      '',
      ' ',
      'shell:exec',
      'connections:list ',
      ' connections:list',
      'CONNECTIONS:LIST',
      'connections:List',
      'connections:list\u0000',
      'app:info/../tokens:reveal',
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
      'valueOf',
      'connections:__proto__',
      'tokens:',
      ':',
      '\u202eofni:ppa',
      'x'.repeat(1 << 20),
      ...Array.from({ length: 20 }, () => `${randomWord(rng, 6)}:${randomWord(rng, 10)}`),
    ];
    for (const name of names) {
      const base = pick(rng, CHANNELS);
      const fuzz = pick(rng, GENERATORS)(rng, BASES[base](missingIds()));
      const where = `seed=${SEED} channel=${preview(name, 60)} generator=${fuzz.generator} payload=${preview(fuzz.payload)}`;
      const result = await call(table, name, { url: pick(rng, TRUSTED_SENDERS) }, fuzz.payload, where);
      check(!result.ok && result.error.code === 'UNKNOWN_CHANNEL', where, `answered ${preview(result)}`);
    }
    expect(serviceCalls).toEqual([]);
  });

  // Error messages must not hand back a token-shaped value: the table scrubs AppError messages
  // (issue 11, finding 6); these are the two paths that answer with a message of their own.
  it.each([
    ['an unknown channel name', `tokens:${SENT_TOKEN_SHAPED}`, undefined],
    [
      'a schema message (an invalid Vault DNS)',
      'connections:create',
      { name: 'n', dns: `${SENT_TOKEN_SHAPED}_x`, username: 'u' },
    ],
  ])('does not echo a token-shaped value in %s', async (_label, channel, payload) => {
    const { table } = await app();
    const where = `channel=${preview(channel)} payload=${preview(payload)}`;
    const result = await table.handle(channel, { url: APP }, payload);
    expect(result.ok, where).toBe(false);
    const texts = stringsIn(result).filter((text) => TOKEN_SHAPED.test(text));
    expect(texts, `${where}: token-shaped text in the error`).toEqual([]);
  });
});

function missingIds(): Seeded {
  return { connectionId: MISSING_CONNECTION, tokenConnectionId: MISSING_CONNECTION, rowId: MISSING_ROW };
}
