/**
 * The main-side handler table: every contract channel goes through one
 * wrapper that (1) checks the sender frame's URL against the app's origin,
 * (2) validates the payload with the channel's zod schema, (3) calls the
 * service, (4) answers `{ ok, value }` or `{ ok: false, error: { code, message } }`
 * with a stable code and words a person can act on — never a stack trace.
 *
 * It has no Electron import: Electron's ipcMain (register-ipc.ts) and the
 * browser test harness both drive this same table; only the transport differs.
 */
import { CHANNELS, contract, type Channel, type ServiceMethods } from '../../shared/contract';
import { AppError, type ErrorInfo, type IpcResult } from '../../shared/errors';
import { fieldErrors } from '../../shared/schemas';
import { redactString, type Logger } from '../log';
import { CONTROL_CHARACTERS } from '../../shared/control-chars';

export interface IpcSender {
  /** URL of the frame that sent the message (senderFrame.url in Electron). */
  url: string | undefined;
}

export type SenderCheck = (sender: IpcSender) => boolean;

/**
 * The origin of a URL as scheme://host[:port]. WHATWG `URL.origin` is "null"
 * for custom schemes such as app://, so it is built from the parts.
 */
export function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.host ? `${parsed.protocol}//${parsed.host}` : null;
  } catch {
    return null;
  }
}

/** Trusts frames whose origin equals one of `origins` exactly (security checklist in docs/architecture.md, item 13 and 17: compare origins, never prefixes). */
export function originSenderCheck(origins: readonly string[]): SenderCheck {
  const allowed = new Set(origins);
  return (sender) => {
    // Exactly as Electron reports it: URL parsing would forgive leading spaces and control characters.
    if (
      typeof sender.url !== 'string' ||
      sender.url !== sender.url.trim() ||
      new RegExp(CONTROL_CHARACTERS.source).test(sender.url)
    )
      return false;
    const origin = originOf(sender.url);
    return origin !== null && allowed.has(origin);
  };
}

export interface HandlerTable {
  channels: readonly Channel[];
  handle(channel: string, sender: IpcSender, payload: unknown): Promise<IpcResult<unknown>>;
}

export function createHandlerTable(service: ServiceMethods, isTrusted: SenderCheck, logger: Logger): HandlerTable {
  const known = new Set<string>(CHANNELS);
  return {
    channels: CHANNELS,
    async handle(channel, sender, payload) {
      if (!isTrusted(sender)) {
        logger.warn('ipc refused: untrusted sender', { channel, origin: safeOrigin(sender.url) });
        return fail('FORBIDDEN_SENDER', 'This request did not come from Vault Token Desk and was refused.');
      }
      // The name is the caller's text: bounded and scrubbed before it is echoed.
      if (!known.has(channel))
        return fail('UNKNOWN_CHANNEL', `Unknown request “${redactString(String(channel).slice(0, 80))}”.`);
      const spec = contract[channel as Channel];
      const parsed = spec.request.safeParse(payload);
      if (!parsed.success) {
        const fields = fieldErrors(parsed.error);
        const first = Object.values(fields)[0] ?? 'The request was malformed.';
        return { ok: false, error: scrubbed({ code: 'VALIDATION', message: first, fields }) };
      }
      const method = service[spec.method] as (request: unknown) => Promise<unknown>;
      try {
        return { ok: true, value: await method.call(service, parsed.data) };
      } catch (error) {
        return { ok: false, error: toErrorInfo(error, channel, logger) };
      }
    },
  };
}

function fail(code: 'FORBIDDEN_SENDER' | 'UNKNOWN_CHANNEL', message: string): IpcResult<never> {
  return { ok: false, error: { code, message } };
}

function safeOrigin(url: string | undefined): string {
  return originOf(url) ?? 'none';
}

/**
 * Known errors pass through; anything else becomes a generic message (details go to the log only).
 * Every message is scrubbed as the CLI scrubs its error lines: AppErrors may quote Vault's own text,
 * which can echo what was sent (issue 11, finding 6).
 */
export function toErrorInfo(error: unknown, channel: string, logger: Logger): ErrorInfo {
  if (error instanceof AppError) return scrubbed(error.toInfo());
  const asObj = error as { toAppError?: () => AppError };
  if (typeof asObj?.toAppError === 'function') return scrubbed(asObj.toAppError().toInfo());
  logger.error('unexpected error', { channel, error });
  return {
    code: 'INTERNAL' as const,
    message: 'Something went wrong inside Vault Token Desk. The details are in the log; nothing was changed.',
  };
}

function scrubbed(info: ErrorInfo): ErrorInfo {
  const out: ErrorInfo = { ...info, message: redactString(info.message) };
  if (info.fields) out.fields = Object.fromEntries(Object.entries(info.fields).map(([k, v]) => [k, redactString(v)]));
  return out;
}
