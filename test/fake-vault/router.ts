/**
 * Route table. Unknown path ⇒ MALFORMED_URL; known path, wrong method ⇒
 * METHOD_NOT_SUPPORTED (docs/vault-api.md §5.2).
 */
import type { Handler } from './routes/context';
import { handleAuth } from './routes/auth';
import { handleQuery, handleQueryPage } from './routes/query';
import { handleEndSession, handleKeepAlive, handleVersions } from './routes/session';
import { handleGenerateForUser, handleGenerateMine, handleGenerateSandbox } from './routes/tokens';
import { handleGetUser, handleListUsers, handleWhoAmI } from './routes/users';
import { handleDeleteTokens, handleRetrieveToken } from './routes/vobjects';

export type AuthMode = 'required' | 'none' | 'versions';

export interface RouteDef {
  name: string;
  /** Matched against the path after `/api/{version}`. */
  pattern: RegExp;
  methods: Partial<Record<string, Handler>>;
  auth: AuthMode;
}

export const VERSION_RE = /^v\d+\.\d+$/;

export const VERSIONS_ROUTE: RouteDef = {
  name: 'versions',
  pattern: /^$/,
  methods: { GET: handleVersions },
  auth: 'versions',
};

export const ROUTES: RouteDef[] = [
  { name: 'auth', pattern: /^\/auth$/, methods: { POST: handleAuth }, auth: 'none' },
  { name: 'keep-alive', pattern: /^\/keep-alive$/, methods: { POST: handleKeepAlive }, auth: 'required' },
  { name: 'session', pattern: /^\/session$/, methods: { DELETE: handleEndSession }, auth: 'required' },
  { name: 'users', pattern: /^\/objects\/users$/, methods: { GET: handleListUsers }, auth: 'required' },
  { name: 'whoami', pattern: /^\/objects\/users\/me$/, methods: { GET: handleWhoAmI }, auth: 'required' },
  {
    name: 'generate-mine',
    pattern: /^\/objects\/users\/me\/api_access_token__sys$/,
    methods: { POST: handleGenerateMine },
    auth: 'required',
  },
  {
    name: 'generate-for-user',
    pattern: /^\/objects\/users\/([^/]+)\/api_access_token__sys$/,
    methods: { POST: handleGenerateForUser },
    auth: 'required',
  },
  { name: 'user', pattern: /^\/objects\/users\/([^/]+)$/, methods: { GET: handleGetUser }, auth: 'required' },
  // §1.4 (T-sbx): `me` only; any other user segment matches no route (MALFORMED_URL).
  {
    name: 'generate-sandbox',
    pattern: /^\/objects\/sandbox\/([^/]+)\/users\/me\/api_access_token__sys$/,
    methods: { POST: handleGenerateSandbox },
    auth: 'required',
  },
  // §2.2 / §2.3: POST only (Q-sub; Q-pag "Call these URLs with a POST request").
  { name: 'query', pattern: /^\/query$/, methods: { POST: handleQuery }, auth: 'required' },
  { name: 'query-page', pattern: /^\/query\/([^/]+)$/, methods: { POST: handleQueryPage }, auth: 'required' },
  {
    name: 'delete-tokens',
    pattern: /^\/vobjects\/api_access_token__sys$/,
    methods: { DELETE: handleDeleteTokens },
    auth: 'required',
  },
  {
    name: 'retrieve-token',
    pattern: /^\/vobjects\/api_access_token__sys\/([^/]+)$/,
    methods: { GET: handleRetrieveToken },
    auth: 'required',
  },
];

export type RouteMatch =
  | { kind: 'ok'; route: RouteDef; version: string; params: string[] }
  | { kind: 'malformed' }
  | { kind: 'method'; route: RouteDef };

export function matchRoute(path: string, method: string): RouteMatch {
  if (path === '/api' || path === '/api/') {
    return VERSIONS_ROUTE.methods[method]
      ? { kind: 'ok', route: VERSIONS_ROUTE, version: '', params: [] }
      : { kind: 'method', route: VERSIONS_ROUTE };
  }
  const m = /^\/api\/([^/]+)(\/.*)?$/.exec(path);
  if (!m || !VERSION_RE.test(m[1]!)) return { kind: 'malformed' };
  const version = m[1]!;
  let rest = m[2] ?? '';
  if (rest.length > 1 && rest.endsWith('/')) rest = rest.slice(0, -1);
  for (const route of ROUTES) {
    const pm = route.pattern.exec(rest);
    if (!pm) continue;
    let params: string[];
    try {
      params = pm.slice(1).map((p) => decodeURIComponent(p));
    } catch {
      return { kind: 'malformed' };
    }
    if (!route.methods[method]) return { kind: 'method', route };
    return { kind: 'ok', route, version, params };
  }
  return { kind: 'malformed' };
}
