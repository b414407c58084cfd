/**
 * Request core for one Vault connection: URL building, headers, timeout,
 * envelope parsing, burst-limit capture and request logging.
 *
 * - Base URL is always `https://{dns}/api/{version}` (docs/vault-api.md §1.2, §3.9);
 *   plain http is refused when the endpoint is built.
 * - Every request sends `Accept: application/json` and `X-VaultAPI-ClientID`
 *   (§5.5) and captures `X-VaultAPI-BurstLimit`, `-BurstLimitRemaining`,
 *   `-ResponseDelay` (§5.3, §5.4).
 * - Success/failure is decided on `responseStatus` and `errors[].type`, not on
 *   the HTTP status (§5.1).
 * - Log records carry method, path (no query string), HTTP status, duration,
 *   `X-VaultAPI-ExecutionId` and `X-VaultAPI-TruncatedSessionId` only. The
 *   Authorization header, bodies and query strings are never logged.
 */
import { DEFAULT_CLIENT_ID } from '../../shared/domain';
import { normaliseVaultDns } from '../../shared/dns';
import { API_VERSION_HINT, API_VERSION_RE, CLIENT_ID_HINT, CLIENT_ID_RE } from '../../shared/vault-names';
import type { Logger } from '../log';
import { VaultError, formatSeconds, invalidInput, vaultErrorFromEnvelope, vaultErrorFromFetchFailure } from './errors';
import { versionsResponseSchema, type FetchLike, type LimitsSnapshot } from './types';

export { DEFAULT_CLIENT_ID };
export const DEFAULT_TIMEOUT_MS = 30_000;

export function validateClientId(clientId: string | undefined | null): string {
  const id = (clientId ?? '').trim() || DEFAULT_CLIENT_ID;
  if (!CLIENT_ID_RE.test(id)) {
    throw invalidInput(
      `The client ID "${id.slice(0, 120)}" is not valid. ${CLIENT_ID_HINT} (Vault would log it as invalid_client_id.)`,
    );
  }
  return id;
}

/** The Vault DNS as shared/dns.ts normalises it for the connection form; a bad one is an invalid-input error. */
export function normaliseDns(input: string): string {
  const check = normaliseVaultDns(input);
  if (!check.ok) throw invalidInput(check.message);
  return check.dns;
}

export function validateApiVersion(version: string): string {
  const v = version.trim();
  if (!API_VERSION_RE.test(v)) throw invalidInput(`"${version}" is not a Vault API version. ${API_VERSION_HINT}`);
  return v;
}

export interface Endpoint {
  /** Normalised `host[:port]`. */
  dns: string;
  /** `https://{dns}` */
  origin: string;
  apiVersion: string;
  /** `https://{dns}/api/{version}` */
  baseUrl: string;
  clientId: string;
}

export function buildEndpoint(config: { dns: string; apiVersion: string; clientId?: string | null }): Endpoint {
  const dns = normaliseDns(config.dns);
  const apiVersion = validateApiVersion(config.apiVersion);
  const clientId = validateClientId(config.clientId);
  const origin = `https://${dns}`;
  return { dns, origin, apiVersion, baseUrl: `${origin}/api/${apiVersion}`, clientId };
}

/** True when `url` (e.g. from `vaultIds[].url`) is `https://{dns}{path}`, ignoring case, default port and trailing slash. */
export function urlMatches(url: string, dns: string, path: string): boolean {
  try {
    const u = new URL(url);
    const expected = new URL(`https://${dns}${path}`);
    const trim = (p: string): string => p.replace(/\/+$/, '');
    return u.protocol === 'https:' && u.host === expected.host && trim(u.pathname) === trim(expected.pathname);
  } catch {
    return false;
  }
}

export type HttpMethod = 'GET' | 'POST' | 'DELETE';

export interface VaultRequest {
  method: HttpMethod;
  /** Path under `/api/{version}`, e.g. `/objects/users/me`. */
  path?: string;
  /** Path from the origin, e.g. `/api/` or a VQL `next_page` URL (§2.3). */
  rootPath?: string;
  query?: Record<string, string>;
  form?: Record<string, string>;
  csv?: string;
  /** Value of the Authorization header, or null for /auth. */
  authorization: string | null;
  signal?: AbortSignal;
  /** Delete Object Records may answer FAILURE with per-record `data[]` (§1.5): return it instead of throwing. */
  allowFailureWithData?: boolean;
}

export interface VaultResponse {
  body: Record<string, unknown>;
  httpStatus: number;
  headers: Headers;
  executionId: string | undefined;
}

/**
 * Reads a processed answer with its schema. Vault said SUCCESS but without the
 * fields this client needs: one `unexpected-response` error, never a crash on
 * a missing property.
 */
export function parseBody<T>(
  schema: { safeParse(data: unknown): { success: true; data: T } | { success: false } },
  res: Pick<VaultResponse, 'body' | 'executionId'>,
  where: { method: string; path?: string; message: string },
): T {
  const parsed = schema.safeParse(res.body);
  if (parsed.success) return parsed.data;
  throw new VaultError({
    kind: 'unexpected-response',
    executionId: res.executionId,
    method: where.method,
    ...(where.path ? { path: where.path } : {}),
    message: where.message,
  });
}

/** `GET /api/` (docs/vault-api.md §3.8): the API versions this Vault offers, with their URLs. */
export async function fetchApiVersions(
  http: VaultHttp,
  authorization: string,
  message: string,
): Promise<VaultResponse & { values: Record<string, string> }> {
  const res = await http.request({ method: 'GET', rootPath: '/api/', authorization });
  return { ...res, values: parseBody(versionsResponseSchema, res, { method: 'GET', path: '/api/', message }).values };
}

export interface HttpDeps {
  fetch: FetchLike;
  logger: Logger;
  timeoutMs: number;
  now: () => Date;
  onLimits?: (snapshot: LimitsSnapshot) => void;
}

function parseIntHeader(headers: Headers, name: string): number | null {
  const raw = headers.get(name);
  if (raw === null || raw.trim() === '') return null;
  const n = Number(raw);
  return Number.isFinite(n) ? n : null;
}

/** Distinguishes our timeout from the caller's abort when the fetch rejects. */
class TimeoutReason extends Error {
  override readonly name = 'TimeoutError';
}

export class VaultHttp {
  readonly endpoint: Endpoint;
  private readonly deps: HttpDeps;
  private vaultIdHeader: string | null = null;
  private snapshot: LimitsSnapshot = {
    burstLimit: null,
    burstLimitRemaining: null,
    responseDelayMs: null,
    seenAt: null,
  };

  constructor(endpoint: Endpoint, deps: HttpDeps) {
    this.endpoint = endpoint;
    this.deps = deps;
  }

  get logger(): Logger {
    return this.deps.logger;
  }

  /** `X-VaultAPI-VaultId` of the latest response that carried it (§5.4). */
  lastVaultId(): string | null {
    return this.vaultIdHeader;
  }

  limits(): LimitsSnapshot {
    return { ...this.snapshot };
  }

  /** Full URL for a request; `rootPath` must be origin-relative (or an absolute URL on the same origin). */
  buildUrl(req: Pick<VaultRequest, 'path' | 'rootPath' | 'query'>): URL {
    let url: URL;
    if (req.rootPath !== undefined) {
      url = new URL(req.rootPath, `${this.endpoint.origin}/`);
      // `/auth/…` is the login host's discovery and OAuth session endpoints (docs/vault-api.md §3.4, §3.5).
      if (url.origin !== this.endpoint.origin || !/^\/(api|auth)\//.test(url.pathname)) {
        // Never send credentials to another host (e.g. a next_page URL pointing elsewhere).
        throw new VaultError({
          kind: 'unexpected-response',
          message: `Refusing to follow a Vault URL that leaves ${this.endpoint.dns}.`,
        });
      }
    } else {
      const path = req.path ?? '';
      if (!path.startsWith('/')) throw invalidInput(`Internal error: request path "${path}" must start with "/".`);
      url = new URL(`${this.endpoint.baseUrl}${path}`);
    }
    for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.set(k, v);
    return url;
  }

  async request(req: VaultRequest): Promise<VaultResponse> {
    const url = this.buildUrl(req);
    const logPath = url.pathname;
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'X-VaultAPI-ClientID': this.endpoint.clientId,
    };
    if (req.authorization) headers.Authorization = req.authorization;
    let body: string | undefined;
    if (req.form) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(req.form).toString();
    } else if (req.csv !== undefined) {
      headers['Content-Type'] = 'text/csv';
      body = req.csv;
    }

    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new TimeoutReason(`Vault did not answer within ${formatSeconds(this.deps.timeoutMs)}`));
    }, this.deps.timeoutMs);
    const onCallerAbort = (): void => controller.abort(req.signal?.reason);
    if (req.signal?.aborted) onCallerAbort();
    else req.signal?.addEventListener('abort', onCallerAbort, { once: true });

    const started = Date.now();
    const ctx = { host: this.endpoint.dns, method: req.method, path: logPath, timeoutMs: this.deps.timeoutMs };
    const log = this.deps.logger;
    let res: Response;
    let text: string;
    try {
      res = await this.deps.fetch(url.toString(), {
        method: req.method,
        headers,
        body,
        signal: controller.signal,
        redirect: 'manual',
      });
      text = await res.text();
    } catch (err) {
      const error = vaultErrorFromFetchFailure(err, ctx, {
        timedOut,
        callerAborted: !timedOut && req.signal?.aborted === true,
      });
      log.warn('vault request failed', {
        method: req.method,
        path: logPath,
        kind: error.kind,
        durationMs: Date.now() - started,
      });
      throw error;
    } finally {
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onCallerAbort);
    }

    const durationMs = Date.now() - started;
    const executionId = res.headers.get('X-VaultAPI-ExecutionId') ?? undefined;
    this.captureLimits(res.headers);
    this.vaultIdHeader = res.headers.get('X-VaultAPI-VaultId') ?? this.vaultIdHeader;
    const logFields = {
      method: req.method,
      path: logPath,
      httpStatus: res.status,
      durationMs,
      executionId,
      truncatedSessionId: res.headers.get('X-VaultAPI-TruncatedSessionId') ?? undefined,
      burstLimitRemaining: this.snapshot.burstLimitRemaining ?? undefined,
    };
    const failed = (error: VaultError): VaultError => {
      log.warn('vault request failed', { ...logFields, kind: error.kind, errorType: error.type });
      return error;
    };

    if (res.status >= 300 && res.status < 400) {
      const location = res.headers.get('Location');
      let where = '';
      try {
        if (location) where = ` to ${new URL(location, url).host}`;
      } catch {
        /* ignore unparsable Location */
      }
      throw failed(
        new VaultError({
          kind: 'http',
          httpStatus: res.status,
          executionId,
          method: req.method,
          path: logPath,
          message: `Vault answered with a redirect (HTTP ${res.status})${where} instead of an API response. Check the Vault DNS.`,
        }),
      );
    }

    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      const looksHtml = /^\s*</.test(text);
      throw failed(
        new VaultError({
          kind: 'not-json',
          httpStatus: res.status,
          executionId,
          method: req.method,
          path: logPath,
          message: `Vault answered with HTTP ${res.status} and ${looksHtml ? 'an HTML page' : 'a body that is not JSON'} instead of an API response. Vault may be down for maintenance, or a proxy is in the way; try again later.`,
        }),
      );
    }

    const envelope = parsed as Record<string, unknown> | null;
    if (
      !envelope ||
      typeof envelope !== 'object' ||
      Array.isArray(envelope) ||
      typeof envelope.responseStatus !== 'string'
    ) {
      throw failed(
        new VaultError({
          kind: res.ok ? 'unexpected-response' : 'http',
          httpStatus: res.status,
          executionId,
          method: req.method,
          path: logPath,
          message: res.ok
            ? `Vault's answer (HTTP ${res.status}) is not a Vault API response (no responseStatus).`
            : `Vault answered with HTTP ${res.status} without a Vault API response. Check the Vault DNS and your network, then try again.`,
        }),
      );
    }

    const status = envelope.responseStatus;
    const succeeded = status === 'SUCCESS' || status === 'WARNING';
    if (!succeeded && !(req.allowFailureWithData && Array.isArray(envelope.data))) {
      throw failed(
        vaultErrorFromEnvelope(envelope, { method: req.method, path: logPath, httpStatus: res.status, executionId }),
      );
    }
    log.debug('vault request', { ...logFields, responseStatus: status });
    return { body: envelope, httpStatus: res.status, headers: res.headers, executionId };
  }

  private captureLimits(headers: Headers): void {
    const burstLimit = parseIntHeader(headers, 'X-VaultAPI-BurstLimit');
    const burstLimitRemaining = parseIntHeader(headers, 'X-VaultAPI-BurstLimitRemaining');
    const responseDelayMs = parseIntHeader(headers, 'X-VaultAPI-ResponseDelay');
    if (burstLimit === null && burstLimitRemaining === null && responseDelayMs === null) return;
    this.snapshot = {
      burstLimit: burstLimit ?? this.snapshot.burstLimit,
      burstLimitRemaining: burstLimitRemaining ?? this.snapshot.burstLimitRemaining,
      responseDelayMs,
      seenAt: this.deps.now(),
    };
    this.deps.onLimits?.({ ...this.snapshot });
  }
}
