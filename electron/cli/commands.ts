/**
 * The command table: every command's synopsis, flags, positional arguments
 * and handler. The parser (args.ts) and the help text (usage.ts) are both
 * derived from it, so they cannot drift apart.
 */
import type { ExitCode } from './errors';
import type { Runtime } from './runtime';
import {
  connectionAdd,
  connectionEdit,
  connectionList,
  connectionLogin,
  connectionRemove,
  connectionTest,
  connectionDiscover,
} from './commands/connection';
import {
  expiring,
  tokenExport,
  tokenGenerate,
  tokenList,
  tokenReveal,
  tokenRevoke,
  tokenRotate,
  tokenSync,
} from './commands/token';
import { tokenImport } from './commands/import';
import { connectionExport, connectionImport } from './commands/connection-csv';
import { GROUP_FLAG_SPECS } from './groups';
import { deliveryAdd, deliveryList, deliveryRemove, tokenDeliver } from './commands/delivery';

export interface FlagSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
  short?: string;
  /** Shown in help, e.g. `NAME`. */
  value?: string;
  help: string;
  /** A boolean flag that takes every word after `--` as its value (a command's argv; args.ts). */
  rest?: boolean;
}

export interface CommandSpec {
  /** `token generate`, `expiring`, … */
  name: string;
  /** Arguments after the command name, for the usage line. */
  synopsis: string;
  summary: string;
  flags: Record<string, FlagSpec>;
  positionals: { min: number; max: number; label: string };
  /** Extra help paragraphs. */
  notes?: string[];
  run(rt: Runtime): Promise<ExitCode>;
}

const EXPIRY_FLAGS: Record<string, FlagSpec> = {
  expires: {
    type: 'string',
    value: 'DATE',
    help: 'YYYY-MM-DD (23:59:59 in the user’s Vault time zone) or YYYY-MM-DDTHH:MM:SSZ (UTC); default: 90 days from today',
  },
  never: { type: 'boolean', help: 'the token never expires (only if the user’s security profile allows it)' },
};

const SSO_FLAGS: Record<string, FlagSpec> = {
  sso: { type: 'boolean', help: 'sign in with single sign-on (OAuth 2.0 / OpenID Connect) in the system browser' },
  'device-code': {
    type: 'boolean',
    help: 'sign in with a code shown here, on any device (RFC 8628); the default when there is no browser',
  },
  'login-host': {
    type: 'string',
    value: 'HOST[:PORT]',
    help: 'login host for discovery and the Vault session (default VAULT_TOKEN_DESK_LOGIN_HOST, else login.veevavault.com)',
  },
  'idp-client-id': {
    type: 'string',
    value: 'ID',
    help: 'identity-provider client id, when the Vault admin mapped none to this app',
  },
};

const OUTPUT_FLAG: FlagSpec = {
  type: 'string',
  value: 'FILE',
  help: 'write to FILE (created with mode 600) instead of stdout',
};

/** `connection add` / `edit`: one value each (a filter repeats, a setting does not). */
const CONNECTION_GROUP_FLAGS: Record<string, FlagSpec> = {
  client: { type: 'string', value: 'CLIENT', help: 'the client (customer) this Vault belongs to, e.g. Acme' },
  env: { type: 'string', value: 'ENV', help: 'its environment: DEV, QA, UAT, PROD, sandbox or other' },
};

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'connection add',
    synopsis:
      'NAME --dns HOST[:PORT] --username USER [--client CLIENT] [--env ENV] [--api-version vNN.N] [--client-id ID] [--password-stdin | --token-stdin | --sso [--device-code] [--login-host HOST] [--idp-client-id ID]]',
    summary: 'Add a Vault connection',
    positionals: { min: 1, max: 1, label: 'NAME' },
    flags: {
      dns: { type: 'string', value: 'HOST[:PORT]', help: 'the Vault DNS, e.g. myvault.veevavault.com (always https)' },
      username: { type: 'string', value: 'USER', help: 'the Vault user name to sign in with' },
      'api-version': { type: 'string', value: 'vNN.N', help: 'REST API version (default v26.2)' },
      'client-id': { type: 'string', value: 'ID', help: 'client id sent with every call (default vault-token-desk)' },
      ...CONNECTION_GROUP_FLAGS,
      'password-stdin': { type: 'boolean', help: 'read the password from stdin and remember it in the OS keychain' },
      'token-stdin': {
        type: 'boolean',
        help: 'sign in with an API access token read from stdin (remembered in the OS keychain)',
      },
      ...SSO_FLAGS,
    },
    notes: [
      'Without --password-stdin or --token-stdin the password is asked for on a terminal (Enter skips it); on a pipe the connection is added without a remembered secret.',
      'With --sso, discovery at the login host (login.veevavault.com, or VAULT_TOKEN_DESK_LOGIN_HOST) checks the user signs in with single sign-on, then your browser opens ($BROWSER on Linux); the identity provider’s refresh token, if it issues one, is kept in the OS keychain.',
    ],
    run: connectionAdd,
  },
  {
    name: 'connection login',
    synopsis: 'NAME [--device-code]',
    summary: 'Sign in again with single sign-on (the browser, or a device code)',
    positionals: { min: 1, max: 1, label: 'NAME' },
    flags: { 'device-code': SSO_FLAGS['device-code']! },
    run: connectionLogin,
  },
  {
    name: 'connection edit',
    synopsis: 'NAME [--client CLIENT] [--env ENV] [--rename NEW_NAME] [--api-version vNN.N] [--client-id ID]',
    summary: 'Change a connection’s client, environment, name, API version or client id',
    positionals: { min: 1, max: 1, label: 'NAME' },
    flags: {
      ...CONNECTION_GROUP_FLAGS,
      rename: { type: 'string', value: 'NEW_NAME', help: 'a new name for the connection' },
      'api-version': { type: 'string', value: 'vNN.N', help: 'REST API version' },
      'client-id': { type: 'string', value: 'ID', help: 'client id sent with every call' },
    },
    notes: [
      'Only what is given changes; the remembered secret, DNS, user and sign-in method stay. `--client ""` or `--env none` clears one.',
    ],
    run: connectionEdit,
  },
  {
    name: 'connection list',
    synopsis: '[--client CLIENT] [--env ENV]',
    summary: 'List connections, grouped by client and environment',
    positionals: { min: 0, max: 0, label: '' },
    flags: { ...GROUP_FLAG_SPECS },
    run: connectionList,
  },
  {
    name: 'connection import',
    synopsis: 'FILE [--dry-run] [--skip-invalid]',
    summary: 'Add connections from a CSV file (no secrets: each asks for one on first use)',
    positionals: { min: 1, max: 1, label: 'FILE' },
    flags: {
      'dry-run': { type: 'boolean', help: 'check every row and print the result; write nothing' },
      'skip-invalid': { type: 'boolean', help: 'import the valid rows even when others have errors' },
    },
    notes: [
      'Columns (header line, any order; , or ; as delimiter): name, dns, username, sign-in method (password, token, sso, session; default password), client, environment (DEV, QA, UAT, PROD, sandbox, other), api version, client id. Only name, dns and username are required.',
      'Every row is checked first: bad DNS, user name, method or environment, and names used twice in the file or already taken. With a bad row nothing is imported (exit 1) unless --skip-invalid. The same file format comes out of `connection export`.',
    ],
    run: connectionImport,
  },
  {
    name: 'connection export',
    synopsis: '[--output FILE]',
    summary: 'Write the connections as CSV (never a secret)',
    positionals: { min: 0, max: 0, label: '' },
    flags: {
      output: OUTPUT_FLAG,
    },
    notes: ["Cells that a spreadsheet would run as a formula (starting with = + - @) get a leading '."],
    run: connectionExport,
  },
  {
    name: 'connection test',
    synopsis: 'NAME',
    summary:
      'Read-only check of what this login may do on the Vault (sign-in, API versions, token and user access, burst limit)',
    positionals: { min: 1, max: 1, label: 'NAME' },
    flags: {},
    run: connectionTest,
  },
  {
    name: 'connection discover',
    synopsis: 'NAME [--add [--client CLIENT]]',
    summary: 'List the Vaults NAME’s login reaches; --add adds the ones not added yet, with the same sign-in',
    positionals: { min: 1, max: 1, label: 'NAME' },
    flags: {
      add: {
        type: 'boolean',
        help: 'add each Vault not added yet (named after the Vault, same user and saved sign-in), then test and sync it',
      },
      client: {
        type: 'string',
        value: 'CLIENT',
        help: 'with --add: the client group of the new connections (default: NAME’s client; "" for none)',
      },
    },
    run: connectionDiscover,
  },
  {
    name: 'connection remove',
    synopsis: 'NAME',
    summary: 'Remove a connection and its remembered secret',
    positionals: { min: 1, max: 1, label: 'NAME' },
    flags: {},
    run: connectionRemove,
  },
  {
    name: 'token generate',
    synopsis:
      '(--connection NAME [--connection NAME…] | --client CLIENT [--env ENV]) (--me | --user USER_ID) --name TOKEN_NAME [--expires YYYY-MM-DD | --expires YYYY-MM-DDTHH:MM:SSZ | --never]',
    summary: 'Generate a token; prints its value on stdout and stores it in the OS keychain',
    positionals: { min: 0, max: 0, label: '' },
    flags: {
      connection: {
        type: 'string',
        multiple: true,
        value: 'NAME',
        help: 'the connection to use; repeat it to generate in several Vaults at once (for --me)',
      },
      ...GROUP_FLAG_SPECS,
      me: { type: 'boolean', help: 'for the signed-in user' },
      user: { type: 'string', value: 'USER_ID', help: 'for another Vault user (needs permission to manage tokens)' },
      name: { type: 'string', value: 'TOKEN_NAME', help: 'what the token is for, e.g. the integration using it' },
      ...EXPIRY_FLAGS,
    },
    notes: [
      'With several --connection flags, or --client/--env (every connection of that client group, with any --connection given): one token, same name and expiry, for you in each Vault. Every Vault is checked first (the 25-token limit, the expiry) before any is generated; one that fails is reported and never undoes the others (exit 1 after every outcome). stdout is a table of CONNECTION, TOKEN ID and VALUE; --json gives one object per Vault: connection, ok, tokenId, value (only when ok), error.',
    ],
    run: tokenGenerate,
  },
  {
    name: 'token list',
    synopsis:
      '[--connection NAME] [--client CLIENT] [--env ENV] [--status active|expiring|expired|revoked] [--expiring-within DAYS] [--stale [--stale-days DAYS]] [--never-expires]',
    summary: 'List tokens from the local inventory (offline)',
    positionals: { min: 0, max: 0, label: '' },
    flags: {
      connection: { type: 'string', value: 'NAME', help: 'only this connection' },
      ...GROUP_FLAG_SPECS,
      status: {
        type: 'string',
        multiple: true,
        value: 'STATUS',
        help: 'only these statuses (repeat or comma-separate)',
      },
      'expiring-within': {
        type: 'string',
        value: 'DAYS',
        help: 'only tokens that expire within DAYS days (revoked ones left out unless --status asks)',
      },
      stale: {
        type: 'boolean',
        help: 'only live tokens not used for the days set in the app (Settings; default 90)',
      },
      'stale-days': { type: 'string', value: 'DAYS', help: 'with --stale: not used for DAYS days (1–3650) instead' },
      'never-expires': { type: 'boolean', help: 'only live tokens that never expire' },
    },
    notes: [
      'A token never used counts as stale once it is older than the stale days (by its creation date, or when the app first saw it). Revoked and expired tokens are never stale and never "never expires". --stale and --never-expires together: tokens that are both.',
    ],
    run: tokenList,
  },
  {
    name: 'token sync',
    synopsis: '[--connection NAME] [--client CLIENT] [--env ENV]',
    summary: 'Read every token from Vault into the local inventory',
    positionals: { min: 0, max: 0, label: '' },
    flags: {
      connection: { type: 'string', value: 'NAME', help: 'only this connection (default: all)' },
      ...GROUP_FLAG_SPECS,
    },
    run: tokenSync,
  },
  {
    name: 'token revoke',
    synopsis: '--connection NAME TOKEN_ID...',
    summary: 'Revoke tokens in Vault and delete their stored values',
    positionals: { min: 1, max: 10_000, label: 'TOKEN_ID...' },
    flags: { connection: { type: 'string', value: 'NAME', help: 'the connection the tokens belong to' } },
    run: tokenRevoke,
  },
  {
    name: 'token rotate',
    synopsis:
      '(--connection NAME TOKEN_ID... | --expiring-within DAYS [--connection NAME | --client CLIENT [--env ENV]]) [--deliver] [--expires ... | --never]',
    summary:
      'Replace tokens with new ones of the same name, user and lifetime, check each with Vault, then revoke the old ones',
    positionals: { min: 0, max: 1000, label: 'TOKEN_ID...' },
    flags: {
      connection: {
        type: 'string',
        value: 'NAME',
        help: 'the connection the tokens belong to (with --expiring-within: only this connection)',
      },
      ...GROUP_FLAG_SPECS,
      'expiring-within': {
        type: 'string',
        value: 'DAYS',
        help: 'every active token that expires within DAYS days, soonest first',
      },
      deliver: {
        type: 'boolean',
        help: 'run each replacement’s delivery targets (taken over from the old token) before the check',
      },
      ...EXPIRY_FLAGS,
    },
    notes: [
      'Each token: generate the replacement, store its value in the OS keychain, deliver it (--deliver), check it with one harmless Vault call signed with the new token, and only then revoke the old one. A failure stops that token before the revoke and keeps both tokens; the output says which step failed and what to do. Without --expires or --never each replacement lives as long as the token it replaces.',
      'Tokens on one Vault are rotated one after the other; different Vaults in parallel. Progress goes to stderr. The new values go to the OS keychain only; print one with `token reveal`.',
    ],
    run: tokenRotate,
  },
  {
    name: 'token reveal',
    synopsis: '--connection NAME TOKEN_ID',
    summary: 'Print a stored token value from the OS keychain',
    positionals: { min: 1, max: 1, label: 'TOKEN_ID' },
    flags: { connection: { type: 'string', value: 'NAME', help: 'the connection the token belongs to' } },
    run: tokenReveal,
  },
  {
    name: 'token export',
    synopsis: '[--format csv|json] [--output FILE]',
    summary: 'Export the inventory (metadata only, never values)',
    positionals: { min: 0, max: 0, label: '' },
    flags: {
      format: { type: 'string', value: 'csv|json', help: 'default csv (json with --json)' },
      output: OUTPUT_FLAG,
    },
    run: tokenExport,
  },
  {
    name: 'token import',
    synopsis: 'FILE',
    summary: 'Import a JSON inventory export for review (read-only rows, metadata only)',
    positionals: { min: 1, max: 1, label: 'FILE' },
    flags: {},
    notes: [
      'FILE is an export made with `token export --format json` or Export → JSON. A token imported before (same Vault DNS and token id) is updated in place. On a terminal, progress is shown on stderr.',
    ],
    run: tokenImport,
  },
  {
    name: 'token delivery add',
    synopsis:
      '--connection NAME TOKEN_ID (--dotenv FILE --key VAR | --command [--shell] [--timeout SECONDS] -- PROG [ARG…])',
    summary: 'Add a delivery target: a dotenv file or a command that receives the token’s value on `token deliver`',
    positionals: { min: 1, max: 1, label: 'TOKEN_ID' },
    flags: {
      connection: { type: 'string', value: 'NAME', help: 'the connection the token belongs to' },
      dotenv: {
        type: 'string',
        value: 'FILE',
        help: 'replace or add VAR=value in FILE, keeping its other lines and mode (a new file is created with mode 600)',
      },
      key: { type: 'string', value: 'VAR', help: 'the variable for --dotenv, e.g. VAULT_TOKEN' },
      command: {
        type: 'boolean',
        rest: true,
        value: '-- PROG [ARG…]',
        help: 'run PROG with the value on its stdin, never in its arguments or environment; every word after -- is its argument list',
      },
      shell: {
        type: 'boolean',
        help: 'your choice, off by default: run the words after -- through /bin/sh -c (cmd /c on Windows), with everything a shell does to them',
      },
      timeout: { type: 'string', value: 'SECONDS', help: 'stop the command after SECONDS (1–3600; default 60)' },
    },
    notes: [
      'Without --shell the command runs as it is, with no shell: no globbing, pipes or variables. Put global options such as --json before --: everything after it belongs to the command.',
      'The command runs in your home directory with the value alone on stdin (no newline); its stdout is discarded, and its exit status and the end of its stderr (secrets scrubbed) are recorded. Example: token delivery add --connection "Acme QA" 123 --command -- gh secret set VAULT_TOKEN --repo acme/etl',
      'The file is replaced atomically (a temporary file in the same folder, then a rename); a symbolic link is refused.',
    ],
    run: deliveryAdd,
  },
  {
    name: 'token delivery list',
    synopsis: '[--connection NAME] [TOKEN_ID]',
    summary: 'List delivery targets and how their last run went',
    positionals: { min: 0, max: 1, label: 'TOKEN_ID' },
    flags: { connection: { type: 'string', value: 'NAME', help: 'only this connection’s tokens' } },
    run: deliveryList,
  },
  {
    name: 'token delivery remove',
    synopsis: 'DELIVERY_ID...',
    summary: 'Remove delivery targets (ids from `token delivery list`)',
    positionals: { min: 1, max: 1000, label: 'DELIVERY_ID...' },
    flags: {},
    run: deliveryRemove,
  },
  {
    name: 'token deliver',
    synopsis: '--connection NAME TOKEN_ID',
    summary: 'Run every delivery of a token now, with its value from the OS keychain',
    positionals: { min: 1, max: 1, label: 'TOKEN_ID' },
    flags: { connection: { type: 'string', value: 'NAME', help: 'the connection the token belongs to' } },
    notes: [
      'Every delivery is tried, even after one fails; the exit status is then 1. A token without a stored value cannot be delivered (exit 1).',
    ],
    run: tokenDeliver,
  },
  {
    name: 'expiring',
    synopsis: '[--within DAYS] [--client CLIENT] [--env ENV] [--fail-if-any]',
    summary: 'List tokens that expire soon (offline)',
    positionals: { min: 0, max: 0, label: '' },
    flags: {
      ...GROUP_FLAG_SPECS,
      within: { type: 'string', value: 'DAYS', help: 'look this many days ahead (default 14)' },
      'fail-if-any': { type: 'boolean', help: 'exit with status 3 if any token expires within DAYS (for cron and CI)' },
    },
    run: expiring,
  },
];

/** Flags every command accepts, before or after the command name. */
export const GLOBAL_FLAGS: Record<string, FlagSpec> = {
  'data-dir': {
    type: 'string',
    value: 'DIR',
    help: 'data directory (default: $VAULT_TOKEN_DESK_HOME, else the app’s own)',
  },
  json: { type: 'boolean', help: 'print one JSON document on stdout' },
  help: { type: 'boolean', short: 'h', help: 'show help' },
  version: { type: 'boolean', help: 'print the version' },
};

export const GROUPS = ['connection', 'token'] as const;

export function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name);
}
