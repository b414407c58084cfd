/** Types shared by the server and the route handlers. */
import type { IncomingHttpHeaders } from 'node:http';
import type { Principal, PresentedCredential } from '../credentials';
import type { JsonObject } from '../errors';
import type { FaultInjector } from '../faults';
import type { ContentType } from '../http-io';
import type { ResolvedOptions } from '../options';
import type { QueryStore } from '../query-store';
import type { RateLimits } from '../rate-limits';
import type { Store, VaultRecord } from '../store';
import type { RequestLogEntry } from '../types';

export interface ServerContext {
  store: Store;
  options: ResolvedOptions;
  faults: FaultInjector;
  limits: RateLimits;
  queries: QueryStore;
  requestLog: RequestLogEntry[];
}

export interface RequestContext {
  server: ServerContext;
  /** The Vault whose port received the call. */
  vault: VaultRecord;
  /** e.g. 'v26.2'; '' for GET /api/. */
  version: string;
  /** Effective method (POST ?_method=DELETE ⇒ DELETE). */
  method: string;
  path: string;
  /** Captures of the route pattern, URL-decoded. */
  params: string[];
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  contentType: ContentType;
  credential: PresentedCredential;
  /** Set by the server for routes that need authentication. */
  principal: Principal | null;
  /** From an `otherVault` fault: the Vault a login must land in. */
  forcedLoginVaultId: number | null;
}

export interface Reply {
  body: JsonObject;
  /** Extra delay before answering (auth burst limit). */
  delayMs?: number;
  /** Credential to describe in X-VaultAPI-UserId / TruncatedSessionId (e.g. the new session of /auth). */
  headerPrincipal?: Principal | null;
}

export type Handler = (rc: RequestContext) => Reply | Promise<Reply>;

/** `principal` narrowed to non-null, for handlers of authenticated routes. */
export function requirePrincipal(rc: RequestContext): Principal {
  if (!rc.principal) throw new Error('fake-vault: route needs authentication but has no principal');
  return rc.principal;
}
