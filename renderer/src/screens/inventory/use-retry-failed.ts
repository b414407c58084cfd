/**
 * "Retry failed" in the Vault summary line: syncs only the Vaults whose last sync failed, in one
 * `tokens:sync` call (main syncs them in parallel), and says how it went in the same notice as
 * Sync all (use-inventory-actions.ts `syncSummary`). Issue 13, item 3.
 */
import { useCallback, useRef, useState } from 'react';
import { call, errorInfo } from '../../lib/api';
import { plural } from '../../lib/format';
import type { VaultsState } from '../../lib/use-vaults';
import { syncSummary, type Notice } from '../use-inventory-actions';

export function useRetryFailed(deps: {
  vaults: Pick<VaultsState, 'markQueued'>;
  setNotice: (notice: Notice | null) => void;
  refreshAll: () => void;
}) {
  const [retrying, setRetrying] = useState(false);
  const latest = useRef(deps);
  latest.current = deps;

  // Stable, so the memoised summary line does not re-render on every keystroke.
  const retry = useCallback(async (connectionIds: string[]) => {
    const { vaults, setNotice } = latest.current;
    if (!connectionIds.length) return;
    vaults.markQueued(connectionIds);
    setRetrying(true);
    setNotice({ tone: 'info', title: `Retrying ${plural(connectionIds.length, 'Vault')}…` });
    try {
      setNotice(syncSummary(await call('tokens:sync', { connectionIds })));
    } catch (e) {
      const info = errorInfo(e);
      setNotice({
        tone: 'error',
        title: 'Retry failed',
        text: info.vaultErrorType ? `${info.message} (Vault error type ${info.vaultErrorType})` : info.message,
      });
    } finally {
      setRetrying(false);
      latest.current.refreshAll();
    }
  }, []);

  return { retry, retrying };
}
