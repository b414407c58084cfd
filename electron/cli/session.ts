/**
 * Helpers shared by commands: finding a connection or token by the names a
 * person types, supplying the login secret, and reading expiry flags.
 */
import type { z } from 'zod';
import type { Connection } from '../../shared/domain';
import { AppError } from '../../shared/errors';
import type { TokenExpiry, TokenRow } from '../../shared/tokens';
import { normaliseTimestamp } from '../../shared/token-status';
import { TokenExpirySchema } from '../../shared/contract/tokens';
import { call } from './call';
import { CliError, UsageError } from './errors';
import { promptHidden } from './secrets';
import { boolFlag, exclusive, stringFlag, type Runtime } from './runtime';

/** Days the app's own default expiry lies ahead (the "90 days" preset of the expiry picker). */
export const DEFAULT_EXPIRY_DAYS = 90;

export function connectionByName(rt: Runtime, name: string): Connection {
  return rt.ctx().connections.requireByName(name);
}

export function tokenById(rt: Runtime, connection: Connection, tokenId: string): TokenRow {
  const id = tokenId.trim();
  const row = rt.ctx().tokensRepo.getByTokenId(connection.id, id, rt.now());
  if (!row) {
    throw new CliError(
      `token ${id} is not in the inventory of “${connection.name}”; run \`vault-token-desk token sync --connection ${shellWord(connection.name)}\` first if it was created elsewhere`,
    );
  }
  return row;
}

/** A word as a person would type it in a shell. */
export function shellWord(text: string): string {
  return /^[A-Za-z0-9._@:/-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

function secretWords(c: Connection): { what: string; flag: string } {
  if (c.authMethod === 'token') return { what: 'API access token', flag: '--token-stdin' };
  if (c.authMethod === 'session') return { what: 'session id', flag: '--token-stdin' };
  return { what: 'password', flag: '--password-stdin' };
}

/** The one-line message for "this needs a login secret and none can be had". */
export function noSecretMessage(c: Connection): string {
  if (c.authMethod === 'session')
    return `“${c.name}” logs in with a session id, which is never remembered, and stdin is not a terminal to ask for one; run this command in a terminal`;
  const { what, flag } = secretWords(c);
  return `no ${what} is remembered for “${c.name}” and stdin is not a terminal to ask for one; remember it with \`vault-token-desk connection add ${shellWord(c.name)} --dns ${c.dns} --username ${shellWord(c.username)} ${flag}\` (its secret on stdin), or run this command in a terminal`;
}

export function refusedSecretMessage(c: Connection, vaultErrorType: string): string {
  if (c.authMethod === 'session')
    return `Vault refused the session id for “${c.name}” (${vaultErrorType}); sign in again and give a new one`;
  const { what, flag } = secretWords(c);
  return `Vault refused the ${what} for “${c.name}” (${vaultErrorType}); remember the right one with \`vault-token-desk connection add ${shellWord(c.name)} --dns ${c.dns} --username ${shellWord(c.username)} ${flag}\` (its secret on stdin)`;
}

/** Whether logging in to `c` needs a secret this process does not have yet. */
export function needsSecret(rt: Runtime, c: Connection): boolean {
  // Single sign-on renews itself or says SIGN_IN_REQUIRED (handled in withLogin).
  if (c.authMethod === 'sso') return false;
  if (rt.ctx().gateway.hasTransientSecret(c.id)) return false;
  return !(c.secretStored && c.authMethod !== 'session');
}

/**
 * Makes sure a login to `c` can happen: a remembered secret is used as the app
 * uses it; otherwise, on a terminal, the secret is asked for without echo and
 * kept in memory for this run only (connections:unlock); otherwise exit 1.
 */
export async function ensureLogin(rt: Runtime, c: Connection): Promise<void> {
  if (!needsSecret(rt, c)) return;
  if (!rt.io.stdin.isTTY) throw new CliError(noSecretMessage(c));
  const { what } = secretWords(c);
  const secret = await promptHidden(
    `${capitalise(what)} for ${c.username} on ${c.dns} (${c.name}): `,
    rt.io.stdin,
    rt.io.stderr,
  );
  if (!secret) throw new CliError(`no ${what} entered`);
  await call(rt, 'connections:unlock', { id: c.id, secret });
}

/**
 * Runs a Vault operation; if the keychain turned out not to hold the
 * remembered secret after all, says so in CLI words.
 */
export async function withLogin<T>(rt: Runtime, c: Connection, operation: () => Promise<T>): Promise<T> {
  await ensureLogin(rt, c);
  try {
    return await operation();
  } catch (error) {
    if (error instanceof AppError && error.code === 'SIGN_IN_REQUIRED') {
      // Single sign-on that could not renew itself: sign in on a terminal, else say how.
      if (!rt.io.stdin.isTTY)
        throw new CliError(
          `${error.message.replace(/\.$/, '')}; stdin is not a terminal, so run \`vault-token-desk connection login ${shellWord(c.name)}\` in a terminal first`,
        );
      rt.note(error.message);
      await call(rt, 'connections:sso-sign-in', { id: c.id, mode: boolFlag(rt, 'device-code') ? 'device' : 'browser' });
      return operation();
    }
    if (error instanceof AppError && error.code === 'GUARD' && error.fields?.secret) {
      // Vault refused the secret (it carries Vault's error type): say so, not "none is remembered".
      if (error.vaultErrorType) throw new CliError(refusedSecretMessage(c, error.vaultErrorType));
      throw new CliError(noSecretMessage(c));
    }
    throw error;
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Parses a request with a contract schema; a refusal is a usage error naming the flag. */
export function parseInput<S extends z.ZodType>(
  rt: Runtime,
  schema: S,
  input: unknown,
  flags: Record<string, string> = {},
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const key = issue?.path.length ? String(issue.path[0]) : '';
  const flag = flags[key] ?? (key ? `--${key.replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`)}` : '');
  throw new UsageError(`${flag ? `${flag}: ` : ''}${issue?.message ?? 'invalid value'}`, rt.command);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/**
 * `--expires YYYY-MM-DD` (23:59:59 in the user's Vault time zone),
 * `--expires YYYY-MM-DDTHH:MM:SSZ` (UTC), `--never`, or by default 90 days
 * from today (UTC), like the app.
 */
export function expiryFromFlags(rt: Runtime): TokenExpiry {
  exclusive(rt, 'expires', 'never');
  if (boolFlag(rt, 'never')) return { kind: 'never' };
  const raw = stringFlag(rt, 'expires');
  if (raw === undefined) {
    const d = new Date(rt.now().getTime() + DEFAULT_EXPIRY_DAYS * 86_400_000);
    return { kind: 'date', date: d.toISOString().slice(0, 10) };
  }
  const text = raw.trim();
  const valid = (DATE.test(text) || DATETIME.test(text)) && normaliseTimestamp(text) !== null;
  if (!valid)
    throw new UsageError(
      '--expires takes a real date YYYY-MM-DD or a UTC time YYYY-MM-DDTHH:MM:SSZ, e.g. --expires 2027-03-31',
      rt.command,
    );
  const expiry: TokenExpiry = DATE.test(text) ? { kind: 'date', date: text } : { kind: 'datetime', iso: text };
  return parseInput(rt, TokenExpirySchema, expiry, { date: '--expires', iso: '--expires' });
}
