/**
 * Generate across Vaults (issue 16, item 1): one name and expiry, a token for the signed-in user
 * of each chosen connection. Every Vault goes through TokensService exactly as a single generate
 * does (guard rails, keychain first, inventory row, audit), so nothing here mints, stores or
 * reveals a value itself; the values stay in main and the renderer reveals each one through
 * `tokens:reveal`.
 *
 * Two phases. First every Vault is checked (the expiry, the Vault being reachable, the 25-token
 * limit of docs/vault-api.md §1.1), before Vault's generate endpoint is called anywhere; with
 * `checkOnly` that is all. Then the Vaults that passed generate. A Vault that fails either phase
 * is reported with its reason and never undoes the others: their tokens exist in Vault, are stored
 * and listed.
 *
 * Vault's rate limits are per Vault (§5.3): different Vaults run in parallel, a few at a time
 * (generate is rare and each one signs in, writes the keychain and reads the record back), while
 * connections to the same Vault run one after another. Generate is never retried (§1.2: not idempotent).
 */
import type { z } from 'zod';
import type { Connection } from '../../shared/domain';
import { AppError } from '../../shared/errors';
import type { GenerateManyError, GenerateManyOutcome, TokenExpiry } from '../../shared/tokens';
import type { GenerateManyRequest } from '../../shared/contract/tokens';
import { failedOutcome } from '../../shared/generate-many';
import type { AuditRepo } from '../store/audit-repo';
import type { Clock } from '../../shared/clock';
import { redactString, type Logger } from '../log';
import type { ConnectionsService } from '../connections/connections-service';
import type { TokensService } from './tokens-service';

/** Vaults worked on at once. Small on purpose: each is a sign-in, a generate and a keychain write. */
export const DEFAULT_GENERATE_MANY_CONCURRENCY = 4;

export const GENERATE_MANY_AUDIT = 'token.generate-many';
export const GENERATE_MANY_FAILED_AUDIT = 'token.generate-many.failed';

export interface GenerateManyDeps {
  tokens: TokensService;
  connections: ConnectionsService;
  audit: AuditRepo;
  clock: Clock;
  logger: Logger;
  concurrency?: number;
}

type Request = z.output<typeof GenerateManyRequest>;

export class GenerateMany {
  constructor(private readonly deps: GenerateManyDeps) {}

  async run(request: Request): Promise<GenerateManyOutcome[]> {
    const outcomes = new Map<string, GenerateManyOutcome>();
    const known: Connection[] = [];
    const byId = new Map(this.deps.connections.list().map((c) => [c.id, c]));
    for (const id of request.connectionIds) {
      const connection = byId.get(id);
      if (connection) known.push(connection);
      else
        outcomes.set(
          id,
          failure({ id, name: id }, new AppError('NOT_FOUND', 'That connection no longer exists.'), 'check', null),
        );
    }

    // Phase 1: every Vault's guard rails before any generate is sent.
    await this.inLanes(known, async (connection) => {
      try {
        await this.deps.tokens.checkGenerate(single(connection, request.name, request.expiry));
        outcomes.set(connection.id, {
          connectionId: connection.id,
          connectionName: connection.name,
          ok: true,
          tokenId: null,
          generated: null,
          activeCount: this.deps.tokens.activeCountOfLoginUser(connection.id),
          error: null,
        });
      } catch (error) {
        outcomes.set(
          connection.id,
          failure(connection, error, 'check', this.deps.tokens.activeCountOfLoginUser(connection.id)),
        );
      }
    });

    if (!request.checkOnly) {
      // Phase 2: generate where the checks passed. TokensService runs them once more right before
      // the call (the inventory may have changed meanwhile); a refusal then is still "check".
      const ready = known.filter((c) => outcomes.get(c.id)?.ok);
      await this.inLanes(ready, async (connection) => {
        outcomes.set(connection.id, await this.generateOne(connection, request));
      });
      this.auditFailures(request, [...outcomes.values()]);
    }
    return request.connectionIds.map((id) => outcomes.get(id)!);
  }

  private async generateOne(connection: Connection, request: Request): Promise<GenerateManyOutcome> {
    try {
      const generated = await this.deps.tokens.generate(
        single(connection, request.name, request.expiry),
        GENERATE_MANY_AUDIT,
      );
      return {
        connectionId: connection.id,
        connectionName: connection.name,
        ok: true,
        tokenId: generated.token.tokenId,
        generated,
        activeCount: this.deps.tokens.activeCountOfLoginUser(connection.id),
        error: null,
      };
    } catch (error) {
      // GUARD before the call means the checks refused it; anything else happened at the call or after.
      const stage = error instanceof AppError && error.code === 'GUARD' ? 'check' : 'generate';
      this.deps.logger.warn('generate across Vaults: one Vault failed', {
        connectionId: connection.id,
        code: error instanceof AppError ? error.code : 'INTERNAL',
      });
      return failure(connection, error, stage, this.deps.tokens.activeCountOfLoginUser(connection.id));
    }
  }

  /** Each Vault that did not get its token, in Activity (the generated ones are recorded by TokensService). */
  private auditFailures(request: Request, outcomes: GenerateManyOutcome[]): void {
    const at = this.deps.clock.now().toISOString();
    for (const o of outcomes) {
      if (o.ok || !o.error) continue;
      this.deps.audit.record(
        {
          action: GENERATE_MANY_FAILED_AUDIT,
          connectionId: o.error.code === 'NOT_FOUND' ? null : o.connectionId,
          connectionName: o.connectionName,
          detail: `“${request.name}” not generated: ${o.error.message}`,
        },
        at,
      );
    }
  }

  /** Runs `work` for every connection: one lane per Vault host, serial inside, a few lanes at once. */
  private async inLanes(connections: Connection[], work: (c: Connection) => Promise<void>): Promise<void> {
    const lanes = new Map<string, Connection[]>();
    for (const c of connections) {
      const key = c.dns.toLowerCase();
      lanes.set(key, [...(lanes.get(key) ?? []), c]);
    }
    const queue = [...lanes.values()];
    const workers = Array.from(
      { length: Math.min(this.deps.concurrency ?? DEFAULT_GENERATE_MANY_CONCURRENCY, queue.length) },
      async () => {
        for (let lane = queue.shift(); lane; lane = queue.shift()) for (const c of lane) await work(c);
      },
    );
    await Promise.all(workers);
  }
}

function single(connection: Connection, name: string, expiry: TokenExpiry) {
  return { connectionId: connection.id, target: { kind: 'me' as const }, name, expiry };
}

function failure(
  connection: Pick<Connection, 'id' | 'name'>,
  error: unknown,
  stage: GenerateManyError['stage'],
  activeCount: number | null,
): GenerateManyOutcome {
  const info = error instanceof AppError ? error : null;
  return failedOutcome(
    connection,
    {
      code: info?.code ?? 'INTERNAL',
      // Scrubbed as the handler table scrubs error messages (they may quote Vault's own text, which can
      // echo what was sent: issue 11, finding 6); a non-AppError's text is never shown.
      message: info ? redactString(info.message) : 'Something went wrong on this Vault; the others are not affected.',
      vaultErrorType: info?.vaultErrorType ?? null,
      stage,
      needsSecret: info
        ? (info.code === 'GUARD' && Boolean(info.fields?.secret)) || info.code === 'SIGN_IN_REQUIRED'
        : false,
    },
    activeCount,
  );
}
