import { useCallback, useEffect, useRef, useState } from 'react';
import { errorInfo, on } from './api';
import type { EventName } from '../../../shared/contract';
import type { ErrorInfo } from '../../../shared/errors';

export interface Resource<T> {
  data: T | undefined;
  error: ErrorInfo | null;
  loading: boolean;
  reload: () => Promise<void>;
}

export interface ResourceOptions {
  /** Events from main after which the data is loaded again (e.g. 'connections:changed'). */
  refreshOn?: readonly EventName[];
}

/** Loads data from main, keeps the last good value while reloading, exposes errors as data. */
export function useResource<T>(
  load: () => Promise<T>,
  deps: unknown[] = [],
  options: ResourceOptions = {},
): Resource<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [loading, setLoading] = useState(true);
  const generation = useRef(0);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller's deps list decides when to reload, as with useEffect
  const loader = useCallback(load, deps);

  const reload = useCallback(async () => {
    const mine = ++generation.current;
    setLoading(true);
    try {
      const value = await loader();
      if (mine === generation.current) {
        setData(value);
        setError(null);
      }
    } catch (e) {
      if (mine === generation.current) setError(errorInfo(e));
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, [loader]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const refreshOn = (options.refreshOn ?? []).join('\n');
  useEffect(() => {
    if (!refreshOn) return;
    const offs = (refreshOn.split('\n') as EventName[]).map((event) => on(event, () => void reload()));
    return () => offs.forEach((off) => off());
  }, [refreshOn, reload]);

  return { data, error, loading, reload };
}
