/**
 * `token generate --connection A --connection B …`: one token with one name and expiry in each
 * Vault, for the signed-in user of each (user ids differ per Vault, so `--user` takes one
 * connection). The service checks every Vault's guard rails before it sends a generate anywhere
 * (electron/tokens/generate-many.ts); a Vault that fails is reported and never undoes the others.
 * Exit 1 after printing every outcome when one failed, as `token sync` does.
 */
import { AppError } from '../../../shared/errors';
import type { GenerateManyOutcome, TokenExpiry } from '../../../shared/tokens';
import { GenerateManyRequest } from '../../../shared/contract/tokens';
import type { Connection } from '../../../shared/domain';
import { call } from '../call';
import { CliError, describeAppError, EXIT, oneLine, UsageError, type ExitCode } from '../errors';
import { formatExpiry, plural, table } from '../format';
import { generateManyToJson, jsonDocument } from '../json';
import { connectionByName, ensureLogin, needsSecret, noSecretMessage, parseInput } from '../session';
import type { Runtime } from '../runtime';

/** Every `--connection` given, in order, as typed (names may hold commas, so no splitting). */
export function connectionFlags(rt: Runtime): string[] {
  const v = rt.values.connection;
  const all = v === undefined ? [] : Array.isArray(v) ? v : [v];
  return all.map((name) => {
    if (typeof name !== 'string' || !name.trim())
      throw new UsageError('--connection needs a non-empty NAME', rt.command);
    return name;
  });
}

interface Result {
  connection: Connection;
  outcome: GenerateManyOutcome | null;
  value: string | null;
  error: string | null;
}

export async function tokenGenerateMany(
  rt: Runtime,
  names: string[],
  name: string,
  expiry: TokenExpiry,
): Promise<ExitCode> {
  if (rt.values.user !== undefined)
    throw new UsageError(
      '--user takes one --connection: user ids differ per Vault (several connections generate for --me)',
      rt.command,
    );
  const flags = { connectionIds: '--connection', name: '--name', expiry: '--expires' };
  // Refuse a bad name or expiry before signing in or asking for a password; then the same
  // connection named twice (its name may be spelt two ways).
  parseInput(rt, GenerateManyRequest, { connectionIds: names.map((_, i) => `check-${i}`), name, expiry }, flags);
  const connections = names.map((n) => connectionByName(rt, n));
  parseInput(rt, GenerateManyRequest, { connectionIds: connections.map((c) => c.id), name, expiry }, flags);

  // Secrets first, so that no prompt interrupts the run. Without a terminal, a connection
  // lacking a remembered secret is reported and the others still generate.
  const results = new Map<string, Result>();
  const runnable: Connection[] = [];
  for (const c of connections) {
    if (needsSecret(rt, c) && !rt.io.stdin.isTTY) {
      results.set(c.id, { connection: c, outcome: null, value: null, error: oneLine(noSecretMessage(c)) });
      continue;
    }
    await ensureLogin(rt, c);
    runnable.push(c);
  }

  const outcomes = runnable.length
    ? await call(rt, 'tokens:generate-many', { connectionIds: runnable.map((c) => c.id), name, expiry }, flags)
    : [];
  for (const [i, outcome] of outcomes.entries()) {
    const connection = runnable[i]!;
    const result: Result = { connection, outcome, value: null, error: null };
    if (outcome.ok && outcome.generated) {
      try {
        result.value = (await call(rt, 'tokens:reveal', { rowId: outcome.generated.token.rowId })).value;
      } catch (error) {
        // Minted and (normally) stored: say where it is rather than lose the outcome.
        result.error = oneLine(
          `token ${outcome.tokenId} was generated but its value could not be read back (${error instanceof AppError ? describeAppError(error) : 'unexpected failure'}); print it with \`vault-token-desk token reveal\``,
        );
      }
    } else {
      result.error = describeOutcomeError(outcome, connection);
    }
    results.set(connection.id, result);
  }
  const ordered = connections.map((c) => results.get(c.id)!);

  if (rt.json) {
    rt.out(
      jsonDocument(
        ordered.map((r) =>
          generateManyToJson({
            connection: r.connection.name,
            tokenId: r.outcome?.tokenId ?? null,
            value: r.value,
            error: r.error,
          }),
        ),
      ),
    );
  } else {
    for (const r of ordered) rt.note(summaryLine(rt, r));
    const generated = ordered.filter((r) => r.value !== null);
    if (generated.length)
      rt.out(
        table(
          ['CONNECTION', 'TOKEN ID', 'VALUE'],
          generated.map((r) => [r.connection.name, r.outcome!.tokenId ?? '', r.value!]),
          rt.paint.out.bold,
        ),
      );
  }
  const failed = ordered.filter((r) => r.value === null || r.error !== null);
  if (failed.length === 0) return EXIT.ok;
  const first = failed[0]!;
  const more = failed.length > 1 ? `; and ${plural(failed.length - 1, 'more connection')} (see above)` : '';
  throw new CliError(
    `generate failed for ${failed.length} of ${plural(ordered.length, 'connection')}: “${first.connection.name}”: ${first.error ?? 'unknown error'}${more}`,
  );
}

function describeOutcomeError(outcome: GenerateManyOutcome, connection: Connection): string {
  const e = outcome.error;
  if (!e) return 'not generated';
  if (e.needsSecret && connection.authMethod === 'sso')
    return oneLine(`${e.message.replace(/\.$/, '')}; run \`vault-token-desk connection login\` first`);
  const text = describeAppError(new AppError(e.code as AppError['code'], e.message, vaultType(e.vaultErrorType)));
  return e.stage === 'check' ? `${text.replace(/\.$/, '')} (nothing was sent to Vault)` : text;
}

function vaultType(type: string | null): { vaultErrorType?: string } {
  return type ? { vaultErrorType: type } : {};
}

function summaryLine(rt: Runtime, r: Result): string {
  const token = r.outcome?.generated?.token;
  if (token && r.value !== null) {
    const expires = token.expiresAt ? `expires ${formatExpiry(token.expiresAt, rt.now())}` : 'never expires';
    const stored = r.outcome!.generated!.secretStored
      ? 'the value is stored in the OS keychain'
      : `${rt.paint.err.yellow('the value is NOT stored')}: save the value printed now, Vault never shows it again`;
    return `Generated “${token.name}” (${token.tokenId}) on “${r.connection.name}”, ${expires}; ${stored}.`;
  }
  return `${rt.paint.err.red('Not generated')} on “${r.connection.name}”: ${r.error ?? 'unknown error'}`;
}
