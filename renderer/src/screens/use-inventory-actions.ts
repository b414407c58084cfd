/**
 * What the inventory's buttons do: sync (all, or one Vault, asking for a
 * secret when one is missing), revoke preparation, import, and clearing
 * imported or revoked rows. Each outcome becomes a notice in plain words.
 */
import { useCallback, useRef, useState, type ChangeEvent, type Dispatch, type SetStateAction } from 'react';
import type { Connection } from '../../../shared/domain';
import type { GenerateManyOutcome, GenerateResult, SyncOutcome, TokenRow } from '../../../shared/tokens';
import { IMPORT_MAX_CHARS, type ImportProgress } from '../../../shared/contract/tokens';
import { call, errorInfo, on } from '../lib/api';
import { count, plural } from '../lib/format';
import type { VaultsState } from '../lib/use-vaults';
import { useAskSecrets, type useAskSecret, type useWithUnlock } from '../lib/unlock';
import type { ToolbarFilters } from './InventoryToolbar';
import type { BulkRotateSource } from './BulkRotateDialog';

export type Notice = {
  tone: 'success' | 'error' | 'info' | 'warn';
  title: string;
  text?: string;
  lines?: string[];
  retry?: { label: string; run: () => void };
};
export type InventoryDialog =
  | { kind: 'generate' }
  | { kind: 'result'; result: GenerateResult; ownerLabel: string }
  | { kind: 'results'; outcomes: GenerateManyOutcome[]; name: string }
  | { kind: 'revoke'; rows: TokenRow[] }
  | { kind: 'rotate'; row: TokenRow }
  | { kind: 'bulkRotate'; source: BulkRotateSource }
  | { kind: 'export' }
  | { kind: 'clearImported' }
  | { kind: 'clearRevoked' };

export function syncSummary(outcomes: SyncOutcome[]): Notice {
  const ok = outcomes.filter((o) => o.ok);
  const failed = outcomes.filter((o) => !o.ok);
  const added = ok.reduce((n, o) => n + o.added, 0);
  const updated = ok.reduce((n, o) => n + o.updated, 0);
  const revoked = ok.reduce((n, o) => n + o.revoked, 0);
  const text = ok.length
    ? `${plural(ok.length, 'Vault')} synced: ${count(added)} new, ${count(updated)} updated, ${count(revoked)} newly revoked.`
    : undefined;
  return {
    tone: failed.length ? (ok.length ? 'warn' : 'error') : 'success',
    title: failed.length ? `Sync failed for ${plural(failed.length, 'Vault')}` : 'Sync complete',
    ...(text ? { text } : {}),
    lines: failed.map((o) =>
      o.message?.includes(o.connectionName) ? o.message : `${o.connectionName}: ${o.message ?? 'failed'}`,
    ),
  };
}

export interface InventoryActionsDeps {
  connections: Connection[];
  vaults: VaultsState;
  withUnlock: ReturnType<typeof useWithUnlock>;
  askSecret: ReturnType<typeof useAskSecret>;
  setNotice: (notice: Notice | null) => void;
  setDialog: (dialog: InventoryDialog | null) => void;
  setTf: Dispatch<SetStateAction<ToolbarFilters>>;
  refreshAll: () => void;
  clearSelection: () => void;
  selectedRows: () => Promise<TokenRow[]>;
}

export function useInventoryActions({
  connections,
  vaults,
  withUnlock,
  askSecret,
  setNotice,
  setDialog,
  setTf,
  refreshAll,
  clearSelection,
  selectedRows,
}: InventoryActionsDeps) {
  const [syncing, setSyncing] = useState(false);
  const askSecrets = useAskSecrets();
  const [preparing, setPreparing] = useState(false);
  /** The import in flight, as far as main has told (import:progress), or null. */
  const [importing, setImporting] = useState<ImportProgress | null>(null);

  const sync = async (connection?: Connection) => {
    let ids = connection ? [connection.id] : connections.map((c) => c.id);
    if (!ids.length) return;
    // Sync all asks for missing secrets before it starts, in one prompt (issue 13, item 1), instead
    // of failing those connections afterwards with "enter it when asked".
    let skipped: Connection[] = [];
    if (!connection) {
      const byId = new Map(connections.map((c) => [c.id, c]));
      const needs = (await call('connections:needs-secret', { ids })).flatMap((need) => {
        const c = byId.get(need.connectionId);
        return c ? [{ connection: c, need }] : [];
      });
      if (needs.length) {
        const unlocked = await askSecrets(needs);
        skipped = needs.filter((n) => !unlocked.has(n.connection.id)).map((n) => n.connection);
        const skip = new Set(skipped.map((c) => c.id));
        ids = ids.filter((id) => !skip.has(id));
      }
    }
    if (!ids.length) {
      setNotice({
        tone: 'info',
        title: 'Nothing synced',
        text: `Not synced, no secret entered: ${skipped.map((c) => c.name).join(', ')}.`,
      });
      return;
    }
    vaults.markQueued(ids);
    setSyncing(true);
    setNotice({
      tone: 'info',
      title: connection ? `Syncing ${connection.name}…` : `Syncing ${plural(ids.length, 'Vault')}…`,
    });
    try {
      const outcomes = await withUnlock(connection, () => call('tokens:sync', { connectionIds: ids }));
      const summary = syncSummary(outcomes);
      if (skipped.length) {
        summary.lines = [
          ...(summary.lines ?? []),
          `Not synced, no secret entered: ${skipped.map((c) => c.name).join(', ')}.`,
        ];
      }
      // A connection without a stored secret cannot sync until it is given one for this run.
      const needsSecret = outcomes.find((o) => o.errorCode === 'NEEDS_SECRET' || o.errorCode === 'SIGN_IN_REQUIRED');
      const locked = needsSecret ? connections.find((c) => c.id === needsSecret.connectionId) : undefined;
      if (locked?.authMethod === 'sso') {
        // Single sign-on whose sign-in ended and could not renew itself: the browser sign-in, then sync again.
        summary.retry = {
          label: `Sign in to ${locked.name} and sync again`,
          run: () =>
            void askSecret(locked, `Sign in to ${locked.name} with your browser.`).then((ok) => {
              if (ok) void sync(locked);
            }),
        };
      } else if (locked) {
        const word =
          locked.authMethod === 'password' ? 'password' : locked.authMethod === 'token' ? 'access token' : 'session id';
        summary.retry = {
          label: `Enter the ${word} and sync again`,
          run: () =>
            void askSecret(
              locked,
              `Enter the ${word} for ${locked.username} on ${locked.dns}. It is kept in memory for this run only.`,
            ).then((ok) => {
              if (ok) void sync(locked);
            }),
        };
      }
      setNotice(summary);
    } catch (e) {
      const info = errorInfo(e);
      setNotice({
        tone: 'error',
        title: 'Sync failed',
        text: info.vaultErrorType ? `${info.message} (Vault error type ${info.vaultErrorType})` : info.message,
      });
    } finally {
      setSyncing(false);
      refreshAll();
    }
  };
  // Stable across renders so the memoised strip does not re-render on every keystroke.
  const syncRef = useRef(sync);
  syncRef.current = sync;
  const onSyncOne = useCallback((c: Connection) => void syncRef.current(c), []);

  const openRevoke = async (rows?: TokenRow[]) => {
    setPreparing(true);
    try {
      const list = rows ?? (await selectedRows());
      setDialog({ kind: 'revoke', rows: list });
    } catch (e) {
      setNotice({ tone: 'error', title: 'Could not prepare the revoke', text: errorInfo(e).message });
    } finally {
      setPreparing(false);
    }
  };

  const onImportFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    if (file.size > IMPORT_MAX_CHARS) {
      setNotice({
        tone: 'error',
        title: 'Not imported',
        text: `${file.name} is larger than ${IMPORT_MAX_CHARS / 1024 / 1024} MB.`,
      });
      return;
    }
    setImporting({ phase: 'reading', done: 0, total: 0, fileName: file.name });
    const stop = on('import:progress', (p) => {
      if (p.fileName === file.name) setImporting(p);
    });
    try {
      const res = await call('tokens:import', { content: await file.text(), fileName: file.name });
      setTf((f) => ({ ...f, includeImported: true }));
      setNotice({
        tone: 'success',
        title: `Imported ${plural(res.imported, 'token')} from ${file.name}`,
        text: `${res.replaced ? `${count(res.replaced)} earlier imported rows were replaced. ` : ''}Imported rows are read-only and marked as such; “Show imported” is now on.`,
      });
      refreshAll();
    } catch (err) {
      const info = errorInfo(err);
      setNotice({ tone: 'error', title: `Could not import ${file.name}`, text: info.message });
    } finally {
      stop();
      setImporting(null);
    }
  };

  const clearImported = async () => {
    try {
      const res = await call('tokens:clearImported');
      setNotice({ tone: 'success', title: `Cleared ${plural(res.cleared, 'imported token')}` });
      refreshAll();
    } catch (e) {
      setNotice({ tone: 'error', title: 'Could not clear imported tokens', text: errorInfo(e).message });
    }
    setDialog(null);
  };

  const clearRevoked = async () => {
    try {
      const res = await call('tokens:clearRevoked', {});
      setNotice({ tone: 'success', title: `Removed ${plural(res.cleared, 'revoked token')} from the list` });
      clearSelection();
      refreshAll();
    } catch (e) {
      setNotice({ tone: 'error', title: 'Could not clear revoked tokens', text: errorInfo(e).message });
    }
    setDialog(null);
  };

  return { sync, onSyncOne, syncing, openRevoke, preparing, onImportFile, importing, clearImported, clearRevoked };
}
