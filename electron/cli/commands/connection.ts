/** `connection add | list | test | discover | remove` */
import type { z } from 'zod';
import type { CapabilityStatus } from '../../../shared/capabilities';
import type { Connection, ConnectionEnvironment } from '../../../shared/domain';
import { connectionsInGroup, environmentValue, groupFilterFlags } from '../groups';
import { compareByGroup, hasGroupFilter } from '../../../shared/connection-groups';
import { ConnectionCreate } from '../../../shared/schemas';
import { call } from '../call';
import { EXIT, type ExitCode } from '../errors';
import { formatMoment, table, type Cell } from '../format';
import { connectionToJson, jsonDocument } from '../json';
import { boolFlag, exclusive, requiredFlag, stringFlag, type Runtime } from '../runtime';
import { CliError, UsageError } from '../errors';
import { canOpenBrowser } from '../browser';
import { chooseProfile } from '../../sso/discovery';
import type { SsoSignInResult } from '../../../shared/contract/connections';
import { promptHidden, readSecretFromStdin } from '../secrets';
import { connectionByName, parseInput, shellWord, withLogin } from '../session';

const ADD_FLAGS = {
  name: 'NAME',
  dns: '--dns',
  username: '--username',
  apiVersion: '--api-version',
  clientId: '--client-id',
  secret: 'the secret on stdin',
  authMethod: '--token-stdin',
  loginHost: '--login-host',
  idpClientId: '--idp-client-id',
  client: '--client',
  environment: '--env',
};

/** `--client` / `--env` of `connection add` and `edit`: undefined when not given; '' (or `--env none`) clears. */
function groupValues(rt: Runtime): { client?: string | null; environment?: ConnectionEnvironment | null } {
  const client = stringFlag(rt, 'client');
  const env = stringFlag(rt, 'env');
  return {
    ...(client !== undefined ? { client: client.trim() || null } : {}),
    ...(env !== undefined
      ? { environment: env.trim() === '' || env.trim().toLowerCase() === 'none' ? null : environmentValue(rt, env) }
      : {}),
  };
}

export async function connectionAdd(rt: Runtime): Promise<ExitCode> {
  if (boolFlag(rt, 'sso')) return connectionAddSso(rt);
  for (const flag of ['device-code', 'login-host', 'idp-client-id']) {
    if (rt.values[flag] !== undefined) throw new UsageError(`--${flag} only goes with --sso`, rt.command);
  }
  const name = rt.positionals[0]!;
  const dns = requiredFlag(rt, 'dns', 'HOST[:PORT]');
  const username = requiredFlag(rt, 'username', 'USER');
  exclusive(rt, 'password-stdin', 'token-stdin');
  const authMethod = boolFlag(rt, 'token-stdin') ? ('token' as const) : ('password' as const);
  const apiVersion = stringFlag(rt, 'api-version');
  const clientId = stringFlag(rt, 'client-id');
  const base = {
    name,
    dns,
    username,
    authMethod,
    ...(apiVersion !== undefined ? { apiVersion } : {}),
    ...(clientId !== undefined ? { clientId } : {}),
    ...groupValues(rt),
  };
  // Check the flags before reading stdin or asking for anything.
  const checked = parseInput(rt, ConnectionCreate, { ...base, rememberSecret: false }, ADD_FLAGS);

  const what = authMethod === 'token' ? 'API access token' : 'password';
  let secret: string | undefined;
  if (boolFlag(rt, 'password-stdin')) secret = await readSecretFromStdin(rt.io.stdin, '--password-stdin', rt.command);
  else if (boolFlag(rt, 'token-stdin')) secret = await readSecretFromStdin(rt.io.stdin, '--token-stdin', rt.command);
  else if (rt.io.stdin.isTTY) {
    secret =
      (await promptHidden(`Password for ${username} (Enter to not remember one): `, rt.io.stdin, rt.io.stderr)) ||
      undefined;
  }
  // Adding the same connection again with a secret remembers (or replaces) its secret: this is
  // how a script supplies the password of a connection that has none, and re-running a setup
  // script stays harmless. Anything else under an existing name is refused by the service.
  const existing =
    secret === undefined
      ? undefined
      : (await call(rt, 'connections:list', undefined)).find((c) => sameConnection(c, checked, apiVersion, clientId));
  if (existing && secret !== undefined) {
    const updated = await call(
      rt,
      'connections:update',
      {
        id: existing.id,
        name: existing.name,
        dns: existing.dns,
        apiVersion: existing.apiVersion,
        username: existing.username,
        authMethod: existing.authMethod,
        clientId: existing.clientId,
        rememberSecret: true,
        secret,
        ...groupValues(rt),
      },
      ADD_FLAGS,
    );
    if (rt.json) rt.out(jsonDocument(connectionToJson(updated)));
    else
      rt.out(
        `Connection “${updated.name}” already exists with these settings; its ${what} is now remembered in the OS keychain.\n`,
      );
    return EXIT.ok;
  }
  const created = await call(
    rt,
    'connections:create',
    { ...base, rememberSecret: secret !== undefined, ...(secret !== undefined ? { secret } : {}) },
    ADD_FLAGS,
  );

  if (rt.json) {
    rt.out(jsonDocument(connectionToJson(created)));
    return EXIT.ok;
  }
  const remembered = created.secretStored
    ? `${what} remembered in the OS keychain`
    : `no ${what} remembered: commands that sign in will ask for it on a terminal`;
  rt.out(
    `Added connection “${created.name}”: ${created.dns} as ${created.username} (API ${created.apiVersion}); ${remembered}.\n`,
  );
  rt.out(`Check it with: vault-token-desk connection test ${shellWord(created.name)}\n`);
  return EXIT.ok;
}

/**
 * `connection add NAME --dns HOST --username USER --sso`: discovery first (a password or SAML-only
 * user is told so and nothing is saved), then the connection, then the browser or device sign-in.
 */
async function connectionAddSso(rt: Runtime): Promise<ExitCode> {
  exclusive(rt, 'sso', 'password-stdin');
  exclusive(rt, 'sso', 'token-stdin');
  const apiVersion = stringFlag(rt, 'api-version');
  const clientId = stringFlag(rt, 'client-id');
  const loginHost = stringFlag(rt, 'login-host');
  const idpClientId = stringFlag(rt, 'idp-client-id');
  const input = parseInput(
    rt,
    ConnectionCreate,
    {
      name: rt.positionals[0]!,
      dns: requiredFlag(rt, 'dns', 'HOST[:PORT]'),
      username: requiredFlag(rt, 'username', 'USER'),
      authMethod: 'sso',
      rememberSecret: true,
      ...(apiVersion !== undefined ? { apiVersion } : {}),
      ...(clientId !== undefined ? { clientId } : {}),
      ...(loginHost !== undefined ? { loginHost } : {}),
      ...(idpClientId !== undefined ? { idpClientId } : {}),
      ...groupValues(rt),
    },
    ADD_FLAGS,
  );
  // Refuses a password user, a SAML-only Vault or an unmapped client id before anything is saved.
  const found = await rt.ctx().gateway.sso.discover(input);
  chooseProfile(found, { username: input.username, clientId: input.clientId, idpClientId: input.idpClientId });
  const created = await call(rt, 'connections:create', input, ADD_FLAGS);
  try {
    const signedIn = await ssoLogin(rt, created);
    if (rt.json) rt.out(jsonDocument(connectionToJson(rt.ctx().connections.require(created.id))));
    else
      rt.out(
        `Added connection “${created.name}”: ${created.dns} as ${created.username}, signed in with ${signedIn.profile.label}; ${signedIn.refreshStored ? 'renewal kept in the OS keychain' : 'the identity provider gave no renewal, so sign in again when the session ends'}.\n`,
      );
    return EXIT.ok;
  } catch (error) {
    rt.note(
      `The connection “${created.name}” was saved, but the sign-in did not finish; run \`vault-token-desk connection login ${shellWord(created.name)}\` to sign in.`,
    );
    throw error;
  }
}

/** `connection login NAME [--device-code]`: signs in again with single sign-on. */
export async function connectionLogin(rt: Runtime): Promise<ExitCode> {
  const connection = connectionByName(rt, rt.positionals[0]!);
  if (connection.authMethod !== 'sso')
    throw new CliError(
      `“${connection.name}” signs in with ${connection.authMethod === 'password' ? 'a password' : connection.authMethod === 'token' ? 'an API access token' : 'a session id'}, not single sign-on; remember its secret with \`vault-token-desk connection add\``,
    );
  const result = await ssoLogin(rt, connection);
  if (rt.json)
    rt.out(
      jsonDocument({
        connection: connection.name,
        signedIn: true,
        profile: result.profile.label,
        refreshStored: result.refreshStored,
      }),
    );
  else
    rt.out(
      `Signed in to “${connection.name}” with ${result.profile.label}; ${result.refreshStored ? 'renewal kept in the OS keychain' : 'no renewal was issued, so sign in again when the session ends'}.\n`,
    );
  return EXIT.ok;
}

/** Runs the sign-in the way this machine can: the browser, or a device code when asked or when there is no browser. */
export async function ssoLogin(rt: Runtime, connection: Connection): Promise<SsoSignInResult> {
  const mode = boolFlag(rt, 'device-code') || !canOpenBrowser(rt.io.env) ? 'device' : 'browser';
  return call(rt, 'connections:sso-sign-in', { id: connection.id, mode });
}

/** Same name (any case), DNS, user and login method, and the same API version / client id when those flags were given. */
function sameConnection(
  c: Connection,
  wanted: z.output<typeof ConnectionCreate>,
  apiVersion: string | undefined,
  clientId: string | undefined,
): boolean {
  return (
    c.name.toLowerCase() === wanted.name.toLowerCase() &&
    c.dns === wanted.dns &&
    c.username.toLowerCase() === wanted.username.toLowerCase() &&
    c.authMethod === wanted.authMethod &&
    (apiVersion === undefined || c.apiVersion === wanted.apiVersion) &&
    (clientId === undefined || c.clientId === wanted.clientId)
  );
}

/**
 * `connection edit NAME [--client CLIENT] [--env ENV] [--rename NEW] [--api-version vNN.N] [--client-id ID]`:
 * changes only what is given; the remembered secret, DNS, user and sign-in method stay.
 */
export async function connectionEdit(rt: Runtime): Promise<ExitCode> {
  const current = connectionByName(rt, rt.positionals[0]!);
  const rename = rt.values.rename === undefined ? undefined : requiredFlag(rt, 'rename', 'NEW_NAME');
  const apiVersion = stringFlag(rt, 'api-version');
  const clientId = stringFlag(rt, 'client-id');
  const groups = groupValues(rt);
  if (rename === undefined && apiVersion === undefined && clientId === undefined && Object.keys(groups).length === 0)
    throw new UsageError('nothing to change: give --client, --env, --rename, --api-version or --client-id', rt.command);
  const updated = await call(
    rt,
    'connections:update',
    {
      id: current.id,
      name: rename ?? current.name,
      dns: current.dns,
      apiVersion: apiVersion ?? current.apiVersion,
      username: current.username,
      authMethod: current.authMethod,
      clientId: clientId ?? current.clientId,
      // Keeps a remembered secret (the update forgets it only when told to).
      rememberSecret: current.secretStored,
      loginHost: current.loginHost,
      idpClientId: current.idpClientId,
      ...groups,
    },
    { ...ADD_FLAGS, name: '--rename' },
  );
  if (rt.json) rt.out(jsonDocument(connectionToJson(updated)));
  else
    rt.out(
      `Updated connection “${updated.name}”: client ${updated.client ?? '(none)'}, environment ${updated.environment ?? '(none)'}, API ${updated.apiVersion}.\n`,
    );
  return EXIT.ok;
}

export async function connectionList(rt: Runtime): Promise<ExitCode> {
  const filter = groupFilterFlags(rt);
  const connections = hasGroupFilter(filter)
    ? await connectionsInGroup(rt, filter)
    : await call(rt, 'connections:list', undefined);
  const health = await call(rt, 'connections:health', undefined);
  const byId = new Map(health.map((h) => [h.connectionId, h]));
  if (rt.json) {
    rt.out(jsonDocument(connections.map((c) => connectionToJson(c, byId.get(c.id)))));
    return EXIT.ok;
  }
  if (connections.length === 0) {
    rt.out(
      'No connections yet. Add one with: vault-token-desk connection add NAME --dns HOST --username USER --password-stdin\n',
    );
    return EXIT.ok;
  }
  const p = rt.paint.out;
  // Client groups (issue 15): with any client or environment set, the list is sorted by client, then
  // environment (DEV → PROD), then name, with a CLIENT and ENV column; otherwise it stays as it was.
  const grouped = connections.some((c) => c.client || c.environment);
  const ordered = grouped ? [...connections].sort(compareByGroup) : connections;
  const rows: Cell[][] = ordered.map((c) => {
    const h = byId.get(c.id);
    const vault = h?.vaultName ? `${h.vaultName} (${h.vaultId})` : h?.vaultId ? String(h.vaultId) : '—';
    const sync: Cell = h?.lastSyncError ? { text: 'failed', paint: p.red } : formatMoment(h?.lastSyncedAt ?? null);
    const group: Cell[] = grouped
      ? [
          c.client ?? { text: '—', paint: p.dim },
          c.environment === 'PROD' ? { text: 'PROD', paint: p.red } : (c.environment ?? { text: '—', paint: p.dim }),
        ]
      : [];
    return [
      c.name,
      ...group,
      c.dns,
      c.username,
      c.authMethod,
      c.secretStored ? 'keychain' : { text: 'ask', paint: p.dim },
      vault,
      sync,
    ];
  });
  const header = [
    'NAME',
    ...(grouped ? ['CLIENT', 'ENV'] : []),
    'DNS',
    'USER',
    'LOGIN',
    'SECRET',
    'VAULT',
    'LAST SYNC',
  ];
  rt.out(table(header, rows, p.bold));
  return EXIT.ok;
}

/** Read-only capability check: a table of what this login may do here; `--json` has stable field names. */
export async function connectionTest(rt: Runtime): Promise<ExitCode> {
  const connection = connectionByName(rt, rt.positionals[0]!);
  const r = await withLogin(rt, connection, () => call(rt, 'connections:test', { id: connection.id }));
  if (rt.json) {
    rt.out(
      jsonDocument({
        connection: connection.name,
        ok: true,
        user: r.user,
        vault: r.vault,
        apiVersion: r.apiVersion,
        apiVersions: r.apiVersions,
        burstLimitRemaining: r.burstLimitRemaining,
        seesAllTokens: r.seesAllTokens,
        checks: r.checks.map((c) => ({ id: c.id, label: c.label, status: c.status, detail: c.detail })),
      }),
    );
    return EXIT.ok;
  }
  const p = rt.paint.out;
  const mark = (status: CapabilityStatus): Cell =>
    status === 'yes'
      ? { text: 'yes', paint: p.green }
      : status === 'no'
        ? { text: 'no', paint: p.red }
        : { text: 'unknown', paint: p.dim };
  const vault = r.vault.name ? `${r.vault.name} (Vault ${r.vault.id})` : `Vault ${r.vault.id}`;
  rt.out(
    `“${connection.name}”: ${vault} at ${r.vault.dns}, as ${r.user.userName ?? r.user.displayName} (user ${r.user.id}). Nothing was changed.\n`,
  );
  rt.out(
    table(
      ['CHECK', 'RESULT', 'DETAIL'],
      r.checks.map((c) => [c.label, mark(c.status), c.detail]),
      p.bold,
    ),
  );
  return EXIT.ok;
}

/**
 * The Vaults NAME's login reaches (its `vaultIds`, docs/vault-api.md §3.2); with `--add`, adds the ones
 * not added yet, named after the Vault, with the same sign-in, and tests and syncs each (issue 15).
 * JSON rows: `name`, `vaultId`, `dns`, `added`; with `--add` also `connection`, `status`, `synced`,
 * `tokens`, `message`. Exit 1 if any Vault could not be added, tested or synced.
 */
export async function connectionDiscover(rt: Runtime): Promise<ExitCode> {
  const connection = connectionByName(rt, rt.positionals[0]!);
  const reachable = await withLogin(rt, connection, () => call(rt, 'connections:reachable', { id: connection.id }));
  const p = rt.paint.out;
  if (!boolFlag(rt, 'add')) {
    const rows = reachable.map((v) => ({
      name: v.name,
      vaultId: v.vaultId,
      dns: v.dns,
      added: v.connectionId !== null,
    }));
    if (rt.json) {
      rt.out(jsonDocument(rows));
      return EXIT.ok;
    }
    const missing = rows.filter((r) => !r.added).length;
    rt.out(
      table(
        ['VAULT', 'ID', 'DNS', 'ADDED'],
        rows.map((r) => [r.name ?? '', String(r.vaultId), r.dns, r.added ? 'yes' : { text: 'no', paint: p.dim }]),
        p.bold,
      ),
    );
    if (missing)
      rt.note(
        `Add the ${missing} not added yet with: vault-token-desk connection discover ${shellWord(connection.name)} --add`,
      );
    return EXIT.ok;
  }
  const wanted = reachable.filter((v) => v.connectionId === null).map((v) => v.vaultId);
  const outcomes = wanted.length
    ? await call(rt, 'connections:add-reachable', {
        id: connection.id,
        vaultIds: wanted,
        ...(rt.values.client !== undefined ? { client: stringFlag(rt, 'client') ?? '' } : {}),
      })
    : [];
  const byVault = new Map(outcomes.map((o) => [o.vaultId, o]));
  const rows = reachable.map((v) => {
    const o = byVault.get(v.vaultId);
    const name =
      rt
        .ctx()
        .connections.list()
        .find((c) => c.id === (o?.connectionId ?? v.connectionId))?.name ?? null;
    return {
      name: v.name,
      vaultId: v.vaultId,
      dns: v.dns,
      // Added now, or before (the source's own Vault too): the same meaning as without --add.
      added: v.connectionId !== null || o?.status === 'added',
      connection: name,
      status: o ? o.status : ('already-added' as const),
      synced: o ? o.synced : null,
      tokens: o ? o.tokens : null,
      message: o ? o.message : null,
    };
  });
  const failed = outcomes.filter(
    (o) => o.status === 'failed' || (o.status === 'added' && !o.synced) || (!o.synced && o.message !== null),
  ).length;
  if (rt.json) rt.out(jsonDocument(rows));
  else {
    rt.out(
      table(
        ['VAULT', 'DNS', 'CONNECTION', 'RESULT', 'DETAIL'],
        rows.map((r) => [
          r.name ?? String(r.vaultId),
          r.dns,
          r.connection ?? '',
          r.status === 'already-added' && r.synced
            ? { text: `synced, ${r.tokens} token(s)`, paint: p.green }
            : r.status === 'already-added'
              ? { text: 'already added', paint: p.dim }
              : r.status === 'failed' || !r.synced
                ? { text: r.status === 'failed' ? 'not added' : 'added, not synced', paint: p.red }
                : { text: `added, ${r.tokens} token(s)`, paint: p.green },
          r.message ?? '',
        ]),
        p.bold,
      ),
    );
  }
  return failed ? EXIT.failure : EXIT.ok;
}

export async function connectionRemove(rt: Runtime): Promise<ExitCode> {
  const connection = connectionByName(rt, rt.positionals[0]!);
  // A saved sign-in shared with other connections stays for them (issue 15).
  const sharing = connection.secretStored ? rt.ctx().connections.signInUsers(connection, connection.id).length : 0;
  await call(rt, 'connections:remove', { id: connection.id });
  if (rt.json) rt.out(jsonDocument({ removed: true, name: connection.name, id: connection.id }));
  else if (sharing)
    rt.out(
      `Removed connection “${connection.name}”; its saved sign-in stays for the ${sharing} other connection${sharing === 1 ? '' : 's'} that use it.\n`,
    );
  else rt.out(`Removed connection “${connection.name}” and its remembered secret.\n`);
  return EXIT.ok;
}
