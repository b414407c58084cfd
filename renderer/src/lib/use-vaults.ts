/**
 * Connections as the inventory sees them: the saved list, each one's health
 * (last sync, reachability) and live sync progress from `sync:progress`.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Connection } from '../../../shared/domain';
import type { ConnectionHealth, SyncProgress } from '../../../shared/tokens';
import type { ErrorInfo } from '../../../shared/errors';
import { call, errorInfo, on } from './api';

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

export function useVaults(): VaultsState {
  const [connections, setConnections] = useState<Connection[]>();
  const [health, setHealth] = useState<Map<string, ConnectionHealth>>(new Map());
  const [progress, setProgress] = useState<Map<string, SyncProgress>>(new Map());
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [loading, setLoading] = useState(true);

  const reload = useCallback(async () => {
    setLoading(true);
    try {
      const list = await call('connections:list');
      setConnections(list);
      setError(null);
      try {
        const h = await call('connections:health');
        setHealth(new Map(h.map((x) => [x.connectionId, x])));
      } catch {
        // Health is a nicety: the inventory works without it.
      }
    } catch (e) {
      setError(errorInfo(e));
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void reload();
    const offConnections = on('connections:changed', () => void reload());
    const offProgress = on('sync:progress', (p) => {
      setProgress((prev) => new Map(prev).set(p.connectionId, p));
      if (p.phase === 'done' || p.phase === 'failed') void reload();
    });
    return () => {
      offConnections();
      offProgress();
    };
  }, [reload]);

  const markQueued = useCallback((ids: string[]) => {
    setProgress((prev) => {
      const next = new Map(prev);
      for (const id of ids) next.set(id, { connectionId: id, phase: 'queued', pages: 0, tokens: 0, message: null });
      return next;
    });
  }, []);

  const byId = useMemo(() => new Map((connections ?? []).map((c) => [c.id, c])), [connections]);
  return { connections, byId, health, progress, error, loading, reload, markQueued };
}
