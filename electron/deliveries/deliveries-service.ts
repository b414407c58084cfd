/**
 * Deliveries (issue 16 item 3): each token's targets — dotenv files and commands — and running
 * them after generate and rotate, or on demand.
 *
 * - The value is read from the OS keychain at the moment of delivery, registered with the log
 *   redactor, and handed to the target; it is never stored, logged, audited or put in a message.
 * - Adding a target asks the person first, in main (`DeliveryGate`): a target receives the value
 *   from then on, so for a compromised renderer adding one would be as good as a reveal
 *   (SECURITY.md, "A compromised renderer").
 * - A run tries every target of the token, one after the other, and records each outcome on its
 *   row and in the audit log (when, which target, the outcome); one failure does not stop the
 *   others, but the run as a whole then says failed, so a rotation stops before its revoke.
 * - A rotation's replacement inherits the targets of the token it replaces (`inheritDeliveries`).
 */
import { AppError } from '../../shared/errors';
import type { Clock } from '../../shared/clock';
import type { TokenRow } from '../../shared/tokens';
import type {
  DeliverResult,
  Delivery,
  DeliveryOutcome,
  DeliveryStatus,
  DeliveryTarget,
} from '../../shared/contract/deliveries';
import type { AuditRepo } from '../store/audit-repo';
import type { TokensRepo } from '../tokens/tokens-repo';
import { accounts, type SecretStore } from '../secrets/secret-store';
import { registerSecret, type Logger } from '../log';
import type { DeliveriesRepo } from './deliveries-repo';
import { deliverToDotenv, type TargetResult } from './dotenv-target';
import { deliverToCommand } from './command-target';
import { describeCommand } from './describe-target';

export interface DeliveryConfirmRequest {
  tokenName: string;
  tokenId: string;
  connectionName: string;
  kind: DeliveryTarget['kind'];
  /** The file path, or the command's program. */
  label: string;
  /** What exactly will receive the value: `VAR in /path/.env`, or the command line. */
  detail: string;
}

/**
 * Asks the person, outside the renderer's reach, before a new target may receive a token's value.
 * Resolves true to go ahead. The CLI asks nobody: the person at the terminal typed the command.
 */
export type DeliveryGate = (request: DeliveryConfirmRequest) => Promise<boolean>;

/** Runs one target with the value; replaceable in tests. */
export type TargetRunner = (target: DeliveryTarget, value: string) => Promise<TargetResult>;

export const runTarget: TargetRunner = (target, value) =>
  target.kind === 'dotenv' ? deliverToDotenv(target, value) : deliverToCommand(target, value);

export interface DeliveriesDeps {
  repo: DeliveriesRepo;
  tokens: TokensRepo;
  secrets: SecretStore;
  audit: AuditRepo;
  clock: Clock;
  logger: Logger;
  confirmTarget: DeliveryGate;
  runTarget?: TargetRunner;
}

export function labelOf(target: DeliveryTarget): string {
  return target.kind === 'dotenv' ? target.path : target.argv[0]!;
}

function detailOf(target: DeliveryTarget): string {
  return target.kind === 'dotenv' ? `${target.key} in ${target.path}` : describeCommand(target);
}

/** The audit log's words for a target: kind and label (and the variable), never the value. */
function auditTarget(target: DeliveryTarget): string {
  return target.kind === 'dotenv' ? `dotenv ${target.path} (${target.key})` : `command ${target.argv[0]}`;
}

function statusOf(result: TargetResult): DeliveryStatus {
  return result.ok ? 'ok' : result.timedOut ? 'timed-out' : 'failed';
}

/**
 * Where a token's value lives in the keychain: the rule of tokens-service.ts `tokenAccount`.
 * Imported rows own no keychain item whatever ids their file names.
 */
function tokenAccount(row: TokenRow): string | null {
  if (row.source === 'import' || row.readOnly || row.connectionId === null) return null;
  if (row.sandboxName) return accounts.sandboxToken(row.connectionId, row.sandboxName, row.tokenId);
  return row.vaultId === null ? null : accounts.token(row.vaultId, row.tokenId);
}

export class DeliveriesService {
  private readonly run: TargetRunner;

  constructor(private readonly deps: DeliveriesDeps) {
    this.run = deps.runTarget ?? runTarget;
  }

  private now(): Date {
    return this.deps.clock.now();
  }

  private requireRow(rowId: number): TokenRow {
    const row = this.deps.tokens.get(rowId, this.now());
    if (!row) throw new AppError('NOT_FOUND', 'That token is no longer in the inventory.');
    return row;
  }

  /** A token whose value this app holds and may hand on: not imported, not revoked or expired. */
  private requireDeliverable(row: TokenRow): TokenRow & { connectionId: string } {
    if (row.readOnly || row.connectionId === null)
      throw new AppError(
        'READ_ONLY',
        `“${row.name}” was imported for review and is read-only here; deliver it from the machine that manages its Vault.`,
      );
    if (row.status === 'revoked' || row.status === 'expired')
      throw new AppError(
        'GUARD',
        `“${row.name}” (${row.tokenId}) is ${row.status}: delivering it would replace a working value with a dead one. Deliver its replacement instead.`,
      );
    return row as TokenRow & { connectionId: string };
  }

  list(rowId: number): Delivery[] {
    this.requireRow(rowId);
    return this.deps.repo.forToken(rowId);
  }

  /** Every delivery, or those of one connection's tokens. */
  listAll(connectionId?: string): Delivery[] {
    return this.deps.repo.all(connectionId);
  }

  async add(rowId: number, target: DeliveryTarget): Promise<Delivery> {
    const row = this.requireDeliverable(this.requireRow(rowId));
    const same = this.deps.repo.findSame(rowId, target);
    if (same !== null)
      throw new AppError('CONFLICT', `“${row.name}” already delivers to ${detailOf(target)} (delivery ${same}).`);
    const label = labelOf(target);
    const approved = await this.deps.confirmTarget({
      tokenName: row.name,
      tokenId: row.tokenId,
      connectionName: row.connectionName,
      kind: target.kind,
      label,
      detail: detailOf(target),
    });
    const at = this.now().toISOString();
    const audit = { connectionId: row.connectionId, connectionName: row.connectionName, tokenId: row.tokenId };
    if (!approved) {
      this.deps.audit.record({ ...audit, action: 'token.delivery.add-declined', detail: auditTarget(target) }, at);
      throw new AppError('GUARD', 'Delivery not added: the confirmation was declined.');
    }
    const id = this.deps.repo.add(rowId, target, label, at);
    this.deps.audit.record({ ...audit, action: 'token.delivery.add', detail: auditTarget(target) }, at);
    this.deps.logger.info('delivery added', { deliveryId: id, rowId, tokenId: row.tokenId, kind: target.kind });
    return this.deps.repo.get(id)!;
  }

  remove(id: number): { removed: true } {
    const delivery = this.deps.repo.get(id);
    if (!delivery) throw new AppError('NOT_FOUND', `There is no delivery ${id}.`);
    this.deps.repo.remove(id);
    this.deps.audit.record(
      {
        action: 'token.delivery.remove',
        connectionId: delivery.connectionId,
        connectionName: delivery.connectionName,
        tokenId: delivery.tokenId,
        detail: auditTarget(delivery.target),
      },
      this.now().toISOString(),
    );
    return { removed: true };
  }

  /**
   * The replacement made by a rotation takes over the targets of the token it replaces: they move
   * (the old token is about to be revoked, and a "Deliver now" on it would put its old value back).
   * A target the replacement already has is not doubled. Call it after the replacement is stored
   * and before delivering it.
   */
  inheritDeliveries(oldRowId: number, newRowId: number): { moved: number } {
    if (oldRowId === newRowId) return { moved: 0 };
    const old = this.requireRow(oldRowId);
    const replacement = this.requireRow(newRowId);
    if (old.connectionId !== replacement.connectionId)
      throw new AppError('GUARD', `“${replacement.name}” is on another connection than “${old.name}”.`);
    const at = this.now().toISOString();
    const moved = this.deps.repo.move(oldRowId, newRowId, at);
    if (moved > 0)
      this.deps.audit.record(
        {
          action: 'token.delivery.inherit',
          connectionId: replacement.connectionId,
          connectionName: replacement.connectionName,
          tokenId: replacement.tokenId,
          detail: `${moved} delivery target(s) from ${old.tokenId}`,
        },
        at,
      );
    return { moved };
  }

  /** "Deliver now" from the app: the row's own connection. */
  deliverRow(rowId: number): Promise<DeliverResult> {
    const row = this.requireRow(rowId);
    if (row.connectionId === null) this.requireDeliverable(row);
    return this.deliverToken(row.connectionId!, rowId);
  }

  /**
   * Runs every delivery of the token with its value from the keychain (or `value`, for a caller
   * in main that holds it, e.g. after the keychain refused a freshly generated one). No target:
   * nothing to do, and ok. No stored value: a NOT_FOUND error naming the token, before any target.
   */
  async deliverToken(connectionId: string, rowId: number, options: { value?: string } = {}): Promise<DeliverResult> {
    const row = this.requireRow(rowId);
    if (row.connectionId !== connectionId) throw new AppError('NOT_FOUND', 'That token is not on this connection.');
    this.requireDeliverable(row);
    const deliveries = this.deps.repo.forToken(rowId);
    if (deliveries.length === 0) return { rowId, tokenId: row.tokenId, ok: true, outcomes: [] };
    const value = options.value ?? (await this.storedValue(row));
    registerSecret(value);

    const outcomes: DeliveryOutcome[] = [];
    for (const delivery of deliveries) outcomes.push(await this.runOne(row, delivery, value));
    return { rowId, tokenId: row.tokenId, ok: outcomes.every((o) => o.status === 'ok'), outcomes };
  }

  private async storedValue(row: TokenRow): Promise<string> {
    const account = tokenAccount(row);
    const value = row.secretStored && account ? await this.deps.secrets.get(account) : null;
    if (value) return value;
    const at = this.now().toISOString();
    if (row.secretStored && account) this.deps.tokens.setSecretStored(row.rowId, false, at);
    this.deps.audit.record(
      {
        action: 'token.deliver.failed',
        connectionId: row.connectionId,
        connectionName: row.connectionName,
        tokenId: row.tokenId,
        detail: 'no stored value; nothing was delivered',
      },
      at,
    );
    throw new AppError(
      'NOT_FOUND',
      row.secretStored
        ? `The keychain no longer holds the value of “${row.name}” (${row.tokenId}), so nothing was delivered. It may have been deleted outside Vault Token Desk; rotate the token to get a new value.`
        : `No value is stored for “${row.name}” (${row.tokenId}), so nothing was delivered. Vault shows a token's value only once, when it is created; rotate it to get a new one.`,
    );
  }

  private async runOne(row: TokenRow, delivery: Delivery, value: string): Promise<DeliveryOutcome> {
    const started = Date.now();
    let result: TargetResult;
    try {
      result = await this.run(delivery.target, value);
    } catch (error) {
      // The runners answer with outcomes; anything thrown is unexpected and said without detail.
      this.deps.logger.error('delivery target threw', { deliveryId: delivery.id, error: String(error) });
      result = { ok: false, exitCode: null, timedOut: false, message: 'the delivery failed unexpectedly' };
    }
    const durationMs = Date.now() - started;
    const status = statusOf(result);
    const at = this.now().toISOString();
    this.deps.repo.recordRun(delivery.id, { status, exitCode: result.exitCode, message: result.message }, at);
    const outcome =
      status === 'ok'
        ? 'delivered'
        : status === 'timed-out'
          ? 'timed out'
          : result.exitCode !== null
            ? `failed, exit ${result.exitCode}`
            : 'failed';
    this.deps.audit.record(
      {
        action: status === 'ok' ? 'token.deliver' : 'token.deliver.failed',
        connectionId: row.connectionId,
        connectionName: row.connectionName,
        tokenId: row.tokenId,
        detail: `${auditTarget(delivery.target)}: ${outcome}`,
      },
      at,
    );
    this.deps.logger.info('delivery ran', {
      deliveryId: delivery.id,
      rowId: row.rowId,
      tokenId: row.tokenId,
      kind: delivery.target.kind,
      status,
      exitCode: result.exitCode,
      durationMs,
    });
    return {
      deliveryId: delivery.id,
      kind: delivery.target.kind,
      label: delivery.label,
      status,
      exitCode: result.exitCode,
      message: result.message,
      durationMs,
    };
  }
}
