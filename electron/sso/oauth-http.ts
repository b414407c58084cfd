/**
 * Requests to an identity provider's token and device endpoints: form-encoded POSTs with JSON
 * answers (RFC 6749 §3.2, §5.1, §5.2; RFC 8628 §3.1). Only https URLs are called (RFC 6749 §3.1
 * requires TLS). Errors name the identity provider's host and its `error` code; bodies, codes,
 * verifiers and tokens are never logged or put in messages.
 */
import { AppError } from '../../shared/errors';
import { CONTROL_CHARACTERS } from '../../shared/control-chars';
import type { Logger } from '../log';
import type { FetchLike } from '../vault/types';

export interface OAuthHttpDeps {
  fetch: FetchLike;
  logger: Logger;
  timeoutMs?: number;
}

/** `error` and `error_description` of an OAuth error response (RFC 6749 §5.2, RFC 8628 §3.5). */
export class OAuthError extends AppError {
  constructor(
    readonly error: string,
    readonly description: string | null,
    message: string,
  ) {
    super('IDP_REFUSED', message);
  }
}

export function requireHttpsUrl(raw: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError('IDP_REFUSED', `The identity provider’s ${what} is not a URL.`);
  }
  if (url.protocol !== 'https:') {
    throw new AppError(
      'IDP_REFUSED',
      `The identity provider’s ${what} (${url.host}) is not https. Vault Token Desk only sends sign-in data over TLS (RFC 6749 §3.1).`,
    );
  }
  return url;
}

/** Printable text from the identity provider, cut short (it may be shown to the person). */
function safeDescription(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const text = value.replace(CONTROL_CHARACTERS, ' ').trim();
  return text ? text.slice(0, 300) : null;
}

export async function postOAuthForm(
  deps: OAuthHttpDeps,
  endpoint: string,
  what: string,
  form: Record<string, string>,
): Promise<Record<string, unknown>> {
  const url = requireHttpsUrl(endpoint, what);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), deps.timeoutMs ?? 30_000);
  const started = Date.now();
  let res: Response;
  let text: string;
  try {
    res = await deps.fetch(url.toString(), {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
      signal: controller.signal,
      redirect: 'manual',
    });
    text = await res.text();
  } catch (cause) {
    deps.logger.warn('identity provider unreachable', { host: url.host, path: url.pathname, what });
    throw new AppError(
      'IDP_UNREACHABLE',
      `The identity provider at ${url.host} could not be reached (${controller.signal.aborted ? 'no answer in time' : 'network error'}). Check your network or VPN, then sign in again.`,
      { cause },
    );
  } finally {
    clearTimeout(timer);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  const fields = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
  deps.logger.info('identity provider answered', {
    host: url.host,
    path: url.pathname,
    httpStatus: res.status,
    durationMs: Date.now() - started,
    ...(typeof fields?.error === 'string' ? { oauthError: fields.error.slice(0, 60) } : {}),
  });
  if (fields && typeof fields.error === 'string') {
    const description = safeDescription(fields.error_description);
    throw new OAuthError(
      fields.error,
      description,
      `The identity provider at ${url.host} refused the ${what} request (${fields.error.slice(0, 60)}${description ? `: ${description}` : ''}).`,
    );
  }
  if (!res.ok || !fields) {
    throw new AppError(
      res.status >= 500 ? 'IDP_UNREACHABLE' : 'IDP_REFUSED',
      `The identity provider at ${url.host} answered the ${what} request with HTTP ${res.status}${fields ? '' : ' and no JSON'}.`,
    );
  }
  return fields;
}
