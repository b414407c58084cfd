/**
 * Deliveries (issue 16 item 3): where a token's value goes after generate and rotate, or on
 * "Deliver now". A target is a dotenv file (`NAME=value` replaced or added) or a command that
 * reads the value on stdin. SQLite keeps the target and its last outcome, never the value
 * (electron/deliveries/deliveries-repo.ts).
 */
import { z } from 'zod';
import { RowId } from '../schemas';
import { channel } from './define';

/** A dotenv variable name, as POSIX shells and every dotenv parser accept it. */
export const DOTENV_KEY_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const DOTENV_KEY_HINT = 'Use letters, digits and _ only, not starting with a digit, e.g. VAULT_TOKEN.';

/** Default and bounds of a command's timeout (ms). */
export const DEFAULT_COMMAND_TIMEOUT_MS = 60_000;
export const MIN_COMMAND_TIMEOUT_MS = 1_000;
export const MAX_COMMAND_TIMEOUT_MS = 60 * 60_000;

/** No NUL (no file system or exec call accepts one) and bounded, like every IPC string. */
const NoNul = (what: string, max: number) =>
  z
    .string()
    .min(1, `Enter the ${what}.`)
    .max(max, `Keep the ${what} under ${max} characters.`)
    .refine((s) => !s.includes('\u0000'), `The ${what} cannot contain a NUL character.`);

/** Absolute only: a relative path would mean a different file in the app and in each shell's directory. */
const ABSOLUTE_PATH = /^(?:\/|[A-Za-z]:[\\/]|\\\\)/;

export const DotenvTargetSchema = z.strictObject({
  kind: z.literal('dotenv'),
  path: NoNul('file path', 4096).refine((p) => ABSOLUTE_PATH.test(p), 'Give the full path of the file.'),
  key: z.string().regex(DOTENV_KEY_RE, DOTENV_KEY_HINT).max(200, 'Keep the variable name under 200 characters.'),
});

export const CommandTargetSchema = z.strictObject({
  kind: z.literal('command'),
  /** The program and its arguments, run as they are: no shell unless `shell` is true. */
  argv: z.array(NoNul('command', 4096)).min(1, 'Enter the command to run.').max(200, 'Use at most 200 arguments.'),
  /** The person's explicit choice: run `argv` joined by spaces through /bin/sh -c (cmd /c on Windows). */
  shell: z.boolean().default(false),
  timeoutMs: z
    .number()
    .int('Use whole milliseconds.')
    .min(MIN_COMMAND_TIMEOUT_MS, 'Allow the command at least 1 second.')
    .max(MAX_COMMAND_TIMEOUT_MS, 'Allow the command at most 1 hour.')
    .default(DEFAULT_COMMAND_TIMEOUT_MS),
});

export const DeliveryTargetSchema = z.discriminatedUnion('kind', [DotenvTargetSchema, CommandTargetSchema]);

export type DotenvTarget = z.output<typeof DotenvTargetSchema>;
export type CommandTarget = z.output<typeof CommandTargetSchema>;
export type DeliveryTarget = z.output<typeof DeliveryTargetSchema>;
export type DeliveryKind = DeliveryTarget['kind'];

/** How a delivery went: `timed-out` is a command killed at its timeout. */
export const DELIVERY_STATUSES = ['ok', 'failed', 'timed-out'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One configured delivery of a token, with the outcome of its last run. Never a value. */
export interface Delivery {
  id: number;
  /** The inventory row of the token it delivers. */
  rowId: number;
  connectionId: string | null;
  connectionName: string;
  tokenId: string;
  tokenName: string;
  target: DeliveryTarget;
  /** For people and the audit log: the file path, or the command's program (argv[0]). */
  label: string;
  createdAt: string;
  updatedAt: string;
  lastRunAt: string | null;
  lastStatus: DeliveryStatus | null;
  /** A command's exit status (null when it was killed or never started). */
  lastExitCode: number | null;
  /** What went wrong, or a note (e.g. a file others can read); scrubbed, at most ~300 characters. */
  lastMessage: string | null;
}

/** The outcome of one target in one run. */
export interface DeliveryOutcome {
  deliveryId: number;
  kind: DeliveryKind;
  label: string;
  status: DeliveryStatus;
  exitCode: number | null;
  message: string | null;
  durationMs: number;
}

/** A run of every delivery of one token: `ok` only when each of them succeeded. */
export interface DeliverResult {
  rowId: number;
  tokenId: string;
  ok: boolean;
  outcomes: DeliveryOutcome[];
}

export const deliveriesContract = {
  'deliveries:list': channel<Delivery[]>()('listDeliveries', z.strictObject({ rowId: RowId })),
  /** Main asks the person itself before a new target may receive the value (deliveries-service.ts). */
  'deliveries:add': channel<Delivery>()('addDelivery', z.strictObject({ rowId: RowId, target: DeliveryTargetSchema })),
  'deliveries:remove': channel<{ removed: true }>()(
    'removeDelivery',
    z.strictObject({ id: z.number().int().positive() }),
  ),
  /** Runs every delivery of the token now. */
  'deliveries:deliver': channel<DeliverResult>()('deliverToken', z.strictObject({ rowId: RowId })),
} as const;
