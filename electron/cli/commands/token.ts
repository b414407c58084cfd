/** `token generate | list | sync | revoke | rotate | reveal | export` and `expiring` */
import { writeOutputFile } from '../files';
import { GenerateRequest } from '../../../shared/contract/tokens';
import type { InventoryQueryInput } from '../../../shared/token-schemas';
import {
  DEFAULT_EXPIRING_SOON_DAYS,
  TOKEN_STATUSES,
  type RevokeOutcome,
  type SyncOutcome,
  type TokenRow,
  type TokenStatus,
  type TokenTarget,
} from '../../../shared/tokens';
import type { Connection } from '../../../shared/domain';
import { MAX_STALE_AFTER_DAYS } from '../../../shared/nudges';
import { call } from '../call';
import { connectionsInGroup, groupFilterFlags } from '../groups';
import { hasGroupFilter } from '../../../shared/connection-groups';
import { ssoLogin } from './connection';
import { connectionFlags, tokenGenerateMany } from './generate-many';
import { CliError, EXIT, oneLine, UsageError, type ExitCode } from '../errors';
import { formatDay, formatExpiry, plural, statusPaint, table, type Cell } from '../format';
import { jsonDocument, tokenToJson, tokenWithValueToJson } from '../json';
import { rotationToJson } from '../rotation-json';
import type { RotationOutcome, RotationSelectionInput } from '../../../shared/contract/rotation';
import { boolFlag, daysFlag, exclusive, listFlag, requiredFlag, stringFlag, type Runtime } from '../runtime';
import {
  connectionByName,
  ensureLogin,
  expiryFromFlags,
  needsSecret,
  noSecretMessage,
  parseInput,
  shellWord,
  tokenById,
  withLogin,
} from '../session';

const PAGE = 1000;

/** Every row of the local inventory matching `query`, page by page (read-only, offline). */
async function allRows(rt: Runtime, query: Omit<InventoryQueryInput, 'offset' | 'limit'>): Promise<TokenRow[]> {
  const rows: TokenRow[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await call(rt, 'tokens:query', { ...query, offset, limit: PAGE });
    rows.push(...page.rows);
    if (page.rows.length < PAGE || rows.length >= page.total) return rows;
  }
}

function tokenTable(rt: Runtime, rows: TokenRow[]): string {
  const p = rt.paint.out;
  const now = rt.now();
  const cells: Cell[][] = rows.map((r) => [
    r.connectionName,
    r.tokenId,
    r.name,
    r.userName ? `${r.userName} (${r.userId})` : r.userId,
    { text: r.status, paint: statusPaint(r.status, p) },
    {
      text: formatExpiry(r.expiresAt, now),
      paint: r.status === 'expiring' ? p.yellow : r.status === 'expired' ? p.red : undefined,
    },
    formatDay(r.lastUsedAt),
    r.secretStored ? 'yes' : { text: 'no', paint: p.dim },
  ]);
  return table(['CONNECTION', 'TOKEN ID', 'NAME', 'USER', 'STATUS', 'EXPIRES', 'LAST USED', 'KEYCHAIN'], cells, p.bold);
}

function describeExpiry(row: TokenRow, now: Date): string {
  return row.expiresAt ? `expires ${formatExpiry(row.expiresAt, now)}` : 'never expires';
}

// ---- generate --------------------------------------------------------------------------------

export async function tokenGenerate(rt: Runtime): Promise<ExitCode> {
  // `--client`/`--env` (issue 16 item 1): every connection of the client group, after any --connection.
  const groupFilter = groupFilterFlags(rt);
  const byGroup = hasGroupFilter(groupFilter);
  const named = connectionFlags(rt);
  const inGroup = byGroup ? (await connectionsInGroup(rt, groupFilter)).map((c) => c.name) : [];
  const connectionNames = [...named, ...inGroup.filter((n) => !named.includes(n))];
  if (connectionNames.length === 0) throw new UsageError('missing --connection NAME (or --client CLIENT)', rt.command);
  const connectionName = connectionNames[0]!;
  exclusive(rt, 'me', 'user');
  const userId = stringFlag(rt, 'user');
  if (!boolFlag(rt, 'me') && userId === undefined)
    throw new UsageError('say whom the token is for: --me or --user USER_ID', rt.command);
  const name = requiredFlag(rt, 'name', 'TOKEN_NAME');
  const expiry = expiryFromFlags(rt);
  // Several Vaults: one result per Vault (generate-many.ts). One keeps the output it always had.
  if (connectionNames.length > 1 || byGroup) return tokenGenerateMany(rt, connectionNames, name, expiry);
  const target: TokenTarget = userId === undefined ? { kind: 'me' } : { kind: 'user', userId };
  const flags = { name: '--name', target: userId === undefined ? '--me' : '--user', expiry: '--expires' };
  // Refuse bad input before signing in or asking for a password.
  parseInput(rt, GenerateRequest, { connectionId: 'check', target, name, expiry }, flags);

  const connection = connectionByName(rt, connectionName);
  const result = await withLogin(rt, connection, () =>
    call(rt, 'tokens:generate', { connectionId: connection.id, target, name, expiry }, flags),
  );
  const { value } = await call(rt, 'tokens:reveal', { rowId: result.token.rowId });

  if (!rt.json) {
    const whom = target.kind === 'me' ? 'you' : `user ${target.userId}`;
    const stored = result.secretStored ? 'the value is stored in the OS keychain' : 'the value is NOT stored';
    rt.note(
      `Generated “${result.token.name}” (${result.token.tokenId}) for ${whom} on “${connection.name}”, ${describeExpiry(result.token, rt.now())}; ${stored}.`,
    );
  }
  if (!result.secretStored) {
    rt.note(
      `${rt.paint.err.yellow('warning:')} ${oneLine(result.keychainError ?? 'the OS keychain refused the value')} Save the value printed now: Vault never shows it again.`,
    );
  }
  rt.out(rt.json ? jsonDocument(tokenWithValueToJson(result.token, value)) : `${value}\n`);
  return EXIT.ok;
}

// ---- list, expiring --------------------------------------------------------------------------

function statusesFlag(rt: Runtime): TokenStatus[] | undefined {
  const wanted = listFlag(rt, 'status');
  if (wanted.length === 0) return undefined;
  for (const s of wanted) {
    if (!(TOKEN_STATUSES as readonly string[]).includes(s))
      throw new UsageError(`--status takes ${TOKEN_STATUSES.join(', ')}`, rt.command);
  }
  return [...new Set(wanted)] as TokenStatus[];
}

function staleDaysFlag(rt: Runtime): number | undefined {
  const v = stringFlag(rt, 'stale-days');
  if (v === undefined) return undefined;
  const n = /^\d{1,4}$/.test(v.trim()) ? Number(v) : NaN;
  if (!(n >= 1 && n <= MAX_STALE_AFTER_DAYS))
    throw new UsageError(
      `--stale-days takes a whole number of days (1–${MAX_STALE_AFTER_DAYS}), e.g. --stale-days 90`,
      rt.command,
    );
  return n;
}

/** `--client` / `--env` as inventory query fields (main resolves them to connections), checked to match one. */
async function groupQuery(rt: Runtime): Promise<Pick<InventoryQueryInput, 'clients' | 'environments'>> {
  const filter = groupFilterFlags(rt);
  if (!hasGroupFilter(filter)) return {};
  await connectionsInGroup(rt, filter);
  return {
    ...(filter.clients?.length ? { clients: [...filter.clients] } : {}),
    ...(filter.environments?.length ? { environments: [...filter.environments] } : {}),
  };
}

export async function tokenList(rt: Runtime): Promise<ExitCode> {
  const statuses = statusesFlag(rt);
  const within = daysFlag(rt, 'expiring-within');
  const connectionName = rt.values.connection === undefined ? undefined : requiredFlag(rt, 'connection', 'NAME');
  const staleDays = staleDaysFlag(rt);
  const stale = boolFlag(rt, 'stale') || staleDays !== undefined;
  const neverExpires = boolFlag(rt, 'never-expires');
  const connection = connectionName === undefined ? undefined : connectionByName(rt, connectionName);
  const groups = await groupQuery(rt);
  const rows = await allRows(rt, {
    ...(connection ? { connectionIds: [connection.id] } : {}),
    // The nudges (shared/nudges.ts); without --stale-days, main takes the app's Settings value.
    ...(stale ? { stale: true } : {}),
    ...(staleDays !== undefined ? { staleAfterDays: staleDays } : {}),
    ...(neverExpires ? { neverExpires: true } : {}),
    ...groups,
    // "Expiring within" is about tokens that can still expire: revoked ones are left out unless asked for.
    ...(statuses ? { statuses } : within !== undefined ? { statuses: ['active', 'expiring'] as TokenStatus[] } : {}),
    ...(within !== undefined ? { expiresWithinDays: within } : {}),
  });
  if (rt.json) rt.out(jsonDocument(rows.map(tokenToJson)));
  else if (rows.length === 0)
    rt.out('No tokens match. (The list shows the local inventory; run `vault-token-desk token sync` to refresh it.)\n');
  else rt.out(tokenTable(rt, rows));
  return EXIT.ok;
}

export async function expiring(rt: Runtime): Promise<ExitCode> {
  const within = daysFlag(rt, 'within') ?? DEFAULT_EXPIRING_SOON_DAYS;
  const rows = await allRows(rt, {
    statuses: ['active', 'expiring'],
    expiresWithinDays: within,
    ...(await groupQuery(rt)),
  });
  if (rt.json) rt.out(jsonDocument(rows.map(tokenToJson)));
  else if (rows.length === 0) rt.out(`No tokens expire within ${plural(within, 'day')}.\n`);
  else rt.out(tokenTable(rt, rows));
  return rows.length > 0 && boolFlag(rt, 'fail-if-any') ? EXIT.found : EXIT.ok;
}

// ---- sync ------------------------------------------------------------------------------------

export async function tokenSync(rt: Runtime): Promise<ExitCode> {
  const connectionName = rt.values.connection === undefined ? undefined : requiredFlag(rt, 'connection', 'NAME');
  const inGroup = await connectionsInGroup(rt, groupFilterFlags(rt));
  const chosen = connectionName === undefined ? inGroup : [connectionByName(rt, connectionName)];
  if (connectionName !== undefined && !inGroup.some((c) => c.id === chosen[0]!.id))
    throw new CliError(`“${connectionName}” is not in the --client / --env group asked for`);
  if (chosen.length === 0) {
    if (rt.json) rt.out(jsonDocument([]));
    else
      rt.out(
        'No connections to sync. Add one with: vault-token-desk connection add NAME --dns HOST --username USER --password-stdin\n',
      );
    return EXIT.ok;
  }

  // Secrets first, so that a prompt never interrupts the progress line. Without a
  // terminal, connections lacking a remembered secret are skipped and reported.
  const skipped: SyncOutcome[] = [];
  const runnable = [];
  for (const c of chosen) {
    if (needsSecret(rt, c) && !rt.io.stdin.isTTY) {
      if (connectionName !== undefined) throw new CliError(noSecretMessage(c));
      skipped.push({
        connectionId: c.id,
        connectionName: c.name,
        ok: false,
        errorCode: 'NEEDS_SECRET',
        added: 0,
        updated: 0,
        revoked: 0,
        total: 0,
        message: noSecretMessage(c),
        durationMs: 0,
      });
      continue;
    }
    await ensureLogin(rt, c);
    runnable.push(c);
  }

  const progress = rt.progress;
  progress.start(runnable);
  let synced: SyncOutcome[] = [];
  try {
    synced = runnable.length ? await call(rt, 'tokens:sync', { connectionIds: runnable.map((c) => c.id) }) : [];
  } finally {
    progress.finish();
  }
  for (const s of skipped) progress.skipped(s.connectionName, s.message ?? '');
  synced = await signInAndSyncAgain(rt, chosen, synced);
  const byId = new Map([...synced, ...skipped].map((o) => [o.connectionId, o]));
  const outcomes = chosen.map((c) => byId.get(c.id)!);

  if (rt.json) {
    rt.out(
      jsonDocument(
        outcomes.map((o) => ({
          connection: o.connectionName,
          ok: o.ok,
          total: o.total,
          added: o.added,
          updated: o.updated,
          revoked: o.revoked,
          message: o.message,
          durationMs: o.durationMs,
        })),
      ),
    );
  } else {
    const p = rt.paint.out;
    rt.out(
      table(
        ['CONNECTION', 'RESULT', 'TOKENS', 'NEW', 'UPDATED', 'REVOKED', 'TIME'],
        outcomes.map((o) => [
          o.connectionName,
          o.ok ? { text: 'ok', paint: p.green } : { text: 'failed', paint: p.red },
          String(o.total),
          String(o.added),
          String(o.updated),
          String(o.revoked),
          o.durationMs ? `${(o.durationMs / 1000).toFixed(1)} s` : '—',
        ]),
        p.bold,
      ),
    );
  }
  const failed = outcomes.filter((o) => !o.ok);
  if (failed.length === 0) return EXIT.ok;
  const first = failed[0]!;
  const more = failed.length > 1 ? `; and ${plural(failed.length - 1, 'more connection')} (see above)` : '';
  throw new CliError(
    `sync failed for ${failed.length} of ${plural(outcomes.length, 'connection')}: “${first.connectionName}”: ${first.message ?? 'unknown error'}${more}`,
  );
}

/**
 * Single sign-on connections whose sign-in ended and could not renew itself: on a terminal, sign in
 * (the browser or a device code) and sync them again; otherwise say which command signs in.
 */
async function signInAndSyncAgain(rt: Runtime, chosen: Connection[], synced: SyncOutcome[]): Promise<SyncOutcome[]> {
  const ended = synced.filter((o) => o.errorCode === 'SIGN_IN_REQUIRED');
  if (ended.length === 0) return synced;
  const byId = new Map(chosen.map((c) => [c.id, c]));
  if (!rt.io.stdin.isTTY) {
    return synced.map((o) =>
      o.errorCode === 'SIGN_IN_REQUIRED'
        ? {
            ...o,
            message: `${(o.message ?? 'sign in again').replace(/\.$/, '')}; stdin is not a terminal, so run \`vault-token-desk connection login ${shellWord(o.connectionName)}\` in a terminal first`,
          }
        : o,
    );
  }
  const again: string[] = [];
  for (const o of ended) {
    rt.note(o.message ?? `Sign in again to “${o.connectionName}”.`);
    await ssoLogin(rt, byId.get(o.connectionId)!);
    again.push(o.connectionId);
  }
  const retried = await call(rt, 'tokens:sync', { connectionIds: again });
  const fresh = new Map(retried.map((o) => [o.connectionId, o]));
  return synced.map((o) => fresh.get(o.connectionId) ?? o);
}

// ---- revoke ----------------------------------------------------------------------------------

function describeRevokeFailure(o: RevokeOutcome): string {
  const message = o.message ?? 'not revoked';
  return o.vaultErrorType
    ? `Vault refused: ${o.tokenId}: ${message} (${o.vaultErrorType})`
    : `${o.tokenId}: ${message}`;
}

export async function tokenRevoke(rt: Runtime): Promise<ExitCode> {
  const connection = connectionByName(rt, requiredFlag(rt, 'connection', 'NAME'));
  const ids = [...new Set(rt.positionals.map((id) => id.trim()).filter(Boolean))];
  if (ids.length === 0) throw new UsageError('missing TOKEN_ID', rt.command);
  const rows = ids.map((id) => tokenById(rt, connection, id));
  const revoke = () => call(rt, 'tokens:revoke', { rowIds: rows.map((r) => r.rowId) });
  // Tokens already revoked need no Vault call, hence no login.
  const outcomes = rows.some((r) => r.status !== 'revoked') ? await withLogin(rt, connection, revoke) : await revoke();
  const names = new Map(rows.map((r) => [r.rowId, r.name]));

  if (rt.json) {
    rt.out(
      jsonDocument(
        outcomes.map((o) => ({
          tokenId: o.tokenId,
          name: names.get(o.rowId) ?? null,
          ok: o.ok,
          message: o.message,
          vaultErrorType: o.vaultErrorType,
        })),
      ),
    );
  } else {
    const p = rt.paint.out;
    for (const o of outcomes) {
      const name = names.get(o.rowId) ?? '';
      if (o.ok)
        rt.out(
          `${p.green(o.message === 'Already revoked.' ? 'already revoked' : 'revoked')}  ${o.tokenId}  “${name}”\n`,
        );
      else rt.out(`${p.red('FAILED')}  ${o.tokenId}  “${name}”\n`);
    }
  }
  const failed = outcomes.filter((o) => !o.ok);
  if (failed.length === 0) return EXIT.ok;
  const prefix = outcomes.length > 1 ? `${failed.length} of ${plural(outcomes.length, 'token')} not revoked: ` : '';
  throw new CliError(`${prefix}${failed.map(describeRevokeFailure).join('; ')}`);
}

// ---- rotate ----------------------------------------------------------------------------------

/**
 * `token rotate --connection NAME TOKEN_ID…` or `token rotate --expiring-within DAYS [--connection
 * NAME]`: each token through generate, store, deliver (with --deliver), a live check signed with the
 * new token, and only then the revoke (electron/tokens/bulk-rotation.ts). Progress on stderr.
 */
export async function tokenRotate(rt: Runtime): Promise<ExitCode> {
  const within = daysFlag(rt, 'expiring-within');
  const ids = [...new Set(rt.positionals.map((id) => id.trim()).filter(Boolean))];
  if (within !== undefined && ids.length > 0)
    throw new UsageError('give TOKEN_IDs or --expiring-within DAYS, not both', rt.command);
  if (within === undefined && ids.length === 0)
    throw new UsageError('say which tokens: TOKEN_ID… with --connection NAME, or --expiring-within DAYS', rt.command);
  const expiry = rt.values.expires !== undefined || rt.values.never !== undefined ? expiryFromFlags(rt) : undefined;
  const connectionName = within === undefined ? requiredFlag(rt, 'connection', 'NAME') : stringFlag(rt, 'connection');
  const connection = connectionName === undefined ? undefined : connectionByName(rt, connectionName);
  const groupFilter = groupFilterFlags(rt);
  if (hasGroupFilter(groupFilter) && (within === undefined || connection))
    throw new UsageError('--client and --env go with --expiring-within DAYS, instead of --connection', rt.command);
  // The connections in scope: one, a client group, or all (undefined).
  const scope = connection
    ? [connection.id]
    : hasGroupFilter(groupFilter)
      ? (await connectionsInGroup(rt, groupFilter)).map((c) => c.id)
      : undefined;

  let selection: RotationSelectionInput;
  const blocked: RotationOutcome[] = [];
  if (within === undefined) {
    selection = { rowIds: ids.map((id) => tokenById(rt, connection!, id).rowId) };
    await ensureLogin(rt, connection!);
  } else {
    // Sign in to every connection with a token due first, so that no prompt interrupts the progress;
    // without a terminal, connections lacking a remembered secret are reported and left out.
    const due = await call(rt, 'tokens:rotate-preview', {
      selection: { expiringWithinDays: within, ...(scope ? { connectionIds: scope } : {}) },
    });
    const usable: string[] = [];
    for (const id of new Set(due.filter((o) => o.state === 'queued').map((o) => o.connectionId!))) {
      const c = rt.ctx().connections.require(id);
      if (needsSecret(rt, c) && !rt.io.stdin.isTTY) {
        for (const o of due.filter((d) => d.connectionId === id))
          blocked.push({ ...o, state: 'skipped', message: noSecretMessage(c) });
        continue;
      }
      await ensureLogin(rt, c);
      usable.push(id);
    }
    selection = { expiringWithinDays: within, connectionIds: usable };
  }

  const deliver = boolFlag(rt, 'deliver');
  const run =
    'connectionIds' in selection && selection.connectionIds?.length === 0
      ? { outcomes: [] }
      : await call(
          rt,
          'tokens:rotate-many',
          { selection, deliver, ...(expiry ? { expiry } : {}) },
          { expiry: '--expires' },
        );
  const outcomes = [...run.outcomes, ...blocked];
  const repo = rt.ctx().tokensRepo;
  const rowOf = (rowId: number | null) => (rowId === null ? null : repo.get(rowId, rt.now()));

  if (rt.json) {
    rt.out(jsonDocument(outcomes.map((o) => rotationToJson(o, rowOf(o.rowId), rowOf(o.replacementRowId)))));
  } else if (outcomes.length === 0) {
    rt.out(`No tokens expire within ${plural(within ?? 0, 'day')}${connection ? ` on “${connection.name}”` : ''}.\n`);
  } else {
    const p = rt.paint.out;
    for (const o of outcomes) {
      const replacement = rowOf(o.replacementRowId);
      if (o.state === 'done') {
        rt.out(
          `${p.green('Rotated')} “${o.name}” on “${o.connectionName}”: new token ${o.replacementTokenId}${replacement ? ` ${describeExpiry(replacement, rt.now())}` : ''}; its value is in the OS keychain${o.delivered ? `, delivered to ${plural(o.delivered, 'target')}` : ''}, and Vault accepted it.\n`,
        );
        rt.out(`Old token ${o.tokenId} revoked.\n`);
        if (o.advice) rt.out(`  ${o.advice}\n`);
      } else if (o.state === 'failed') {
        rt.out(
          `${p.red('FAILED')} at ${o.step}: “${o.name}” (${o.tokenId}) on “${o.connectionName}”: ${oneLine(o.message ?? 'unknown error')}\n`,
        );
        if (o.advice) rt.out(`  ${o.advice}\n`);
      } else {
        rt.out(
          `${p.yellow('skipped')} “${o.name}” (${o.tokenId}) on “${o.connectionName}”: ${oneLine(o.message ?? '')}\n`,
        );
      }
    }
    const done = outcomes.filter((o) => o.state === 'done');
    if (done.length)
      rt.out(
        `Show a new value with: vault-token-desk token reveal --connection ${shellWord(done[0]!.connectionName)} ${done[0]!.replacementTokenId}\n`,
      );
  }
  const notDone = outcomes.filter((o) => o.state !== 'done');
  if (notDone.length === 0) return EXIT.ok;
  const first = notDone[0]!;
  const what = first.state === 'failed' ? `failed at ${first.step}` : 'skipped';
  const more = notDone.length > 1 ? `; and ${plural(notDone.length - 1, 'more token')} (see above)` : '';
  throw new CliError(
    `${notDone.length} of ${plural(outcomes.length, 'token')} not rotated: ${first.tokenId} ${what}: ${first.message ?? 'unknown error'}${more}`,
  );
}

// ---- reveal ----------------------------------------------------------------------------------

export async function tokenReveal(rt: Runtime): Promise<ExitCode> {
  const connection = connectionByName(rt, requiredFlag(rt, 'connection', 'NAME'));
  const row = tokenById(rt, connection, rt.positionals[0]!);
  const { value } = await call(rt, 'tokens:reveal', { rowId: row.rowId });
  rt.out(rt.json ? jsonDocument(tokenWithValueToJson(row, value)) : `${value}\n`);
  return EXIT.ok;
}

// ---- export ----------------------------------------------------------------------------------

export async function tokenExport(rt: Runtime): Promise<ExitCode> {
  const formatFlag = stringFlag(rt, 'format');
  if (formatFlag !== undefined && formatFlag !== 'csv' && formatFlag !== 'json')
    throw new UsageError('--format takes csv or json', rt.command);
  const format = formatFlag ?? (rt.json ? 'json' : 'csv');
  const output = rt.values.output === undefined ? undefined : requiredFlag(rt, 'output', 'FILE');
  const toStdout = output === undefined || output === '-';
  if (rt.json && toStdout && format === 'csv')
    throw new UsageError(
      '--json prints JSON on stdout: write the CSV with --output FILE, or leave out --json',
      rt.command,
    );

  const exported = await call(rt, 'tokens:export', { format });
  const content = exported.content.endsWith('\n') ? exported.content : `${exported.content}\n`;
  if (toStdout) {
    rt.out(content);
    return EXIT.ok;
  }
  const path = writeOutputFile(output!, content);
  if (rt.json) rt.out(jsonDocument({ file: path, format, bytes: Buffer.byteLength(content) }));
  else rt.out(`Exported the token inventory (${format.toUpperCase()}, metadata only) to ${path}\n`);
  return EXIT.ok;
}
