/**
 * The Vault summary line's rules (renderer/src/lib/vault-health.ts, issue 13 item 3), plus the
 * compact times and the environment seam the inventory uses.
 */
import { describe, expect, it } from 'vitest';
import { sameIds, summarizeVaults, vaultStatus } from '../../renderer/src/lib/vault-health';
import { compactRelative } from '../../renderer/src/lib/compact-time';
import { connectionEnvironment, parseEnvironment } from '../../renderer/src/lib/environment';
import type { Connection } from '../../shared/domain';
import type { ConnectionHealth, SyncProgress } from '../../shared/tokens';

// Only the fields the summary reads; the rest of Connection does not matter here.
const connection = (id: string, name = id): Connection =>
  ({
    id,
    name,
    dns: `${id}.example.com`,
    apiVersion: 'v26.2',
    username: 'me@example.com',
    authMethod: 'password',
    clientId: 'vault-token-desk',
    secretStored: true,
    loginHost: null,
    idpClientId: null,
    ssoProfile: null,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
  }) as Connection;
const health = (id: string, patch: Partial<ConnectionHealth> = {}): ConnectionHealth => ({
  connectionId: id,
  loginUserId: null,
  vaultId: null,
  vaultName: null,
  lastSyncedAt: '2026-05-01T10:00:00Z',
  lastSyncError: null,
  lastCheckedAt: null,
  reachable: true,
  seesAllTokens: null,
  ...patch,
});
const progress = (id: string, phase: SyncProgress['phase'], message: string | null = null): SyncProgress => ({
  connectionId: id,
  phase,
  pages: 0,
  tokens: 0,
  message,
});

describe('vaultStatus', () => {
  it('keeps a failure from SQLite after a reload, even when the Vault answered (no green dot)', () => {
    const s = vaultStatus(connection('a'), health('a', { lastSyncError: 'Vault refused: INSUFFICIENT_ACCESS' }));
    expect(s).toMatchObject({ state: 'failed', error: 'Vault refused: INSUFFICIENT_ACCESS', offline: false });
  });

  it('takes this run’s progress first', () => {
    const failedBefore = health('a', { lastSyncError: 'old error' });
    expect(vaultStatus(connection('a'), failedBefore, progress('a', 'running')).state).toBe('syncing');
    expect(vaultStatus(connection('a'), failedBefore, progress('a', 'queued')).state).toBe('syncing');
    expect(vaultStatus(connection('a'), failedBefore, progress('a', 'done')).state).toBe('synced');
    expect(vaultStatus(connection('a'), health('a'), progress('a', 'failed', 'new error'))).toMatchObject({
      state: 'failed',
      error: 'new error',
    });
  });

  it('tells unreachable, never synced and synced apart', () => {
    expect(vaultStatus(connection('a'), health('a', { reachable: false })).state).toBe('unreachable');
    expect(vaultStatus(connection('a'), health('a', { reachable: false, lastSyncError: 'closed' }))).toMatchObject({
      state: 'failed',
      offline: true,
    });
    expect(vaultStatus(connection('a'), health('a', { lastSyncedAt: null })).state).toBe('never');
    expect(vaultStatus(connection('a'), undefined).state).toBe('never');
    expect(vaultStatus(connection('a'), health('a')).state).toBe('synced');
  });
});

describe('summarizeVaults', () => {
  it('counts each state and lists the failed first, then by name', () => {
    const cs = ['d', 'c', 'b', 'a'].map((id) => connection(id, `Vault ${id.toUpperCase()}`));
    const h = new Map([
      ['a', health('a')],
      ['b', health('b', { lastSyncError: 'refused' })],
      ['c', health('c', { lastSyncedAt: null })],
      ['d', health('d', { lastSyncError: 'dropped', reachable: false })],
    ]);
    const s = summarizeVaults(cs, h, new Map());
    expect(s.counts).toEqual({ failed: 2, unreachable: 0, syncing: 0, never: 1, synced: 1 });
    expect(s.failed.map((f) => f.connection.id)).toEqual(['b', 'd']);
    expect(s.ordered.map((f) => f.connection.id)).toEqual(['b', 'd', 'c', 'a']);
  });
});

describe('sameIds', () => {
  it('is true only for exactly the same, non-empty set', () => {
    expect(sameIds(['a', 'b'], ['b', 'a'])).toBe(true);
    expect(sameIds(['a'], ['a', 'b'])).toBe(false);
    expect(sameIds(['a', 'c'], ['a', 'b'])).toBe(false);
    expect(sameIds([], [])).toBe(false);
  });
});

describe('compactRelative', () => {
  const now = Date.parse('2026-06-01T12:00:00Z');
  it('writes short times for narrow columns', () => {
    expect(compactRelative(null, 'never', now)).toBe('never');
    expect(compactRelative('garbage', '—', now)).toBe('—');
    expect(compactRelative('2026-06-01T11:59:30Z', '—', now)).toBe('just now');
    expect(compactRelative('2026-06-01T11:55:00Z', '—', now)).toBe('5 min ago');
    expect(compactRelative('2026-06-01T09:00:00Z', '—', now)).toBe('3 h ago');
    expect(compactRelative('2026-05-29T12:00:00Z', '—', now)).toBe('3 d ago');
    expect(compactRelative('2026-03-01T12:00:00Z', '—', now)).toBe('3 mo ago');
    expect(compactRelative('2024-05-01T12:00:00Z', '—', now)).toBe('2 y ago');
    expect(compactRelative('2026-06-04T12:00:00Z', '—', now)).toBe('in 3 d');
  });
});

describe('environment tag seam', () => {
  it('reads DEV/QA/UAT/PROD/sandbox/other and nothing else', () => {
    expect(parseEnvironment('prod')).toBe('PROD');
    expect(parseEnvironment(' Production ')).toBe('PROD');
    expect(parseEnvironment('uat')).toBe('UAT');
    expect(parseEnvironment('Development')).toBe('DEV');
    expect(parseEnvironment('staging')).toBeNull();
    expect(parseEnvironment(null)).toBeNull();
  });

  it('is the connection’s own environment (client groups), never guessed from its name', () => {
    expect(connectionEnvironment(connection('a', 'Acme PromoMats Prod'))).toBeNull();
    expect(connectionEnvironment(undefined)).toBeNull();
    const grouped: Connection = { ...connection('a'), client: 'Acme', environment: 'PROD' };
    expect(connectionEnvironment(grouped)).toBe('PROD');
    expect(parseEnvironment('Sandbox')).toBe('sandbox');
  });
});
