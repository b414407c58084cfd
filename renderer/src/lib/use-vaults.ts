/**
 * Connections as the inventory sees them: the saved list, each one's health
 * (last sync, reachability) and live sync progress from `sync:progress`.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Connection } from '../../../shared/domain';
import type { ConnectionHealth, SyncProgress } from '../../../shared/tokens';
import type { ErrorInfo } from '../../../shared/errors';
import { call, on } from './api';
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

interface VaultsData {
  connections: Connection[];
  health: Map<string, ConnectionHealth>;
}

async function loadVaults(): Promise<VaultsData> {
  const connections = await call('connections:list');
  // Health is a nicety: the inventory works without it.
  const health = await call('connections:health').catch((): ConnectionHealth[] => []);
  return { connections, health: new Map(health.map((x) => [x.connectionId, x])) };
}

const NO_HEALTH = new Map<string, ConnectionHealth>();

export function useVaults(): VaultsState {
  const resource = useResource(loadVaults, [], { refreshOn: ['connections:changed'] });
  const [progress, setProgress] = useState<Map<string, SyncProgress>>(new Map());
  const { reload } = resource;

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

  const connections = resource.data?.connections;
  const byId = useMemo(() => new Map((connections ?? []).map((c) => [c.id, c])), [connections]);
  return {
    connections,
    byId,
    health: resource.data?.health ?? NO_HEALTH,
    progress,
    error: resource.error,
    loading: resource.loading,
    reload,
    markQueued,
  };
}
