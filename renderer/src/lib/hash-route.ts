/**
 * Hash routes: `#/screen?key=value`. The hash carries only screen names and
 * row ids, never a token value.
 */
import { useEffect, useState } from 'react';

export interface HashRoute {
  screen: string;
  params: URLSearchParams;
}

export function parseHash(hash = window.location.hash): HashRoute {
  const text = hash.replace(/^#\/?/, '');
  const q = text.indexOf('?');
  const screen = (q === -1 ? text : text.slice(0, q)).replace(/\/+$/, '');
  return { screen, params: new URLSearchParams(q === -1 ? '' : text.slice(q + 1)) };
}

export function useHashRoute(): HashRoute {
  const [route, setRoute] = useState(() => parseHash());
  useEffect(() => {
    const onHash = () => setRoute(parseHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  return route;
}

/** Rewrites one screen's query parameters without adding a history entry. */
export function replaceHashParams(screen: string, params: Record<string, string | null>): void {
  const current = parseHash();
  const next = new URLSearchParams(current.screen === screen ? current.params : undefined);
  for (const [key, value] of Object.entries(params)) {
    if (value === null) next.delete(key);
    else next.set(key, value);
  }
  const query = next.toString();
  const hash = `#/${screen}${query ? `?${query}` : ''}`;
  if (hash !== window.location.hash) {
    history.replaceState(null, '', hash);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  }
}

/** `1,2,3` → [1, 2, 3]; anything else is ignored. */
export function parseRowIds(value: string | null): number[] | null {
  if (!value) return null;
  const ids = value
    .split(',')
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
  return ids.length ? [...new Set(ids)] : null;
}

/**
 * Activity filtered to one token (issue 13 item 8): `#/activity?token=<Vault token id>&connection=<id>`,
 * for the token drawer's "recorded in Activity" link. Ids only, as every hash route.
 */
export function activityHash(filter: { tokenId: string; connectionId?: string | null }): string {
  const params = new URLSearchParams({ token: filter.tokenId });
  if (filter.connectionId) params.set('connection', filter.connectionId);
  return `#/activity?${params.toString()}`;
}
