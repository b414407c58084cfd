/**
 * Bulk rotation with a live check (issue 16 item 2). Each token goes through a step machine:
 *
 *   generate → store → deliver → verify → revoke
 *
 * 1. generate the replacement: same name, same user, same lifetime rule (replacementExpiry);
 * 2. store it: its value in the OS keychain (TokensService.rotate writes keychain, then SQLite,
 *    and links old → new), so a crash from here on leaves both tokens listed after a restart;
 * 3. deliver it: the replacement inherits the old token's targets, which then run with its value;
 * 4. verify it: one harmless call signed with the new token (verify-replacement.ts);
 * 5. only then revoke the old token.
 *
 * Any failure stops that token before the revoke, leaves both tokens listed, and its outcome says
 * which step failed and what to do; the other tokens go on. Every step is audited.
 *
 * Vault's limits are per Vault (docs/vault-api.md §5.3): tokens are queued per Vault host, one at
 * a time inside a queue (each Vault call waits when the burst budget is nearly spent), and the
 * queues of different Vaults run in parallel. Generate is never retried (§1.2).
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { AppError } from '../../shared/errors';
import type { Clock } from '../../shared/clock';
import type { Connection } from '../../shared/domain';
import type { TokenExpiry, TokenRow } from '../../shared/tokens';
import {
  MAX_ROTATION_TOKENS,
  type RotateManyRequest,
  type RotationOutcome,
  type RotationProgress,
  type RotationRun,
  type RotationSelection,
  type RotationStep,
} from '../../shared/contract/rotation';
import type { AuditRepo } from '../store/audit-repo';
import type { Logger } from '../log';
import type { ConnectionsService } from '../connections/connections-service';
import type { VaultGateway } from '../connections/vault-gateway';
import type { DeliveriesService } from '../deliveries/deliveries-service';
import { pauseIfBurstLow, type Sleep } from '../vault/burst-pause';
import type { TokensRepo } from './tokens-repo';
import type { TokensService } from './tokens-service';
import { verifyTokenValue } from './verify-replacement';
import { normaliseTimestamp, rotationExpiryRule } from '../../shared/token-status';

const DAY_MS = 86_400_000;
/** Vaults rotated at once: each is its own host with its own limits (§5.3). */
export const DEFAULT_ROTATION_CONCURRENCY = 16;

export interface BulkRotationDeps {
  tokens: TokensService;
  tokensRepo: TokensRepo;
  deliveries: DeliveriesService;
  connections: ConnectionsService;
  gateway: VaultGateway;
  audit: AuditRepo;
  clock: Clock;
  logger: Logger;
  expiringSoonDays: () => number;
  onProgress?: (progress: RotationProgress) => void;
  concurrency?: number;
  sleep?: Sleep;
}

type Selection = z.output<typeof RotationSelection>;

/**
 * The replacement's expiry: the old token's rule (shared/token-status.ts rotationExpiryRule, as in
 * the single-token Rotate dialog): never, the same lifetime from today, or 90 days. A lifetime in
 * days is sent as a date: 23:59:59 in the user's time zone (docs/vault-api.md §1.2).
 */
export function replacementExpiry(old: Pick<TokenRow, 'expiresAt' | 'createdAt'>, now: Date): TokenExpiry {
  const rule = rotationExpiryRule(old);
  if (rule.kind === 'never') return { kind: 'never' };
  return { kind: 'date', date: new Date(now.getTime() + rule.days * DAY_MS).toISOString().slice(0, 10) };
}

function blankOutcome(row: TokenRow): RotationOutcome {
  return {
    rowId: row.rowId,
    tokenId: row.tokenId,
    name: row.name,
    connectionId: row.connectionId,
    connectionName: row.connectionName,
    state: 'queued',
    step: null,
    stepsDone: [],
    replacementRowId: null,
    replacementTokenId: null,
    oldRevoked: false,
    delivered: 0,
    message: null,
    advice: null,
    vaultErrorType: null,
  };
}

/** Why a row cannot be rotated here at all, or null. */
function notRotatable(row: TokenRow): string | null {
  if (row.readOnly || !row.connectionId) return 'Imported for review; read-only here.';
  if (row.status === 'revoked') return 'Already revoked.';
  if (row.sandboxName)
    return `Lives in the sandbox “${row.sandboxName}”: add the sandbox as a connection to rotate it.`;
  return null;
}

class StepFailure extends Error {
  constructor(
    readonly step: RotationStep,
    message: string,
    readonly advice: string,
    readonly vaultErrorType: string | null = null,
  ) {
    super(message);
  }
}

function messageOf(error: unknown): { message: string; vaultErrorType: string | null } {
  if (error instanceof AppError) return { message: error.message, vaultErrorType: error.vaultErrorType ?? null };
  return { message: 'Something unexpected went wrong.', vaultErrorType: null };
}

export class BulkRotation {
  /** Rows being rotated by some run, so that two runs never rotate one token twice. */
  private readonly inFlight = new Set<number>();

  constructor(private readonly deps: BulkRotationDeps) {}

  private now(): Date {
    return this.deps.clock.now();
  }

  /**
   * The rows a selection names: picked rows in the order given, or the active tokens expiring
   * within N days, soonest first. Unknown row ids come back as null (reported, never rotated).
   */
  select(selection: Selection): (TokenRow | { missing: number })[] {
    const now = this.now();
    const soon = this.deps.expiringSoonDays();
    if ('rowIds' in selection)
      return [...new Set(selection.rowIds)].map(
        (rowId) => this.deps.tokensRepo.get(rowId, now, soon) ?? { missing: rowId },
      );
    const page = this.deps.tokensRepo.query(
      {
        statuses: ['active', 'expiring'],
        expiresWithinDays: selection.expiringWithinDays,
        ...(selection.connectionIds ? { connectionIds: selection.connectionIds } : {}),
        sort: { column: 'expiresAt', direction: 'asc' },
        offset: 0,
        limit: MAX_ROTATION_TOKENS,
      },
      now,
      soon,
    );
    // Never a silent cut: a run that cannot take every due token says so before anything starts.
    if (page.total > MAX_ROTATION_TOKENS)
      throw new AppError(
        'GUARD',
        `${page.total} tokens expire within ${selection.expiringWithinDays} days; one run rotates at most ${MAX_ROTATION_TOKENS}. Choose fewer days, or one connection or client at a time.`,
      );
    return page.rows.filter((r) => !r.readOnly);
  }

  /** What a run would do, without doing it: queued, or skipped with the reason. */
  preview(selection: Selection): RotationOutcome[] {
    return this.select(selection).map((row) => this.initialOutcome(row));
  }

  private initialOutcome(row: TokenRow | { missing: number }): RotationOutcome {
    if ('missing' in row)
      return {
        ...blankOutcome({
          rowId: row.missing,
          tokenId: '',
          name: '',
          connectionId: null,
          connectionName: '',
        } as TokenRow),
        state: 'skipped',
        message: 'Not in the inventory any more.',
      };
    const why = notRotatable(row);
    if (why) return { ...blankOutcome(row), state: 'skipped', message: why };
    if (this.inFlight.has(row.rowId))
      return { ...blankOutcome(row), state: 'skipped', message: 'Already being rotated by another run.' };
    return blankOutcome(row);
  }

  async rotateMany(request: z.output<typeof RotateManyRequest>): Promise<RotationRun> {
    const runId = randomUUID();
    const rows = this.select(request.selection);
    const outcomes = rows.map((row) => this.initialOutcome(row));
    const total = outcomes.length;
    const report = (index: number) =>
      this.deps.onProgress?.({
        runId,
        index,
        total,
        outcome: { ...outcomes[index]!, stepsDone: [...outcomes[index]!.stepsDone] },
      });
    outcomes.forEach((_, index) => report(index));

    // One queue per Vault host: serial inside, parallel across (§5.3).
    const lanes = new Map<string, number[]>();
    outcomes.forEach((o, index) => {
      if (o.state !== 'queued') return;
      const row = rows[index] as TokenRow;
      this.inFlight.add(row.rowId);
      const host = row.vaultDns.toLowerCase();
      lanes.set(host, [...(lanes.get(host) ?? []), index]);
    });
    const queue = [...lanes.values()];
    const workers = Array.from(
      { length: Math.min(this.deps.concurrency ?? DEFAULT_ROTATION_CONCURRENCY, queue.length) },
      async () => {
        for (let lane = queue.shift(); lane; lane = queue.shift()) {
          for (const index of lane) {
            const row = rows[index] as TokenRow;
            try {
              await this.rotateOne(row, outcomes[index]!, request, () => report(index));
            } finally {
              this.inFlight.delete(row.rowId);
            }
          }
        }
      },
    );
    await Promise.all(workers);

    const rotated = outcomes.filter((o) => o.state === 'done').length;
    const failed = outcomes.filter((o) => o.state === 'failed').length;
    const skipped = outcomes.filter((o) => o.state === 'skipped').length;
    this.deps.audit.record(
      {
        action: 'tokens.rotate-many',
        detail: `${rotated} of ${total} token(s) rotated${failed ? `, ${failed} failed` : ''}${skipped ? `, ${skipped} skipped` : ''}${request.deliver ? '' : ' (deliveries not run)'}`,
      },
      this.now().toISOString(),
    );
    return { runId, outcomes, rotated, failed, skipped };
  }

  /** One token through the steps. Never throws: a failure is written into `o`. */
  private async rotateOne(
    old: TokenRow,
    o: RotationOutcome,
    { deliver, expiry }: { deliver: boolean; expiry?: TokenExpiry | undefined },
    report: () => void,
  ): Promise<void> {
    const begin = (step: RotationStep) => {
      o.state = 'running';
      o.step = step;
      report();
    };
    const done = (step: RotationStep) => {
      o.stepsDone.push(step);
      report();
    };
    // A token with delivery targets is rotated only with its deliveries: revoking it while its targets
    // still hold the old value would break the integration that reads them (issue 16: "any failure
    // stops before it can break an integration"). Nothing is generated for it.
    const targets = this.deps.deliveries.list(old.rowId).length;
    if (!deliver && targets > 0) {
      o.state = 'skipped';
      o.message = `Has ${targets} delivery target${targets === 1 ? '' : 's'}, and deliveries were not asked for: rotating would leave ${targets === 1 ? 'it' : 'them'} holding the old value when it is revoked.`;
      o.advice = 'Rotate it with Deliver on (token rotate --deliver), or remove its delivery targets first.';
      report();
      return;
    }
    let connection: Connection | null = null;
    try {
      connection = this.deps.connections.require(old.connectionId!);
      const vault = connection;
      const pause = () => pauseIfBurstLow(this.deps.gateway.handle(vault).limits(), this.deps.logger, this.deps.sleep);

      // 1. generate (and, inside TokensService.rotate, 2. store: keychain first, then the row).
      begin('generate');
      await pause();
      let result;
      try {
        result = await this.deps.tokens.rotate(
          old.rowId,
          expiry ?? replacementExpiry(await this.lifetimeOf(old, vault), this.now()),
        );
      } catch (error) {
        const { message, vaultErrorType } = messageOf(error);
        throw new StepFailure(
          'generate',
          message,
          `Nothing changed: ${old.tokenId} is still active. Fix the cause and rotate it again.`,
          vaultErrorType,
        );
      }
      const replacement = result.token;
      o.replacementRowId = replacement.rowId;
      o.replacementTokenId = replacement.tokenId;
      done('generate');

      begin('store');
      if (!result.secretStored)
        throw new StepFailure(
          'store',
          `The OS keychain refused the value of the replacement ${replacement.tokenId}: ${result.keychainError ?? 'unknown reason'}`,
          `The value is held in memory only until this app quits: open ${replacement.tokenId} in the inventory and copy it now, or revoke it. ${old.tokenId} is still active.`,
        );
      done('store');

      // 3. deliver: the replacement takes over the old token's targets, then they run with its value.
      begin('deliver');
      const inherited = this.deps.deliveries.inheritDeliveries(old.rowId, replacement.rowId);
      if (deliver) {
        let delivery;
        try {
          delivery = await this.deps.deliveries.deliverToken(connection.id, replacement.rowId, {
            value: await this.deps.tokens.valueForMain(replacement.rowId),
          });
        } catch (error) {
          throw new StepFailure(
            'deliver',
            messageOf(error).message,
            `The replacement ${replacement.tokenId} exists and is stored; ${old.tokenId} is still active. Fix the cause, press “Deliver now” on the replacement, then revoke ${old.tokenId}.`,
          );
        }
        o.delivered = delivery.outcomes.length;
        const failures = delivery.outcomes.filter((d) => d.status !== 'ok');
        if (failures.length > 0) {
          const first = failures[0]!;
          throw new StepFailure(
            'deliver',
            `${failures.length} of ${delivery.outcomes.length} deliveries failed; ${first.label}: ${first.status === 'timed-out' ? 'timed out' : (first.message ?? `exit ${first.exitCode ?? '?'}`)}`,
            `${old.tokenId} is still active, so whatever read the old value still works. Fix the target, press “Deliver now” on the replacement ${replacement.tokenId}, then revoke ${old.tokenId}.`,
          );
        }
      } else if (inherited.moved > 0) {
        o.advice = `Deliveries were not run: ${inherited.moved} target(s) moved to the replacement; press “Deliver now” on it.`;
      }
      done('deliver');

      // 4. verify: one harmless call signed with the new value.
      begin('verify');
      await pause();
      try {
        const value = await this.deps.tokens.valueForMain(replacement.rowId);
        await verifyTokenValue(this.deps.gateway.client, connection, value, old.userId);
      } catch (error) {
        const { message, vaultErrorType } = messageOf(error);
        this.audit(old, connection, 'token.rotate.verify.failed', `replacement ${replacement.tokenId}: ${message}`);
        throw new StepFailure(
          'verify',
          message,
          `Both tokens are kept and ${old.tokenId} is still active. ${o.delivered ? `The replacement was already delivered to ${o.delivered} target(s), which now hold a value Vault refused: put the old value back there, or fix the cause and press “Deliver now” on ${replacement.tokenId}. ` : ''}Check the replacement ${replacement.tokenId} in Vault; revoke whichever one does not work, or rotate again.`,
          vaultErrorType,
        );
      }
      this.audit(old, connection, 'token.rotate.verify', `replacement ${replacement.tokenId} signed in to Vault`);
      done('verify');

      // 5. revoke the old token, now that its replacement is stored, delivered and working.
      begin('revoke');
      await pause();
      const revoked = await this.deps.tokens.completeRotation(old.rowId, replacement.rowId, { checked: true });
      if (!revoked.ok)
        throw new StepFailure(
          'revoke',
          revoked.message ?? 'Vault did not confirm the revocation.',
          `The replacement ${replacement.tokenId} works and is delivered. Revoke ${old.tokenId} again (Revoke…, or token revoke).`,
          revoked.vaultErrorType,
        );
      o.oldRevoked = true;
      done('revoke');
      o.state = 'done';
      o.message = null;
      report();
    } catch (error) {
      const failure =
        error instanceof StepFailure
          ? error
          : new StepFailure(
              o.step ?? 'generate',
              messageOf(error).message,
              `${old.tokenId} is still active. Fix the cause and rotate it again.`,
              messageOf(error).vaultErrorType,
            );
      o.state = 'failed';
      o.step = failure.step;
      o.message = failure.message;
      o.advice = failure.advice;
      o.vaultErrorType = failure.vaultErrorType;
      this.deps.logger.warn('rotation stopped before the revoke', {
        rowId: old.rowId,
        tokenId: old.tokenId,
        step: failure.step,
        replacementTokenId: o.replacementTokenId,
      });
      this.audit(
        old,
        connection,
        'token.rotate.failed',
        `stopped at ${failure.step}${o.replacementTokenId ? ` (replacement ${o.replacementTokenId} kept)` : ''}: ${failure.message}`,
      );
      report();
    }
  }

  /**
   * The old token's expiry and creation date. A synced row has no creation date (the token listing
   * selects only its six documented fields, docs/vault-api.md §2.1), so it is read from the token's
   * record (Retrieve Object Record, §1.5), which carries `created_date__v`. Unreadable: the default.
   */
  private async lifetimeOf(old: TokenRow, connection: Connection): Promise<Pick<TokenRow, 'expiresAt' | 'createdAt'>> {
    if (old.expiresAt === null || old.createdAt !== null) return old;
    const record = await this.deps.gateway
      .run(connection, 'Reading the old token', (vault) => vault.getToken(old.tokenId))
      .catch(() => null);
    return { expiresAt: old.expiresAt, createdAt: normaliseTimestamp(record?.createdDate ?? null) };
  }

  private audit(old: TokenRow, connection: Connection | null, action: string, detail: string): void {
    this.deps.audit.record(
      {
        action,
        connectionId: old.connectionId,
        connectionName: connection?.name ?? old.connectionName,
        tokenId: old.tokenId,
        detail,
      },
      this.now().toISOString(),
    );
  }
}
