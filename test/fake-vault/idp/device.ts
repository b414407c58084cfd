/**
 * The device authorization grant (RFC 8628): POST /device_authorization
 * (§3.1/§3.2) and the verification page GET/POST /device (§3.3) where the
 * user enters the user code, signs in and approves or denies.
 * Polling at /token is in token.ts.
 */
import type { IdpContext } from './context';
import { formOf, html, json, oauthError, type IdpReply, type IdpRequest } from './http';
import { formatUserCode, parseScope, type DeviceRecord, type IdpAccount } from './idp-store';
import { SUPPORTED_SCOPES } from './metadata';
import { devicePage, messagePage } from './pages';
import { publicClient } from './token';

export function handleDeviceAuthorization(ctx: IdpContext, rq: IdpRequest): IdpReply {
  const form = formOf(rq);
  if (!form)
    return oauthError(rq, 400, 'invalid_request', 'Send application/x-www-form-urlencoded parameters once each.');
  const client = publicClient(ctx, rq, form);
  if ('status' in client) return client;
  if (!ctx.store.options.deviceFlow || !client.grantTypes.has('urn:ietf:params:oauth:grant-type:device_code'))
    return oauthError(rq, 400, 'unauthorized_client', 'This client may not use the device authorization grant.');
  const scope = parseScope(form.get('scope'));
  const unknown = scope.filter((s) => !SUPPORTED_SCOPES.includes(s));
  if (unknown.length) return oauthError(rq, 400, 'invalid_scope', `Unknown scope: ${unknown.join(' ')}.`);
  const { deviceCode, record } = ctx.store.startDevice(client.clientId, scope);
  const userCode = formatUserCode(record.userCode);
  const verificationUri = `${ctx.store.issuer}/device`;
  return json(200, {
    device_code: deviceCode,
    user_code: userCode,
    verification_uri: verificationUri,
    verification_uri_complete: `${verificationUri}?user_code=${encodeURIComponent(userCode)}`,
    expires_in: Math.round(ctx.store.options.deviceCodeLifetimeMs / 1000),
    interval: record.intervalSeconds,
  });
}

export function handleDeviceGet(_ctx: IdpContext, rq: IdpRequest): IdpReply {
  return html(200, devicePage(rq.url.searchParams.get('user_code') ?? '', '', null));
}

/** Shared by the page and fake.idp.approveDevice / denyDevice. */
export function decideDevice(d: DeviceRecord, decision: 'approve' | 'deny', account: IdpAccount | null): void {
  if (decision === 'approve' && account) {
    d.status = 'approved';
    d.account = account;
  } else if (decision === 'deny') {
    d.status = 'denied';
  }
}

export function handleDevicePost(ctx: IdpContext, rq: IdpRequest): IdpReply {
  const form = formOf(rq);
  const userCode = form?.get('user_code') ?? '';
  const username = form?.get('username') ?? '';
  const action = form?.get('action');
  const again = (error: string): IdpReply => {
    rq.log.error = error;
    return html(200, devicePage(userCode, username, error));
  };
  const d = ctx.store.deviceByUserCode(userCode);
  if (!d || d.status !== 'pending') return again('That code is not valid or has expired.');
  if (action === 'deny') {
    decideDevice(d, 'deny', null);
    return html(200, messagePage('Request denied', 'The device was not connected. You can close this window.'));
  }
  if (action !== 'approve') return again('Choose Approve or Deny.');
  const account = ctx.store.signIn(username, form?.get('password') ?? '');
  if (!account) return again('Incorrect user name or password.');
  decideDevice(d, 'approve', account);
  return html(200, messagePage('Device connected', 'You are signed in on your device. You can close this window.'));
}
