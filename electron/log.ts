/**
 * Structured logging for the main process and the CLI.
 *
 * Rule (README "Security model"): a log line may carry token record ids and
 * Vault's `X-VaultAPI-TruncatedSessionId`, never a password, session id or
 * token value. Callers pass fields, not preformatted strings, so the
 * redaction below can see every value. As a second line of defence every
 * string is scrubbed of anything that looks like a token value and of every
 * secret registered with `registerSecret` (see `redact`).
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(bindings: LogFields): Logger;
}

export interface LogRecord {
  time: string;
  level: LogLevel;
  message: string;
  fields: LogFields;
}

export type LogSink = (record: LogRecord) => void;

/** Field names whose values are never logged, whatever they hold. */
const SECRET_KEYS =
  /pass(word)?|secret|token__sys|tokenvalue|value|session_?id|authorization|cookie|bearer|^(api_?)?token$/i;
/** Names that look secret but hold ids or flags that are safe and useful to log. */
const SAFE_KEYS = /^(truncatedSessionId|X-VaultAPI-TruncatedSessionId|secretStored|secretsStored)$/i;
/** Vault token values always start with this prefix (docs/vault-api.md §1.1). */
const TOKEN_VALUE = /veeva-vault-[A-Za-z0-9._~+/=-]+/g;

const knownSecrets = new Set<string>();

/**
 * Registers a secret (password, session id, token value) so that it is
 * scrubbed from any log line even if a careless caller passes it in a free
 * text field. Secrets shorter than 8 characters are not registered: they
 * would scrub ordinary words.
 */
export function registerSecret(secret: string): void {
  if (secret.length >= 8) knownSecrets.add(secret);
}

export function forgetSecret(secret: string): void {
  knownSecrets.delete(secret);
}

export function redactString(text: string): string {
  let out = text.replace(TOKEN_VALUE, 'veeva-vault-[REDACTED]');
  for (const secret of knownSecrets) {
    if (out.includes(secret)) out = out.split(secret).join('[REDACTED]');
  }
  return out;
}

export function redact(value: unknown, key = '', depth = 0): unknown {
  if (key && SECRET_KEYS.test(key) && !SAFE_KEYS.test(key)) return '[REDACTED]';
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object') return value;
  // Deeper than anything we log on purpose: drop it rather than pass it through unchecked.
  if (depth > 4) return '[…]';
  if (value instanceof Error) return redactString(`${value.name}: ${value.message}`);
  if (Array.isArray(value)) return value.map((item) => redact(item, '', depth + 1));
  const out: LogFields = {};
  for (const [k, v] of Object.entries(value)) out[k] = redact(v, k, depth + 1);
  return out;
}

const LEVEL_ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function createLogger(sink: LogSink, minLevel: LogLevel = 'info', bindings: LogFields = {}): Logger {
  const emit = (level: LogLevel, message: string, fields?: LogFields): void => {
    if (LEVEL_ORDER[level] < LEVEL_ORDER[minLevel]) return;
    sink({
      time: new Date().toISOString(),
      level,
      message: redactString(message),
      fields: redact({ ...bindings, ...fields }) as LogFields,
    });
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (more) => createLogger(sink, minLevel, { ...bindings, ...more }),
  };
}

/** One JSON line per record on stderr: the format the app and the CLI use. */
export const stderrSink: LogSink = (record) => {
  process.stderr.write(`${JSON.stringify(record)}\n`);
};

/** Collects records in memory; tests search these for leaked secrets. */
export function memorySink(): { sink: LogSink; records: LogRecord[] } {
  const records: LogRecord[] = [];
  return { sink: (r) => records.push(r), records };
}

export const silentLogger: Logger = createLogger(() => undefined);
