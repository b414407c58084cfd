/**
 * zod schemas for every payload that crosses IPC. The renderer uses them for
 * inline errors (comfort); main parses every request with them again (safety).
 */
import { z } from 'zod';
import { AUTH_METHODS, CONNECTION_ENVIRONMENTS, DEFAULT_API_VERSION, DEFAULT_CLIENT_ID } from './domain';
import { CLIENT_MAX_LENGTH, ENVIRONMENT_HINT, normaliseClient } from './connection-groups';
import { normaliseVaultDns } from './dns';
import { API_VERSION_HINT, API_VERSION_RE, CLIENT_ID_HINT, CLIENT_ID_RE } from './vault-names';

export const Id = z.string().trim().min(1, 'Missing id.').max(100);

export const ConnectionName = z
  .string()
  .trim()
  .min(1, 'Enter a name for this connection.')
  .max(80, 'Keep the name under 80 characters.');

export const VaultDns = z.string().transform((value, ctx) => {
  const check = normaliseVaultDns(value);
  if (!check.ok) {
    ctx.addIssue({ code: 'custom', message: check.message });
    return z.NEVER;
  }
  return check.dns;
});

export const ApiVersion = z.string().trim().regex(API_VERSION_RE, API_VERSION_HINT);

/** docs/vault-api.md §5.5 (shared/vault-names.ts). */
export const ClientId = z
  .string()
  .trim()
  .min(1, 'Enter a client id, or keep the default vault-token-desk.')
  .regex(CLIENT_ID_RE, CLIENT_ID_HINT);

/** A local inventory row id (SQLite rowid). */
export const RowId = z.number().int().positive();

export const Username = z.string().trim().min(1, 'Enter the Vault user name.').max(254);

/** A password or token typed by the user. Never logged, never stored outside the keychain. */
export const Secret = z.string().min(1).max(4096);

/** A login host, `host[:port]`, always reached over https (same rules as a Vault DNS). Empty means "the default". */
export const LoginHost = z
  .string()
  .nullish()
  .transform((value, ctx) => {
    if (value === null || value === undefined || value.trim() === '') return null;
    const check = normaliseVaultDns(value);
    if (!check.ok) {
      ctx.addIssue({ code: 'custom', message: check.message.replace('Vault DNS', 'login host') });
      return z.NEVER;
    }
    return check.dns;
  });

/** An identity-provider client id (RFC 6749 §2.2: any printable string); empty means "from discovery". */
export const IdpClientId = z
  .string()
  .trim()
  .max(200, 'Keep the identity-provider client id under 200 characters.')
  .regex(/^[\x21-\x7e]*$/, 'An identity-provider client id has no spaces or control characters.')
  .nullish()
  .transform((v) => (v ? v : null));

/** The client (customer) a connection belongs to: free text, spaces collapsed; empty means none. */
export const ClientName = z
  .string()
  .max(CLIENT_MAX_LENGTH * 2)
  .nullish()
  .transform((v) => normaliseClient(v))
  .refine((v) => v === null || v.length <= CLIENT_MAX_LENGTH, `Keep the client under ${CLIENT_MAX_LENGTH} characters.`)
  .refine((v) => v === null || !/\p{Cc}/u.test(v), 'A client name has no control characters.');

export const ConnectionEnvironmentSchema = z.enum(CONNECTION_ENVIRONMENTS, {
  error: () => `Pick an environment: ${ENVIRONMENT_HINT}.`,
});

export const ConnectionFields = z.strictObject({
  name: ConnectionName,
  dns: VaultDns,
  apiVersion: ApiVersion.default(DEFAULT_API_VERSION),
  username: Username,
  authMethod: z.enum(AUTH_METHODS).default('password'),
  clientId: ClientId.default(DEFAULT_CLIENT_ID),
  /** Keep the password / login token in the OS keychain. */
  rememberSecret: z.boolean().default(false),
  /** The password (or token, or session id) to remember; only with rememberSecret. */
  secret: Secret.optional(),
  /** Single sign-on: the login host for discovery and the Vault session (default: the environment, then Veeva's). */
  loginHost: LoginHost.default(null),
  /** Single sign-on: overrides the identity-provider client id that discovery reports. */
  idpClientId: IdpClientId.default(null),
  /** Client groups (issue 15): whose Vault this is, and which environment. */
  client: ClientName.default(null),
  environment: ConnectionEnvironmentSchema.nullish().transform((v) => v ?? null),
});
export type ConnectionFieldsInput = z.input<typeof ConnectionFields>;

export const ConnectionCreate = ConnectionFields.superRefine((value, ctx) => {
  if (value.authMethod === 'sso' && value.secret) {
    ctx.addIssue({
      code: 'custom',
      path: ['secret'],
      message: 'Single sign-on has no password here: sign in with your browser after saving.',
    });
  }
  if (value.rememberSecret && !value.secret && value.authMethod !== 'session' && value.authMethod !== 'sso') {
    ctx.addIssue({ code: 'custom', path: ['secret'], message: 'Enter the secret to remember, or untick “Remember”.' });
  }
});

export const ConnectionUpdate = ConnectionFields.extend({
  id: Id,
  /** On update an empty secret keeps the stored one. */
  secret: Secret.optional(),
  /** Left out: kept as it is (a caller that knows nothing of client groups changes nothing); null clears. */
  client: ClientName.optional(),
  environment: ConnectionEnvironmentSchema.nullable().optional(),
}).superRefine((value, ctx) => {
  if (value.authMethod === 'sso' && value.secret) {
    ctx.addIssue({
      code: 'custom',
      path: ['secret'],
      message: 'Single sign-on has no password here: sign in with your browser after saving.',
    });
  }
});

export const ByConnectionId = z.strictObject({ id: Id });

/** Authentication type discovery for a user name (docs/vault-api.md §3.5), before or after saving. */
export const DiscoverAuthInput = z.strictObject({
  username: Username,
  loginHost: LoginHost.default(null),
  clientId: ClientId.default(DEFAULT_CLIENT_ID),
});

/** Sign in with single sign-on: the system browser (RFC 8252) or a device code (RFC 8628). */
export const SsoSignInInput = z.strictObject({
  id: Id,
  mode: z.enum(['browser', 'device']).default('browser'),
});

export const AuditQuery = z.strictObject({
  limit: z.number().int().min(1).max(1000).default(200),
  beforeId: z.number().int().positive().optional(),
});

export const NoInput = z.undefined().or(z.strictObject({})).optional();

/** Turns zod issues into `{ field: message }` for inline errors. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join('.') : '_';
    out[key] ??= issue.message;
  }
  return out;
}
