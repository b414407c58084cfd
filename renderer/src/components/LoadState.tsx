import type { ReactNode } from 'react';
import type { ErrorInfo } from '../../../shared/errors';
import { Banner } from './Banner';

export interface Loadable<T> {
  data: T | undefined;
  error: ErrorInfo | null;
  loading: boolean;
  reload: () => unknown;
}

/**
 * The loading, error and empty states every screen needs, in one place:
 * an error banner with Retry (the last good data stays visible under it),
 * "Loading …" until the first answer, then the empty state or the content.
 */
export function LoadState<T>({
  resource,
  what,
  isEmpty,
  empty,
  children,
}: {
  resource: Loadable<T>;
  /** Plain words for the thing loaded: "connections" → "Loading connections…", "Could not load connections". */
  what: string;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  const { data, error, loading } = resource;
  return (
    <>
      {error ? (
        <Banner
          tone="error"
          title={`Could not load ${what}`}
          action={
            <button type="button" className="btn" onClick={() => void resource.reload()}>
              Retry
            </button>
          }
        >
          {error.message}
        </Banner>
      ) : null}
      {data === undefined ? (
        loading ? (
          <p className="muted" role="status">
            Loading {what}…
          </p>
        ) : null
      ) : isEmpty?.(data) ? (
        empty
      ) : (
        children(data)
      )}
    </>
  );
}
