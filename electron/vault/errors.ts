/**
 * One error class for everything that can go wrong talking to Vault, and the
 * functions that turn fetch failures and Vault envelopes into it.
 *
 * docs/vault-api.md §5.1: Vault answers HTTP 200 whenever it processed the request,
 * so the decision is made on `responseStatus` and `errors[].type`, never on
 * the HTTP status. A non-200 answer or a body that is not JSON means something
 * between us and Vault (proxy, maintenance page, network) got in the way.
 *
 * Messages are written for the person using the app: what happened and what
 * they can do about it. They never contain a password, session id or token
 * value (nothing secret is ever passed in here).
 */

export type VaultErrorKind =
  /** Vault processed the request and answered FAILURE/EXCEPTION (§5.1). `type` holds errors[0].type. */
  | 'vault'
  /** Non-2xx HTTP answer whose body is JSON but not a Vault envelope. */
  | 'http'
  /** Body is not JSON (HTML error page, truncated body, …), or JSON that is not a Vault envelope on a 2xx. */
  | 'not-json'
  /** No answer within the client's timeout. */
  | 'timeout'
  /** Could not connect (refused, unreachable, offline). */
  | 'network'
  /** Host name does not resolve. */
  | 'dns'
  /** TLS handshake failed / certificate not trusted. */
  | 'tls'
  /** The connection was closed or reset before a full answer arrived. */
  | 'connection-reset'
  /** Vault authenticated us against a different Vault than the one asked for (§3.3, §3.8). */
  | 'wrong-vault'
  /** The caller cancelled the request. */
  | 'aborted'
  /** Refused before sending: bad DNS, plain http, bad client id, bad date, bad id (nothing was sent). */
  | 'invalid-input'
  /** Vault said SUCCESS but the body lacks the fields this client needs. */
  | 'unexpected-response'
  /** VQL pagination went past the client's max-pages guard (§2.3). */
  | 'too-many-pages';

export interface VaultErrorInit {
  kind: VaultErrorKind;
  message: string;
  type?: string;
  vaultMessage?: string;
  errors?: { type: string; message: string }[];
  httpStatus?: number;
  executionId?: string;
  method?: string;
  path?: string;
  cause?: unknown;
}

export class VaultError extends Error {
  override readonly name = 'VaultError';
  readonly kind: VaultErrorKind;
  /** Vault's `errors[0].type` when Vault answered (§5.2), e.g. `INVALID_SESSION_ID`. */
  readonly type: string | undefined;
  /** Vault's `errors[0].message` (not contractual, shown for context only; §5.1). */
  readonly vaultMessage: string | undefined;
  /** Every `errors[]` entry Vault returned. */
  readonly errors: { type: string; message: string }[];
  readonly httpStatus: number | undefined;
  /** `X-VaultAPI-ExecutionId` of the failed call, for Veeva support (§5.4). */
  readonly executionId: string | undefined;
  readonly method: string | undefined;
  /** Request path (never contains secrets). */
  readonly path: string | undefined;

  constructor(init: VaultErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.type = init.type;
    this.vaultMessage = init.vaultMessage;
    this.errors = init.errors ?? [];
    this.httpStatus = init.httpStatus;
    this.executionId = init.executionId;
    this.method = init.method;
    this.path = init.path;
  }

  /** Safe to put in a log record: no secrets, no cause chain. */
  toLogFields(): Record<string, unknown> {
    return {
      kind: this.kind,
      errorType: this.type,
      httpStatus: this.httpStatus,
      executionId: this.executionId,
      method: this.method,
      path: this.path,
    };
  }
}

export function isVaultError(err: unknown): err is VaultError {
  return err instanceof VaultError;
}

/** "30 s", "0.25 s", "1.5 s". */
export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : Number(s.toFixed(2))} s`;
}

interface RequestContext {
  host: string;
  method?: string;
  path?: string;
  timeoutMs?: number;
}

/** What a fetch rejection means, decided from the error and its cause chain. */
export interface FetchFailureInfo {
  kind: Extract<VaultErrorKind, 'timeout' | 'network' | 'dns' | 'tls' | 'connection-reset' | 'aborted'>;
  code: string | undefined;
  detail: string;
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL', 'EAI_NODATA']);
const RESET_CODES = new Set(['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE', 'UND_ERR_CLOSED', 'ECONNABORTED']);
const TIMEOUT_CODES = new Set([
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTDOWN',
  'EADDRNOTAVAIL',
  'UND_ERR_PROXY',
]);
const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'EPROTO',
]);

/** Chromium (Electron `net.fetch`) reports failures as `net::ERR_…` in the message. */
function chromiumKind(code: string): FetchFailureInfo['kind'] | undefined {
  if (/^ERR_NAME_(NOT_RESOLVED|RESOLUTION_FAILED)$/.test(code)) return 'dns';
  if (/^ERR_(CERT_|SSL_|BAD_SSL_)/.test(code)) return 'tls';
  if (/^ERR_(CONNECTION_RESET|CONNECTION_CLOSED|EMPTY_RESPONSE|CONNECTION_ABORTED|HTTP2_PROTOCOL_ERROR)$/.test(code))
    return 'connection-reset';
  if (/^ERR_(TIMED_OUT|CONNECTION_TIMED_OUT)$/.test(code)) return 'timeout';
  if (code === 'ERR_ABORTED') return 'aborted';
  if (/^ERR_(CONNECTION_REFUSED|INTERNET_DISCONNECTED|ADDRESS_UNREACHABLE|NETWORK_CHANGED|PROXY_|TUNNEL_)/.test(code))
    return 'network';
  return undefined;
}

function kindForCode(code: string): FetchFailureInfo['kind'] | undefined {
  if (DNS_CODES.has(code)) return 'dns';
  if (RESET_CODES.has(code)) return 'connection-reset';
  if (TIMEOUT_CODES.has(code)) return 'timeout';
  if (NETWORK_CODES.has(code)) return 'network';
  if (TLS_CODES.has(code) || code.startsWith('CERT_') || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_'))
    return 'tls';
  return undefined;
}

/** Every error in the cause chain (and inside AggregateErrors), outermost first. */
function causeChain(err: unknown): unknown[] {
  const out: unknown[] = [];
  const queue: unknown[] = [err];
  while (queue.length > 0 && out.length < 20) {
    const e = queue.shift();
    if (e === undefined || e === null || out.includes(e)) continue;
    out.push(e);
    if (typeof e === 'object') {
      const obj = e as { cause?: unknown; errors?: unknown };
      if (obj.cause !== undefined) queue.push(obj.cause);
      if (Array.isArray(obj.errors)) queue.push(...obj.errors);
    }
  }
  return out;
}

function field(e: unknown, key: 'code' | 'name' | 'message'): string | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const v = (e as Record<string, unknown>)[key];
  return typeof v === 'string' ? v : undefined;
}

/**
 * Classifies a rejection from `fetch` (Node/undici or Electron `net.fetch`).
 * `timedOut` / `callerAborted` come from the request core, which knows which
 * abort signal fired; they win over whatever the error says.
 */
export function classifyFetchFailure(
  err: unknown,
  flags: { timedOut?: boolean; callerAborted?: boolean } = {},
): FetchFailureInfo {
  const chain = causeChain(err);
  const innermost = chain[chain.length - 1];
  const detail = field(innermost, 'message') ?? field(err, 'message') ?? String(err);
  if (flags.timedOut) return { kind: 'timeout', code: undefined, detail };
  if (flags.callerAborted) return { kind: 'aborted', code: undefined, detail };
  for (const e of chain) {
    const code = field(e, 'code');
    if (code) {
      const kind = kindForCode(code);
      if (kind) return { kind, code, detail: field(e, 'message') ?? detail };
    }
  }
  for (const e of chain) {
    const name = field(e, 'name');
    if (name === 'TimeoutError') return { kind: 'timeout', code: name, detail };
    if (name === 'AbortError') return { kind: 'aborted', code: name, detail };
    const net = /net::(ERR_[A-Z0-9_]+)/.exec(field(e, 'message') ?? '');
    if (net?.[1]) {
      const kind = chromiumKind(net[1]);
      if (kind) return { kind, code: net[1], detail: net[1] };
    }
  }
  return { kind: 'network', code: field(innermost, 'code'), detail };
}

/** Turns a fetch rejection into a VaultError with a message a person can act on. */
export function vaultErrorFromFetchFailure(
  err: unknown,
  ctx: RequestContext,
  flags: { timedOut?: boolean; callerAborted?: boolean } = {},
): VaultError {
  const info = classifyFetchFailure(err, flags);
  const { host } = ctx;
  let message: string;
  switch (info.kind) {
    case 'dns':
      message = `Could not find the host ${host}. Check the Vault DNS.`;
      break;
    case 'tls':
      message = `The Vault's TLS certificate is not trusted: ${info.detail}. Check the Vault DNS, or ask IT whether a proxy is intercepting HTTPS.`;
      break;
    case 'timeout':
      message =
        ctx.timeoutMs !== undefined
          ? `Vault did not answer within ${formatSeconds(ctx.timeoutMs)}. Vault or the network may be slow; try again.`
          : `The connection to ${host} timed out. Check your network and try again.`;
      break;
    case 'aborted':
      message = 'The request to Vault was cancelled.';
      break;
    case 'connection-reset':
      message = `The connection to ${host} was closed before Vault answered. Try again; if it keeps happening, check your network or proxy.`;
      break;
    case 'network':
    default:
      message =
        info.code === 'ECONNREFUSED' || info.code === 'ERR_CONNECTION_REFUSED'
          ? `Could not connect to ${host}: the connection was refused. Check the Vault DNS (and port) and your network.`
          : `Could not reach ${host} (${info.code ?? info.detail}). Check your network connection and the Vault DNS.`;
      break;
  }
  return new VaultError({
    kind: info.kind,
    message,
    method: ctx.method,
    path: ctx.path,
    cause: err,
  });
}

/** Plain-words explanations of the Vault error types a user of this app will meet (§5.2). */
const TYPE_ADVICE: Record<string, string> = {
  INVALID_SESSION_ID:
    'The Vault session or API access token is no longer valid (expired, ended or revoked). Sign in again.',
  USERNAME_OR_PASSWORD_INCORRECT: 'Vault rejected the username or password.',
  NO_PASSWORD_PROVIDED: 'No password was provided.',
  USER_LOCKED_OUT: 'The Vault user is locked out. An administrator must unlock it.',
  PASSWORD_CHANGE_REQUIRED: 'Vault requires a password change. Sign in to Vault in a browser and change it first.',
  INACTIVE_USER: 'The Vault user is inactive.',
  INSUFFICIENT_ACCESS: 'The Vault user does not have permission for this (API access or token permissions).',
  API_LIMIT_EXCEEDED: 'Vault API limit reached. Wait a minute and try again.',
  CONFIGURATION_MODE_ENABLED: 'The Vault is in configuration mode; only administrators can use it right now.',
  PARAMETER_REQUIRED: 'Vault says a required value is missing.',
  INVALID_DATA: 'Vault rejected a value in the request.',
  OPERATION_NOT_ALLOWED: 'Vault does not allow this operation.',
  METHOD_NOT_SUPPORTED: 'This Vault does not support this request in the API version used. Check the API version.',
  MALFORMED_URL: 'Vault did not recognise the request URL. Check the API version.',
  INCORRECT_QUERY_SYNTAX_ERROR: 'Vault rejected the query.',
  UNEXPECTED_ERROR: 'Vault reported an unexpected error. Try again later.',
};

export function adviceForType(type: string | undefined): string {
  return (type && TYPE_ADVICE[type]) || 'Vault refused the request.';
}

/** A FAILURE/EXCEPTION envelope (§5.1) as a VaultError. */
export function vaultErrorFromEnvelope(
  envelope: { responseStatus?: unknown; errors?: unknown; errorType?: unknown; responseMessage?: unknown },
  ctx: { method?: string; path?: string; httpStatus?: number; executionId?: string },
): VaultError {
  const errors: { type: string; message: string }[] = [];
  if (Array.isArray(envelope.errors)) {
    for (const e of envelope.errors) {
      if (e && typeof e === 'object') {
        const rec = e as Record<string, unknown>;
        errors.push({
          type: typeof rec.type === 'string' ? rec.type : 'UNKNOWN',
          message: typeof rec.message === 'string' ? rec.message : '',
        });
      }
    }
  }
  const first = errors[0];
  const type =
    first?.type ??
    (typeof envelope.errorType === 'string' ? envelope.errorType : undefined) ??
    (envelope.responseStatus === 'EXCEPTION' ? 'UNEXPECTED_ERROR' : undefined);
  const vaultMessage =
    first?.message || (typeof envelope.responseMessage === 'string' ? envelope.responseMessage : undefined);
  const advice = adviceForType(type);
  const tail = [type, vaultMessage].filter(Boolean).join(': ');
  return new VaultError({
    kind: 'vault',
    type,
    vaultMessage: vaultMessage || undefined,
    errors,
    message: tail ? `${advice} (Vault: ${tail})` : advice,
    httpStatus: ctx.httpStatus,
    executionId: ctx.executionId,
    method: ctx.method,
    path: ctx.path,
  });
}

export function invalidInput(message: string): VaultError {
  return new VaultError({ kind: 'invalid-input', message });
}
