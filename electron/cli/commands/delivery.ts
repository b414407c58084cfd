/**
 * `token delivery add | list | remove` and `token deliver` (issue 16 item 3): where a token's value
 * goes after generate and rotate, and running those deliveries now. The value itself is never
 * printed here, never taken as an argument and never put in a command's argv or environment.
 *
 * The `--json` field names below are frozen like those of json.ts: scripts rely on them. Add
 * fields only at the end and never rename one.
 */
import { isAbsolute, resolve } from 'node:path';
import {
  DeliveryTargetSchema,
  MAX_COMMAND_TIMEOUT_MS,
  type DeliverResult,
  type Delivery,
  type DeliveryTarget,
} from '../../../shared/contract/deliveries';
import { CONTROL_CHARACTERS } from '../../../shared/control-chars';
import { AppError } from '../../../shared/errors';
import type { TokenRow } from '../../../shared/tokens';
import { describeCommand } from '../../deliveries/describe-target';
import { call } from '../call';
import { CliError, EXIT, UsageError, type ExitCode } from '../errors';
import { formatMoment, plural, table, type Cell } from '../format';
import { jsonDocument } from '../json';
import { boolFlag, exclusive, requiredFlag, stringFlag, type Runtime } from '../runtime';
import { connectionByName, parseInput, shellWord, tokenById } from '../session';

/** Every delivery in `--json` output has exactly these fields, in this order. */
export const DELIVERY_JSON_FIELDS = Object.freeze([
  'id',
  'connection',
  'tokenId',
  'tokenName',
  'kind',
  'label',
  'file',
  'key',
  'argv',
  'shell',
  'timeoutSeconds',
  'createdAt',
  'lastRunAt',
  'lastStatus',
  'lastExitCode',
  'lastMessage',
] as const);

export interface DeliveryJson {
  id: number;
  connection: string;
  tokenId: string;
  tokenName: string;
  kind: 'dotenv' | 'command';
  /** The file path, or the command's program. */
  label: string;
  /** dotenv: the file and the variable; null for a command. */
  file: string | null;
  key: string | null;
  /** command: its argument list, whether it runs through a shell, its timeout; null/false for dotenv. */
  argv: string[] | null;
  shell: boolean;
  timeoutSeconds: number | null;
  createdAt: string;
  lastRunAt: string | null;
  /** `ok`, `failed`, `timed-out`, or null before the first run. */
  lastStatus: string | null;
  lastExitCode: number | null;
  lastMessage: string | null;
}

/** `token deliver --json`: one document per run, with one entry per delivery. */
export const DELIVER_JSON_FIELDS = Object.freeze(['connection', 'tokenId', 'tokenName', 'ok', 'deliveries'] as const);
export const DELIVERY_OUTCOME_JSON_FIELDS = Object.freeze([
  'id',
  'kind',
  'label',
  'status',
  'exitCode',
  'message',
  'durationMs',
] as const);

export function deliveryToJson(d: Delivery): DeliveryJson {
  const t = d.target;
  return {
    id: d.id,
    connection: d.connectionName,
    tokenId: d.tokenId,
    tokenName: d.tokenName,
    kind: t.kind,
    label: d.label,
    file: t.kind === 'dotenv' ? t.path : null,
    key: t.kind === 'dotenv' ? t.key : null,
    argv: t.kind === 'command' ? [...t.argv] : null,
    shell: t.kind === 'command' ? t.shell : false,
    timeoutSeconds: t.kind === 'command' ? t.timeoutMs / 1000 : null,
    createdAt: d.createdAt,
    lastRunAt: d.lastRunAt,
    lastStatus: d.lastStatus,
    lastExitCode: d.lastExitCode,
    lastMessage: d.lastMessage,
  };
}

function deliverToJson(row: TokenRow, result: DeliverResult) {
  return {
    connection: row.connectionName,
    tokenId: row.tokenId,
    tokenName: row.name,
    ok: result.ok,
    deliveries: result.outcomes.map((o) => ({
      id: o.deliveryId,
      kind: o.kind,
      label: o.label,
      status: o.status,
      exitCode: o.exitCode,
      message: o.message,
      durationMs: o.durationMs,
    })),
  };
}

/** Text a person typed, safe to put on a terminal. */
function printable(text: string): string {
  return text.replace(new RegExp(CONTROL_CHARACTERS.source, 'g'), '?');
}

function describeTarget(t: DeliveryTarget): string {
  return printable(t.kind === 'dotenv' ? `${t.key} in ${t.path}` : describeCommand(t));
}

// ---- add -------------------------------------------------------------------------------------

/** `--timeout SECONDS`: whole seconds, 1 to 3600. */
function timeoutMs(rt: Runtime): number | undefined {
  const raw = stringFlag(rt, 'timeout');
  if (raw === undefined) return undefined;
  const max = MAX_COMMAND_TIMEOUT_MS / 1000;
  if (!/^\d{1,4}$/.test(raw.trim()) || Number(raw) < 1 || Number(raw) > max)
    throw new UsageError(`--timeout takes whole seconds from 1 to ${max}, e.g. --timeout 120`, rt.command);
  return Number(raw) * 1000;
}

function targetFromFlags(rt: Runtime): DeliveryTarget {
  exclusive(rt, 'dotenv', 'command');
  const dotenv = rt.values.dotenv === undefined ? undefined : requiredFlag(rt, 'dotenv', 'FILE');
  const command = rt.values.command;
  if (dotenv !== undefined) {
    for (const flag of ['shell', 'timeout'])
      if (rt.values[flag] !== undefined) throw new UsageError(`--${flag} is for --command, not --dotenv`, rt.command);
    const key = requiredFlag(rt, 'key', 'VAR');
    return parseInput(
      rt,
      DeliveryTargetSchema,
      { kind: 'dotenv', path: resolve(dotenv), key },
      { path: '--dotenv', key: '--key' },
    );
  }
  if (command === undefined)
    throw new UsageError('say where to deliver: --dotenv FILE --key VAR, or --command -- PROG [ARG…]', rt.command);
  if (rt.values.key !== undefined) throw new UsageError('--key is for --dotenv, not --command', rt.command);
  const argv = Array.isArray(command) ? command.filter((w): w is string => typeof w === 'string') : [];
  if (argv.length === 0 || !argv[0])
    throw new UsageError('--command takes the program after --: --command -- PROG [ARG…]', rt.command);
  // A program named by a relative path means the one in this directory, as a shell would run it.
  const program = argv[0];
  if (/[\\/]/.test(program) && !isAbsolute(program)) argv[0] = resolve(program);
  const timeout = timeoutMs(rt);
  return parseInput(
    rt,
    DeliveryTargetSchema,
    { kind: 'command', argv, shell: boolFlag(rt, 'shell'), ...(timeout !== undefined ? { timeoutMs: timeout } : {}) },
    { argv: '--command', timeoutMs: '--timeout' },
  );
}

export async function deliveryAdd(rt: Runtime): Promise<ExitCode> {
  const connectionName = requiredFlag(rt, 'connection', 'NAME');
  // The command line is checked whole before the data directory is opened.
  const target = targetFromFlags(rt);
  const connection = connectionByName(rt, connectionName);
  const row = tokenById(rt, connection, rt.positionals[0]!);
  const delivery = await call(rt, 'deliveries:add', { rowId: row.rowId, target });
  if (rt.json) rt.out(jsonDocument(deliveryToJson(delivery)));
  else
    rt.out(
      `Added delivery ${delivery.id} of “${printable(row.name)}” (${row.tokenId}) on “${connection.name}”: ${describeTarget(delivery.target)}.\n` +
        `Run the token’s deliveries with: vault-token-desk token deliver --connection ${shellWord(connection.name)} ${row.tokenId}\n`,
    );
  return EXIT.ok;
}

// ---- list ------------------------------------------------------------------------------------

/** A token id without --connection: the one token of that id across every connection. */
function tokenOnAnyConnection(rt: Runtime, tokenId: string): TokenRow {
  const id = tokenId.trim();
  const ctx = rt.ctx();
  const rows = ctx.connections
    .list()
    .map((c) => ctx.tokensRepo.getByTokenId(c.id, id, rt.now()))
    .filter((r): r is TokenRow => r !== null && r !== undefined);
  if (rows.length === 0) throw new CliError(`token ${id} is not in the inventory of any connection`);
  if (rows.length > 1)
    throw new UsageError(
      `token ${id} is on ${rows.length} connections (${rows.map((r) => `“${r.connectionName}”`).join(', ')}): say which with --connection NAME`,
      rt.command,
    );
  return rows[0]!;
}

function deliveryTable(rt: Runtime, deliveries: Delivery[]): string {
  const p = rt.paint.out;
  const cells: Cell[][] = deliveries.map((d) => [
    String(d.id),
    printable(d.connectionName),
    d.tokenId,
    printable(d.tokenName),
    d.target.kind,
    describeTarget(d.target),
    d.lastRunAt ? formatMoment(d.lastRunAt) : '—',
    d.lastStatus === null
      ? { text: 'not run yet', paint: p.dim }
      : d.lastStatus === 'ok'
        ? { text: 'ok', paint: p.green }
        : { text: d.lastStatus, paint: p.red },
  ]);
  return table(['ID', 'CONNECTION', 'TOKEN ID', 'NAME', 'KIND', 'TARGET', 'LAST RUN', 'RESULT'], cells, p.bold);
}

export async function deliveryList(rt: Runtime): Promise<ExitCode> {
  const connectionName = rt.values.connection === undefined ? undefined : requiredFlag(rt, 'connection', 'NAME');
  const connection = connectionName === undefined ? undefined : connectionByName(rt, connectionName);
  const tokenId = rt.positionals[0];
  let deliveries: Delivery[];
  if (tokenId !== undefined) {
    const row = connection ? tokenById(rt, connection, tokenId) : tokenOnAnyConnection(rt, tokenId);
    deliveries = await call(rt, 'deliveries:list', { rowId: row.rowId });
  } else {
    deliveries = rt.ctx().deliveries.listAll(connection?.id);
  }
  if (rt.json) rt.out(jsonDocument(deliveries.map(deliveryToJson)));
  else if (deliveries.length === 0)
    rt.out(
      'No deliveries. Add one with: vault-token-desk token delivery add --connection NAME TOKEN_ID --dotenv FILE --key VAR\n',
    );
  else rt.out(deliveryTable(rt, deliveries));
  return EXIT.ok;
}

// ---- remove ----------------------------------------------------------------------------------

export async function deliveryRemove(rt: Runtime): Promise<ExitCode> {
  const words = [...new Set(rt.positionals.map((w) => w.trim()).filter(Boolean))];
  for (const w of words)
    if (!/^\d{1,15}$/.test(w) || Number(w) < 1)
      throw new UsageError('DELIVERY_ID is a number, as `token delivery list` shows it', rt.command);
  const results: { id: number; removed: boolean; message: string | null }[] = [];
  for (const id of words.map(Number)) {
    try {
      await call(rt, 'deliveries:remove', { id });
      results.push({ id, removed: true, message: null });
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'NOT_FOUND') throw error;
      results.push({ id, removed: false, message: error.message });
    }
  }
  if (rt.json) rt.out(jsonDocument(results));
  else
    for (const r of results)
      rt.out(
        r.removed
          ? `${rt.paint.out.green('removed')}  delivery ${r.id}\n`
          : `${rt.paint.out.red('FAILED')}  delivery ${r.id}\n`,
      );
  const failed = results.filter((r) => !r.removed);
  if (failed.length === 0) return EXIT.ok;
  throw new CliError(failed.map((r) => r.message ?? `delivery ${r.id} not removed`).join('; '));
}

// ---- deliver ---------------------------------------------------------------------------------

export async function tokenDeliver(rt: Runtime): Promise<ExitCode> {
  const connection = connectionByName(rt, requiredFlag(rt, 'connection', 'NAME'));
  const row = tokenById(rt, connection, rt.positionals[0]!);
  const result = await call(rt, 'deliveries:deliver', { rowId: row.rowId });
  if (rt.json) rt.out(jsonDocument(deliverToJson(row, result)));
  else if (result.outcomes.length === 0)
    rt.out(
      `“${printable(row.name)}” (${row.tokenId}) has no deliveries; nothing was done. Add one with: vault-token-desk token delivery add --connection ${shellWord(connection.name)} ${row.tokenId} --dotenv FILE --key VAR\n`,
    );
  else {
    const p = rt.paint.out;
    for (const o of result.outcomes) {
      const status =
        o.status === 'ok' ? p.green('delivered') : p.red(o.status === 'timed-out' ? 'TIMED OUT' : 'FAILED');
      rt.out(
        `${status}  ${o.deliveryId}  ${o.kind}  ${printable(o.label)}${o.message ? `  (${printable(o.message)})` : ''}\n`,
      );
    }
  }
  const failed = result.outcomes.filter((o) => o.status !== 'ok');
  if (failed.length === 0) return EXIT.ok;
  const first = failed[0]!;
  throw new CliError(
    `${failed.length} of ${plural(result.outcomes.length, 'delivery', 'deliveries')} of ${row.tokenId} failed: ${first.kind} ${printable(first.label)}: ${printable(first.message ?? first.status)}`,
  );
}
