/**
 * Connections as the inventory sees them: the saved list, each one's health
 * (last sync, reachability) and live sync progress from `sync:progress`.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Connection } from '../../../shared/domain';
import type { ConnectionHealth, SyncProgress } from '../../../shared/tokens';
import type { ErrorInfo } from '../../../shared/errors';
import { call, on } from './api';
import { askEarly, peekArrived, takeEarly } from './early-answers';
import { useResource } from './use-resource';

export interface VaultsState {
  connections: Connection[] | undefined;
  byId: Map<string, Connection>;
  health: Map<string, ConnectionHealth>;
  progress: Map<string, SyncProgress>;
  error: ErrorInfo | null;
  loading: boolean;
  reload: () => Promise<void>;
  /** Marks connections as queued before main's first progress event arrives. */
  markQueued: (ids: string[]) => void;
}

const LIST_SLOT = 'connections list';
const HEALTH_SLOT = 'connections health';

/**
 * Asks for the connections and their health now, when the app starts on a screen that shows them
 * (see early-answers.ts); the first useVaults takes these answers. Resolves with the list.
 */
export function prefetchVaults(): Promise<Connection[]> {
  const list = askEarly(LIST_SLOT, '', () => call('connections:list'));
  void askEarly(HEALTH_SLOT, '', () => call('connections:health'));
  return list;
}

const loadList = () => takeEarly<Connection[]>(LIST_SLOT, '') ?? call('connections:list');
// Health is a nicety: the inventory works without it.
const loadHealth = async (): Promise<Map<string, ConnectionHealth>> => {
  const health = await (takeEarly<ConnectionHealth[]>(HEALTH_SLOT, '') ?? call('connections:health')).catch(
    (): ConnectionHealth[] => [],
  );
  return new Map(health.map((x) => [x.connectionId, x]));
};

const NO_HEALTH = new Map<string, ConnectionHealth>();
const REFRESH_ON = { refreshOn: ['connections:changed'] } as const;

export function useVaults(): VaultsState {
  // The list and the health load side by side: the Vaults show as soon as the list is here.
  const list = useResource(loadList, [], REFRESH_ON);
  const healthResource = useResource(loadHealth, [], REFRESH_ON);
  // The list asked for at start, when it is already here: the first render shows the Vaults (the
  // strip above the grid does not pop in and push the rows down a moment later).
  const [arrived] = useState(() => peekArrived<Connection[]>(LIST_SLOT, ''));
  const [progress, setProgress] = useState<Map<string, SyncProgress>>(new Map());
  const { reload: reloadList } = list;
  const { reload: reloadHealth } = healthResource;
  const reload = useCallback(async () => {
    await Promise.all([reloadList(), reloadHealth()]);
  }, [reloadList, reloadHealth]);

  useEffect(
    () =>
      on('sync:progress', (p) => {
        setProgress((prev) => new Map(prev).set(p.connectionId, p));
        if (p.phase === 'done' || p.phase === 'failed') void reload();
      }),
    [reload],
  );

  const markQueued = useCallback((ids: string[]) => {
    setProgress((prev) => {
      const next = new Map(prev);
      for (const id of ids) next.set(id, { connectionId: id, phase: 'queued', pages: 0, tokens: 0, message: null });
      return next;
    });
  }, []);

  const connections = list.data ?? arrived;
  const byId = useMemo(() => new Map((connections ?? []).map((c) => [c.id, c])), [connections]);
  return {
    connections,
    byId,
    health: healthResource.data ?? NO_HEALTH,
    progress,
    error: list.error,
    loading: list.loading,
    reload,
    markQueued,
  };
}
