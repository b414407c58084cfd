/**
 * Session endpoints (docs/vault-api.md §3.8): keep-alive, end session, and the
 * API version map.
 */
import { VaultError, successBody } from '../errors';
import { requirePrincipal, type Reply, type RequestContext } from './context';

function rejectTokenIfConfigured(rc: RequestContext): void {
  // §3.8: whether keep-alive / end-session accept an access token is
  // UNCONFIRMED; configurable via options.tokenOnSessionEndpoints.
  if (requirePrincipal(rc).kind === 'token' && rc.server.options.tokenOnSessionEndpoints === 'reject') {
    throw new VaultError(
      rc.server.options.errorTypes.tokenOnSessionEndpoint,
      'This endpoint requires a session ID, not an API access token.',
    );
  }
}

/** POST /api/{v}/keep-alive — the idle clock restarts when the request finishes (server.ts). */
export function handleKeepAlive(rc: RequestContext): Reply {
  rejectTokenIfConfigured(rc);
  return { body: successBody() };
}

/** DELETE /api/{v}/session — ends this session only (§3.7); a token is NOT revoked. */
export function handleEndSession(rc: RequestContext): Reply {
  rejectTokenIfConfigured(rc);
  const p = requirePrincipal(rc);
  if (p.kind === 'session') rc.server.store.endSession(p.session, 'logout');
  return { body: successBody() };
}

/** GET /api/ — `values[version] = https://{dns}/api/{version}` for this Vault's own DNS. */
export function handleVersions(rc: RequestContext): Reply {
  const values: Record<string, string> = {};
  for (const v of rc.server.options.apiVersions) values[v] = `${rc.vault.origin}/api/${v}`;
  return { body: successBody({ values }) };
}
