/** Request and reply shapes of the fake IdP, and the RFC 6749 reply helpers. */
import type { IncomingHttpHeaders } from 'node:http';
import { parseContentType, parseFormFields } from '../http-io';
import type { IdpRequestLogEntry } from './types';

export interface IdpRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
  log: IdpRequestLogEntry;
}

export interface IdpReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** RFC 6749 §5.1: token responses (and anything carrying a secret) are never cached. */
const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

/**
 * Pages carry no script at all: the login forms work as plain HTML, so the
 * policy can forbid every script source and framing (clickjacking of the login).
 */
const PAGE_HEADERS = {
  ...NO_STORE,
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};

export function json(status: number, body: unknown): IdpReply {
  return { status, headers: { ...NO_STORE, 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
}

/** RFC 6749 §5.2 error response (also RFC 8628 §3.5, RFC 7662 §2.3). */
export function oauthError(rq: IdpRequest, status: number, error: string, description: string): IdpReply {
  rq.log.error = error;
  const reply = json(status, { error, error_description: description });
  // RFC 6749 §5.2: a 401 invalid_client carries WWW-Authenticate.
  if (status === 401) reply.headers['WWW-Authenticate'] = 'Basic realm="fake-idp"';
  return reply;
}

export function html(status: number, page: string): IdpReply {
  return { status, headers: { ...PAGE_HEADERS }, body: page };
}

export function redirect(location: string): IdpReply {
  return { status: 302, headers: { ...NO_STORE, Location: location }, body: '' };
}

/**
 * RFC 6749 §4.1.2 / §3.2: form parameters of a POST must be
 * application/x-www-form-urlencoded; null for any other body. A parameter
 * sent twice is an error (§3.1 "MUST NOT be included more than once"), read here as null.
 */
export function formOf(rq: IdpRequest): URLSearchParams | null {
  const ct = parseContentType(headerText(rq.headers['content-type']));
  if (ct.mime !== 'application/x-www-form-urlencoded') return null;
  const fields = parseFormFields(rq.body, ct);
  if (!fields) return null;
  const params = new URLSearchParams(rq.body.toString('utf8'));
  for (const key of fields.keys()) if (params.getAll(key).length > 1) return null;
  return params;
}

export function headerText(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
