/**
 * What the Connections screen says about each connection's health (issue 13, item 4): in words
 * and an icon, never colour alone, from what main persisted (last sync, its error, reachability)
 * and from tests run on this screen.
 */
import type { Connection } from '../../../../shared/domain';
import type { ConnectionHealth } from '../../../../shared/tokens';
import type { ErrorInfo } from '../../../../shared/errors';
import type { ConnectionTestResult } from '../../../../shared/contract/connections';

export type RowTest =
  | { phase: 'running' }
  | { phase: 'ok'; at: number; checksRefused: number; result: ConnectionTestResult }
  | { phase: 'failed'; at: number; error: ErrorInfo }
  | { phase: 'skipped'; reason: string };

export interface HealthView {
  tone: 'ok' | 'warn' | 'danger' | 'neutral';
  icon: string;
  label: string;
  /** The error or reason in words, for the Problem column and the row's title. */
  detail: string | null;
}

export function healthView(health: ConnectionHealth | undefined, test: RowTest | undefined): HealthView {
  if (test?.phase === 'running') return { tone: 'neutral', icon: '…', label: 'Testing', detail: null };
  if (test?.phase === 'skipped') return { tone: 'warn', icon: '!', label: 'Not tested', detail: test.reason };
  if (test?.phase === 'failed') {
    const unreachable = test.error.code === 'VAULT_UNREACHABLE' || test.error.code === 'IDP_UNREACHABLE';
    const signIn = test.error.code === 'SIGN_IN_REQUIRED' || (test.error.code === 'GUARD' && test.error.fields?.secret);
    return {
      tone: 'danger',
      icon: '✕',
      label: unreachable ? 'Unreachable' : signIn ? 'Needs sign-in' : 'Test failed',
      detail: test.error.vaultErrorType ? `${test.error.message} (${test.error.vaultErrorType})` : test.error.message,
    };
  }
  if (test?.phase === 'ok') {
    return test.checksRefused
      ? { tone: 'warn', icon: '!', label: 'Works, with limits', detail: `${test.checksRefused} checks say no` }
      : { tone: 'ok', icon: '✓', label: 'Works', detail: null };
  }
  if (health?.lastSyncError) return { tone: 'danger', icon: '✕', label: 'Sync failed', detail: health.lastSyncError };
  if (health?.reachable === false) return { tone: 'danger', icon: '✕', label: 'Unreachable', detail: null };
  if (health?.lastSyncedAt) return { tone: 'ok', icon: '✓', label: 'Synced', detail: null };
  return { tone: 'neutral', icon: '–', label: 'Not checked yet', detail: null };
}

export interface SavedView {
  tone: 'ok' | 'warn' | 'danger' | 'neutral';
  label: string;
  title: string;
}

/** The "Saved sign-in" column: stored, refused (never sent again), renews itself, or asked. */
export function savedView(c: Connection): SavedView {
  if (c.authMethod === 'sso') {
    return c.secretStored
      ? { tone: 'ok', label: 'Renews itself', title: 'The identity provider’s refresh token is in the keychain' }
      : { tone: 'neutral', label: 'Sign in', title: 'Sign in with your browser to use this connection' };
  }
  if (c.authMethod === 'session')
    return { tone: 'neutral', label: 'Asked each run', title: 'Session ids are never saved' };
  if (c.secretStored && c.secretRefused) {
    const type = c.secretRefused.vaultErrorType ? ` (${c.secretRefused.vaultErrorType})` : '';
    return {
      tone: 'danger',
      label: '⚠ Refused',
      title: `Vault refused the saved ${c.authMethod === 'token' ? 'token' : 'password'}${type}: it is not sent again until you replace it`,
    };
  }
  if (c.secretStored) return { tone: 'ok', label: 'Stored', title: 'In your OS keychain' };
  return { tone: 'neutral', label: 'Ask', title: 'Asked for when needed, kept in memory for the run' };
}

/** Search over what a person remembers of a connection. */
export function matchesSearch(c: Connection, health: ConnectionHealth | undefined, search: string): boolean {
  const q = search.trim().toLowerCase();
  if (!q) return true;
  return [c.name, c.dns, c.username, health?.vaultName ?? ''].some((text) => text.toLowerCase().includes(q));
}
