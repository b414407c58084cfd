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

// ---------------------------------------------------------------------------
// Secret-looking field names
//
// A key is split into words across camelCase, snake_case, kebab-case and
// Vault's `__sys`/`__v` suffixes ("X-VaultAPI-TruncatedSessionId" →
// x·vault·api·truncated·session·id), lower-cased, trailing digits dropped.
// Then:
//  - a key whose LAST word names a secret is secret: `accessToken`,
//    `refresh_token`, `api_key`, `secretValue`, `set-cookie`, `token__sys`,
//    `clientSecret`, `sessionId` (session + id is the secret itself);
//  - a key with a strongly secret word ANYWHERE (password, secret, auth,
//    credential, cookie, bearer…) is secret, unless its last word says it
//    holds metadata about the secret (`authMethod`, `authKind`,
//    `secretStored`): `authHeader` and `passwordHash` stay redacted;
//  - ids (`tokenId`, `connectionId`, `executionId`, `vaultId`, `userId`,
//    `tokenIds`) are not secret, and `truncatedSessionId` is Vault's
//    deliberately loggable session fingerprint (README "Security model").
// Over-redacting a field costs a support engineer a value; under-redacting
// leaks a credential, so the word lists lean towards redacting.
// ---------------------------------------------------------------------------

/** Words that make a key secret wherever they appear in it. */
const STRONG_WORDS = new Set([
  'password',
  'passwd',
  'pwd',
  'pass',
  'passphrase',
  'secret',
  'credential',
  'credentials',
  'creds',
  'cookie',
  'auth',
  'oauth',
  'authorization',
  'bearer',
  'apikey',
  'jwt',
  'otp',
]);
/** Fragments that make a single (unsplittable, all-lower-case) word strong: `userpassword`, `setcookie`. */
const STRONG_FRAGMENT = /passw|secret|credential|cookie|bearer/;
/** Last words that name a secret value: `accessToken`, `api_key`, `tokenValue`, `session`. */
const SECRET_HEADS = new Set(['token', 'tokens', 'key', 'keys', 'value', 'values', 'session', 'sessions']);
/** …and all-lower-case compounds ending in one: `accesstoken`, `xapikey`, `sessionid`. */
const SECRET_HEAD_SUFFIX = /(?:token|apikey|sessionid|value)s?$/;
/** Last words that mean "this is about a secret, not the secret": `authMethod`, `secretStored`, `passwordSet`. */
const SAFE_HEADS = new Set([
  'id',
  'ids',
  'kind',
  'type',
  'method',
  'methods',
  'stored',
  'count',
  'length',
  'name',
  'status',
  'at',
  'expiry',
  'set',
  'required',
  'policy',
]);
/** Whole keys (letters and digits only, lower case) that look secret but are safe and useful to log. */
const SAFE_KEYS = new Set(['truncatedsessionid', 'xvaultapitruncatedsessionid']);

function keyWords(key: string): string[] {
  return key
    .replace(/__[A-Za-z]+$/, '') // Vault namespace suffix: token__sys, name__v
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .map((w) => w.replace(/\d+$/, ''))
    .filter(Boolean);
}

function classifyKey(key: string): boolean {
  if (SAFE_KEYS.has(key.toLowerCase().replace(/[^a-z0-9]/g, ''))) return false;
  const words = keyWords(key);
  const head = words.at(-1);
  if (head === undefined) return false;
  const strong = (w: string): boolean => STRONG_WORDS.has(w) || STRONG_FRAGMENT.test(w);
  if (strong(head) || SECRET_HEADS.has(head) || SECRET_HEAD_SUFFIX.test(head)) return true;
  if ((head === 'id' || head === 'ids') && /^sessions?$/.test(words.at(-2) ?? '')) return true;
  return !SAFE_HEADS.has(head) && words.slice(0, -1).some(strong);
}

/** Log records reuse a small set of keys: remember each verdict (bounded, in case keys are data). */
const keyVerdicts = new Map<string, boolean>();
export function isSecretKey(key: string): boolean {
  let verdict = keyVerdicts.get(key);
  if (verdict === undefined) {
    verdict = classifyKey(key);
    if (keyVerdicts.size >= 2000) keyVerdicts.clear();
    keyVerdicts.set(key, verdict);
  }
  return verdict;
}

// ---------------------------------------------------------------------------
// Secrets inside free text
// ---------------------------------------------------------------------------

/**
 * Vault token values always start with this prefix (docs/vault-api.md §1.1);
 * `%XX` covers the URL-encoded form of `+`, `/` and `=`.
 */
const TOKEN_VALUE = /veeva-vault-(?:[A-Za-z0-9._~+/=-]|%[0-9A-Fa-f]{2})+/g;

/**
 * Secrets at least this long are scrubbed wherever they occur, even inside a
 * longer word. Shorter ones are scrubbed only where they stand as a whole
 * token (see `registerSecret`).
 */
const MIN_ANYWHERE = 8;

/**
 * Registered secrets live in small groups, each with one compiled pattern for
 * all their encoded forms. A pattern is built lazily on the first log record
 * after its group changed, never per record, and a new secret recompiles only
 * the group it joins: one pattern over every secret would cost O(all secrets)
 * to rebuild after each login, while scanning a line once per group of
 * `GROUP_SIZE` stays cheap.
 */
interface SecretGroup {
  secrets: Set<string>;
  /** Whole-token match (short secrets) or match anywhere (long ones). */
  wholeToken: boolean;
  /** undefined: stale, rebuilt on next use. */
  pattern: RegExp | undefined;
}
const GROUP_SIZE = 16;
const groups: SecretGroup[] = [];
const groupOf = new Map<string, SecretGroup>();
/** Object keys repeat on every record: their scrubbed form, valid until the secrets change. */
const scrubbedKeys = new Map<string, string>();

/**
 * Registers a secret (password, session id, token value) so that it is
 * scrubbed from any log line even if a careless caller passes it in a free
 * text field: verbatim, URL-encoded (`%XX`, either case, and form encoding
 * with `+` for spaces), JSON-escaped and base64/base64url-encoded.
 *
 * Every non-blank secret is registered, however short: a 5-character password
 * is still a password. But a short secret matched anywhere would shred
 * ordinary text (a password "table" would turn "stable" into "s[REDACTED]"),
 * so secrets under 8 characters are scrubbed only where they stand as a whole
 * token, i.e. not preceded or followed by a letter or digit: "password=abc12&x"
 * and `{"password":"abc12"}` lose it, "abc123" and "xabc12" keep it. The word
 * itself is lost where it stands alone ("the [REDACTED] is set"); that is the
 * price of not leaking it. A short secret glued inside a longer word is not
 * found: fields named like secrets are redacted by name whatever they hold,
 * which covers the structured cases.
 */
export function registerSecret(secret: string): void {
  if (!secret.trim() || groupOf.has(secret)) return;
  const wholeToken = secret.length < MIN_ANYWHERE;
  let group = groups.findLast((g) => g.wholeToken === wholeToken);
  if (!group || group.secrets.size >= GROUP_SIZE) {
    group = { secrets: new Set(), wholeToken, pattern: undefined };
    groups.push(group);
  }
  group.secrets.add(secret);
  group.pattern = undefined;
  groupOf.set(secret, group);
  scrubbedKeys.clear();
}

export function forgetSecret(secret: string): void {
  const group = groupOf.get(secret);
  if (!group) return;
  groupOf.delete(secret);
  group.secrets.delete(secret);
  group.pattern = undefined;
  if (group.secrets.size === 0) groups.splice(groups.indexOf(group), 1);
  scrubbedKeys.clear();
}

function base64Forms(bytes: Buffer): string[] {
  const std = bytes.toString('base64');
  return [std, std.replace(/=+$/, ''), bytes.toString('base64url')];
}

/**
 * The base64 characters that encode `secret` when it sits at byte offset 1 or
 * 2 (mod 3) inside a longer encoded blob, such as the password in
 * `Basic base64(user:password)`. Only the characters fully determined by the
 * secret's own bytes are kept.
 */
function base64InnerForms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const out: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const padded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const inner = padded.slice(Math.ceil((8 * offset) / 6), Math.floor((8 * (offset + bytes.length)) / 6));
    if (inner.length >= MIN_ANYWHERE) out.push(inner, inner.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return out;
}

function encodedForms(secret: string, anywhere: boolean): string[] {
  const forms = new Set<string>([secret]);
  try {
    const uri = encodeURIComponent(secret);
    forms.add(uri);
    forms.add(uri.replace(/%20/g, '+'));
    forms.add(encodeURI(secret));
  } catch {
    /* lone surrogate: not URL-encodable, so no URL-encoded form to find */
  }
  forms.add(new URLSearchParams({ s: secret }).toString().slice(2));
  const json = JSON.stringify(secret).slice(1, -1);
  forms.add(json);
  // Serialisers that write non-ASCII as \uXXXX, in lower- and upper-case hex.
  const ascii = json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  forms.add(ascii);
  forms.add(ascii.replace(/\\u[0-9a-f]{4}/g, (u) => `\\u${u.slice(2).toUpperCase()}`));
  forms.add(JSON.stringify(json).slice(1, -1));
  for (const form of base64Forms(Buffer.from(secret, 'utf8'))) forms.add(form);
  if (anywhere) for (const form of base64InnerForms(secret)) forms.add(form);
  return [...forms].filter(Boolean);
}

/** Regex source for a literal; `%XX` escapes match in either case. */
function literalSource(text: string): string {
  return text
    .replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&')
    .replace(/%([0-9A-Fa-f])([0-9A-Fa-f])/g, (_, a: string, b: string) => {
      const cls = (c: string): string => (/[A-Fa-f]/.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c);
      return `%${cls(a)}${cls(b)}`;
    });
}

/**
 * A form of a short secret may not continue a run of letters or digits: the
 * check applies at each edge where the form itself starts or ends with one,
 * so "#pw1" is found in "x#pw1 y" but not in "x#pw1b".
 */
const ALNUM_START = /^[\p{L}\p{N}]/u;
const ALNUM_END = /[\p{L}\p{N}]$/u;
const NO_ALNUM_BEFORE = '(?<![\\p{L}\\p{N}])';
const NO_ALNUM_AFTER = '(?![\\p{L}\\p{N}])';

function formSource(form: string, wholeToken: boolean): string {
  const core = literalSource(form);
  if (!wholeToken) return core;
  return (ALNUM_START.test(form) ? NO_ALNUM_BEFORE : '') + core + (ALNUM_END.test(form) ? NO_ALNUM_AFTER : '');
}

function alternation(forms: Iterable<string>, wholeToken: boolean): string {
  // Longest first, so a longer form wins over a shorter one that starts it.
  return [...new Set(forms)]
    .sort((a, b) => b.length - a.length)
    .map((form) => formSource(form, wholeToken))
    .join('|');
}

function compile(group: SecretGroup): RegExp {
  const forms = [...group.secrets].flatMap((secret) => encodedForms(secret, !group.wholeToken));
  return new RegExp(alternation(forms, group.wholeToken), 'gu');
}

export function redactString(text: string): string {
  const out = text.includes('veeva-vault-') ? text.replace(TOKEN_VALUE, 'veeva-vault-[REDACTED]') : text;
  if (groups.length === 0) return out;
  // Every group is matched against the same text and the hits merged, so a
  // secret that contains another (in a different group) is still covered
  // whole rather than cut around the shorter one.
  let spans: [number, number][] | null = null;
  for (const group of groups) {
    // exec on the cached pattern: matchAll and split would clone (and recompile) it on every call.
    const pattern = (group.pattern ??= compile(group));
    pattern.lastIndex = 0;
    for (let m = pattern.exec(out); m; m = pattern.exec(out)) (spans ??= []).push([m.index, pattern.lastIndex]);
  }
  if (!spans) return out;
  spans.sort((x, y) => x[0] - y[0]);
  let result = '';
  let at = 0;
  for (const [start, end] of spans) {
    if (end <= at) continue;
    if (start >= at) result += `${out.slice(at, start)}[REDACTED]`;
    at = end;
  }
  return result + out.slice(at);
}

function scrubKey(key: string): string {
  let out = scrubbedKeys.get(key);
  if (out === undefined) {
    out = redactString(key);
    if (scrubbedKeys.size >= 2000) scrubbedKeys.clear();
    scrubbedKeys.set(key, out);
  }
  return out;
}

function byteLength(value: object): number | null {
  if (ArrayBuffer.isView(value)) return value.byteLength; // Buffer, Uint8Array, every typed array, DataView
  if (value instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && value instanceof SharedArrayBuffer))
    return value.byteLength;
  return null;
}

export function redact(value: unknown, key = '', depth = 0): unknown {
  if (key && isSecretKey(key)) return '[REDACTED]';
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object') return value;
  // Binary data is never logged, whatever it holds: only its size.
  const bytes = byteLength(value);
  if (bytes !== null) return `[${bytes} bytes]`;
  // Deeper than anything we log on purpose: drop it rather than pass it through unchecked.
  if (depth > 4) return '[…]';
  if (value instanceof Error) return redactString(`${value.name}: ${value.message}`);
  if (Array.isArray(value)) return value.map((item) => redact(item, '', depth + 1));
  const out: LogFields = {};
  // Keys are scrubbed too: a map keyed by session id must not print the ids.
  for (const [k, v] of Object.entries(value)) out[scrubKey(k)] = redact(v, k, depth + 1);
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

const ignore = (): void => undefined;
/**
 * Logs nothing, and so redacts nothing: a sink that drops records would still pay for redacting
 * them, which the CLI profile showed at about 4 ms per synced connection (issue 14).
 */
export const silentLogger: Logger = {
  debug: ignore,
  info: ignore,
  warn: ignore,
  error: ignore,
  child: () => silentLogger,
};
