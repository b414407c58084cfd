/**
 * The token lifecycle: generate, reveal/copy, revoke, rotate, clear, export
 * and import. Secrets go to the OS keychain and nowhere else; if the keychain
 * refuses after Vault minted a token, the value is held in memory until the
 * user has copied it and confirmed — nothing is ever lost.
 *
 * Generate is never retried (docs/vault-api.md §1.2: not idempotent).
 */
import type { z } from 'zod';
import type { Connection } from '../../shared/domain';
import { AppError } from '../../shared/errors';
import {
  MAX_ACTIVE_TOKENS_PER_USER,
  type GenerateResult,
  type RevokeOutcome,
  type TokenExpiry,
  type TokenRow,
  type TokenTarget,
  type VaultUserSummary,
} from '../../shared/tokens';
import type { ExportRequest, GenerateRequest, ImportProgress } from '../../shared/contract/tokens';
import type { InventoryQuery } from '../../shared/tokens';
import type { AuditRepo } from '../store/audit-repo';
import type { ConnectionsRepo } from '../connections/connections-repo';
import type { TokensRepo } from './tokens-repo';
import { accounts, type SecretStore } from '../secrets/secret-store';
import { forgetSecret, registerSecret, type Logger } from '../log';
import { normaliseTimestamp } from '../../shared/token-status';
import { parseImport, toCsv, toJson } from './inventory-export';
import type { Clock } from '../../shared/clock';
import type { ConnectionsService } from '../connections/connections-service';
import type { SecretClipboard } from './clipboard';
import type { VaultGateway } from '../connections/vault-gateway';
import { verifyTokenValue } from './verify-replacement';

export const REVEAL_MASK_AFTER_MS = 30_000;

/** What generate's checks found: where to mint, and for whom. */
export interface GeneratePlan {
  connection: Connection;
  info: { vaultId: number; loginUserId: string | null };
  targetUserId: string | null;
}

export interface TokensDeps {
  connections: ConnectionsService;
  connectionsRepo: ConnectionsRepo;
  tokens: TokensRepo;
  audit: AuditRepo;
  secrets: SecretStore;
  gateway: VaultGateway;
  clipboard: SecretClipboard;
  clock: Clock;
  logger: Logger;
  expiringSoonDays: () => number;
  /** Asks the person, outside the renderer's reach, before a stored value is shown or copied. */
  revealGate: RevealGate;
  /** Reveals and copies allowed per minute, across all tokens (default 10). */
  revealsPerMinute?: number;
}

export interface RevealRequest {
  purpose: 'reveal' | 'copy';
  tokenName: string;
  tokenId: string;
  connectionName: string;
}

/**
 * The gate a compromised renderer cannot pass (issue 11, finding 2): main asks the person itself,
 * e.g. a native dialog or Touch ID in the desktop app. Resolves true to go ahead.
 */
export type RevealGate = (request: RevealRequest) => Promise<boolean>;

/** A token this app just generated may be shown and copied without asking, for this long. */
const FRESH_VALUE_MS = 5 * 60_000;
const DEFAULT_REVEALS_PER_MINUTE = 10;

export class TokensService {
  /**
   * Values whose keychain write failed, until the user confirms they saved them.
   * Keyed by connection and token id, never by row id (row ids can be reused).
   */
  private readonly unsaved = new Map<string, string>();
  /**
   * Rows generated in this run: until when their value may be shown without asking, and which of
   * their one unmetered reveal and one unmetered copy are left (see passGate).
   */
  private readonly fresh = new Map<number, { until: number; unmetered: Set<RevealRequest['purpose']> }>();
  /** When the latest reveals and copies happened (ms), for the per-minute limit. */
  private readonly recentReveals: number[] = [];

  constructor(private readonly deps: TokensDeps) {}

  private now(): Date {
    return this.deps.clock.now();
  }

  requireRow(rowId: number): TokenRow {
    const row = this.deps.tokens.get(rowId, this.now());
    if (!row) throw new AppError('NOT_FOUND', 'That token is no longer in the inventory.');
    return row;
  }

  private requireWritable(row: TokenRow): Connection {
    if (row.readOnly || !row.connectionId) {
      throw new AppError(
        'READ_ONLY',
        `“${row.name}” was imported for review and is read-only here. Act on it from the machine that manages its Vault.`,
      );
    }
    return this.deps.connections.require(row.connectionId);
  }

  /** Vault id and login user id, from the last login or a fresh test when unknown. */
  private async vaultInfo(
    connection: Connection,
    needUserId: boolean,
  ): Promise<{ vaultId: number; loginUserId: string | null }> {
    const known = this.deps.connectionsRepo.vaultInfo(connection.id);
    if (known.vaultId !== null && (!needUserId || known.loginUserId))
      return { vaultId: known.vaultId, loginUserId: known.loginUserId };
    const test = await this.deps.gateway.run(connection, 'Signing in', (vault) => vault.testConnection());
    this.deps.connectionsRepo.setVaultInfo(connection.id, {
      vaultId: test.vault.id,
      vaultName: test.vault.name,
      loginUserId: test.user.id,
    });
    return { vaultId: test.vault.id, loginUserId: test.user.id };
  }

  // ---- guard rails (before calling Vault) -------------------------------------------------

  /**
   * Generate is not idempotent, so it is never sent to a Vault we believe is
   * offline: when the last attempt failed to reach it, a cheap whoami probes
   * first, and only a good answer lets the generate through.
   */
  private async guardOnline(connection: Connection): Promise<void> {
    const health = this.deps.connectionsRepo.health().find((h) => h.connectionId === connection.id);
    if (health?.reachable !== false) return;
    try {
      await this.deps.gateway.run(connection, 'Checking the connection', (vault) => vault.whoami());
    } catch (error) {
      const why = error instanceof AppError ? ` (${error.message})` : '';
      throw new AppError(
        'GUARD',
        `“${connection.name}” is offline${why}. Nothing was sent to Vault; try again when it is reachable.`,
      );
    }
  }

  private guardExpiry(expiry: TokenExpiry): void {
    const now = this.now().getTime();
    if (expiry.kind === 'datetime' && Date.parse(expiry.iso) <= now) {
      throw new AppError('GUARD', 'The expiry is in the past. Pick a later date or time.', {
        fields: { expiry: 'The expiry is in the past.' },
      });
    }
    if (expiry.kind === 'date') {
      // A date alone means 23:59:59 in the user's time zone (docs/vault-api.md §1.2). The latest
      // that can be is 23:59:59 at UTC−12, i.e. the next day 11:59:59Z: only refuse past that.
      const latest = Date.parse(`${expiry.date}T23:59:59Z`) + 12 * 3600_000;
      if (Number.isNaN(latest))
        throw new AppError('GUARD', 'That is not a valid date.', { fields: { expiry: 'Not a valid date.' } });
      if (latest <= now)
        throw new AppError('GUARD', 'The expiry date is in the past. Pick a later date.', {
          fields: { expiry: 'The expiry date is in the past.' },
        });
    }
  }

  /**
   * The sandbox's own Vault, from the Vaults the parent's password login reaches
   * (`vaultIds`, docs/vault-api.md §3.2), and our connection to it if there is one.
   * Null fields when the login cannot tell (token or pasted-session logins).
   */
  private sandboxHome(
    parent: Connection,
    sandboxName: string,
  ): { vaultId: number | null; dns: string | null; connection: Connection | null } {
    const wanted = sandboxName.trim().toLowerCase();
    const vault = this.deps.gateway
      .handle(parent)
      .reachableVaults()
      .find((v) => (v.name ?? '').trim().toLowerCase() === wanted);
    if (!vault) return { vaultId: null, dns: null, connection: null };
    const connection =
      this.deps.connections.list().find((c) => c.dns.toLowerCase() === vault.dns.toLowerCase()) ?? null;
    return { vaultId: vault.id, dns: vault.dns, connection };
  }

  private guardLimit(connection: Connection, userId: string, label: string): void {
    const active = this.deps.tokens.activeCountForUser(connection.id, userId, this.now());
    if (active >= MAX_ACTIVE_TOKENS_PER_USER) {
      throw new AppError(
        'GUARD',
        `${label} already ${label === 'You' ? 'hold' : 'holds'} ${active} active tokens on “${connection.name}” (Vault allows ${MAX_ACTIVE_TOKENS_PER_USER}, as of the last sync). Revoke one first; nothing was sent to Vault.`,
      );
    }
  }

  // ---- generate ----------------------------------------------------------------------------

  /**
   * Every guard rail of generate, without calling Vault's generate endpoint: the expiry, the Vault
   * being reachable, the 25-token limit. May sign in (read-only) to learn the login user's id.
   * Generate runs it first; Generate across Vaults runs it alone as its preflight (checkOnly).
   */
  async checkGenerate(request: z.output<typeof GenerateRequest>): Promise<GeneratePlan> {
    const connection = this.deps.connections.require(request.connectionId);
    // Local checks first: they need no network and give the precise message.
    this.guardExpiry(request.expiry);
    await this.guardOnline(connection);
    const info = await this.vaultInfo(connection, request.target.kind === 'me');
    const target = request.target;
    const targetUserId = target.kind === 'user' ? target.userId : target.kind === 'me' ? info.loginUserId : null;
    if (targetUserId && target.kind !== 'sandbox')
      this.guardLimit(connection, targetUserId, target.kind === 'me' ? 'You' : `User ${targetUserId}`);
    return { connection, info, targetUserId };
  }

  /** Active tokens the connection's login user holds, from the inventory (the last sync); null when unknown. */
  activeCountOfLoginUser(connectionId: string): number | null {
    const { loginUserId } = this.deps.connectionsRepo.vaultInfo(connectionId);
    return loginUserId ? this.deps.tokens.activeCountForUser(connectionId, loginUserId, this.now()) : null;
  }

  async generate(request: z.output<typeof GenerateRequest>, auditAction = 'token.generate'): Promise<GenerateResult> {
    const { connection, info, targetUserId } = await this.checkGenerate(request);
    const target = request.target;

    const minted = await this.deps.gateway.run(connection, 'Generating a token', (vault) =>
      vault.generateToken({ target: target as TokenTarget, name: request.name, expiry: request.expiry }),
    );
    registerSecret(minted.value);
    const at = this.now().toISOString();
    // A sandbox token belongs to the sandbox Vault (docs/vault-api.md §1.4): it is listed and revoked
    // there. Filed under the sandbox's own connection when there is one, it is an ordinary token.
    const sandbox = target.kind === 'sandbox' ? this.sandboxHome(connection, target.sandboxName) : null;
    const owner = sandbox?.connection ?? connection;
    const sandboxName = target.kind === 'sandbox' && !sandbox?.connection ? target.sandboxName : null;
    const tokenVaultId = sandbox ? sandbox.vaultId : info.vaultId;

    // From here the token exists in Vault: its value must reach the keychain or stay in
    // memory, whatever fails next. The keychain goes first (its account needs no row).
    const account = tokenAccount({ connectionId: owner.id, sandboxName, vaultId: tokenVaultId, tokenId: minted.id });
    if (!account)
      throw new AppError(
        'INTERNAL',
        `Vault created token ${minted.id}, but its Vault is unknown here. Sync the sandbox's connection to list it.`,
      );
    let keychainError: string | null = null;
    try {
      await this.deps.secrets.set(account, minted.value);
    } catch (error) {
      keychainError = error instanceof AppError ? error.message : 'The OS keychain refused to save the value.';
      this.unsaved.set(unsavedKey(connection.id, minted.id), minted.value);
      this.deps.logger.error('keychain write failed after generate', {
        connectionId: connection.id,
        tokenId: minted.id,
      });
    }

    // Read back what Vault recorded (the real expiry after its time-zone rule). Best effort.
    let record: Awaited<ReturnType<ReturnType<VaultGateway['handle']>['getToken']>> = null;
    if (target.kind !== 'sandbox') {
      record = await this.deps.gateway
        .run(connection, 'Reading the new token', (vault) => vault.getToken(minted.id))
        .catch(() => null);
    }
    let rowId: number;
    try {
      rowId = this.deps.tokens.insertGenerated({
        connectionId: owner.id,
        connectionName: sandboxName ? `${connection.name} → sandbox ${sandboxName}` : owner.name,
        vaultId: tokenVaultId,
        sandboxName,
        vaultDns: sandbox?.dns ?? connection.dns,
        tokenId: minted.id,
        name: request.name,
        userId: record?.userId ?? targetUserId ?? 'me',
        userName: target.kind === 'user' ? (request.userName ?? null) : connection.username,
        // A date Vault wrote in a form we cannot read must not stop the row: estimate, sync corrects it.
        expiresAt:
          (record ? normaliseTimestamp(record.expiryDate) : null) ??
          (record?.expiryDate === null ? null : estimateExpiry(request.expiry)),
        createdAt: normaliseTimestamp(record?.createdDate ?? null) ?? at,
        secretStored: keychainError === null,
        at,
      });
    } catch (error) {
      this.deps.logger.error('could not record a generated token', {
        connectionId: connection.id,
        tokenId: minted.id,
        error: String(error),
      });
      throw new AppError(
        'INTERNAL',
        keychainError === null
          ? `Vault created token ${minted.id} and its value is in the OS keychain, but the inventory could not record it. Sync “${connection.name}” to list it.`
          : `Vault created token ${minted.id}, but neither the keychain nor the inventory could keep it. Revoke ${minted.id} in Vault and generate another.`,
      );
    }
    this.deps.audit.record(
      {
        action: auditAction,
        connectionId: connection.id,
        connectionName: connection.name,
        tokenId: minted.id,
        detail: describeTarget(target, request.name),
      },
      at,
    );
    if (keychainError) {
      this.deps.audit.record(
        {
          action: 'token.keychain-failed',
          connectionId: connection.id,
          connectionName: connection.name,
          tokenId: minted.id,
          detail: 'value kept in memory until copied',
        },
        at,
      );
    }
    this.deps.logger.info('token generated', { connectionId: connection.id, tokenId: minted.id });
    // Just created here: the result panel may show and copy it without a second confirmation.
    this.fresh.set(rowId, { until: this.now().getTime() + FRESH_VALUE_MS, unmetered: new Set(['reveal', 'copy']) });
    return { token: this.requireRow(rowId), secretStored: keychainError === null, keychainError };
  }

  // ---- reveal, copy, confirm ---------------------------------------------------------------

  private async valueOf(row: TokenRow): Promise<string> {
    const unsaved = row.connectionId ? this.unsaved.get(unsavedKey(row.connectionId, row.tokenId)) : undefined;
    if (unsaved) return unsaved;
    const account = tokenAccount(row);
    if (!row.secretStored || !account) {
      throw new AppError(
        'NOT_FOUND',
        `No value is stored for “${row.name}”. Vault shows a token's value only once, when it is created; rotate it to get a new one.`,
      );
    }
    const value = await this.deps.secrets.get(account);
    if (!value) {
      this.deps.tokens.setSecretStored(row.rowId, false, this.now().toISOString());
      throw new AppError(
        'NOT_FOUND',
        `The keychain no longer holds the value of “${row.name}”. It may have been deleted outside Vault Token Desk.`,
      );
    }
    registerSecret(value);
    return value;
  }

  /**
   * A token's value for main's own use — checking a rotation's replacement, delivering it — without
   * the reveal gate, because it never leaves main: no IPC channel returns it (bulk-rotation.ts).
   * Showing or copying a value keeps the gate (`reveal`, `copy`).
   */
  valueForMain(rowId: number): Promise<string> {
    return this.valueOf(this.requireRow(rowId));
  }

  /**
   * The gate before any value leaves main: a per-minute limit, then the person's confirmation
   * (not needed for a value generated minutes ago in this run). A refusal is audited.
   */
  private async passGate(row: TokenRow, purpose: RevealRequest['purpose']): Promise<void> {
    const now = this.now().getTime();
    const fresh = this.fresh.get(row.rowId);
    const isFresh = fresh !== undefined && fresh.until >= now;
    // Decision (issue 16, Generate across Vaults): a value generated minutes ago in this run gets
    // one reveal and one copy outside the per-minute limit. The limit exists so that a compromised
    // renderer cannot drain the keychain's stored values quickly; a fresh value is one Vault shows
    // only once, at creation (docs/vault-api.md §1.1), and its result panel must let the person
    // take it. Generating in 12 Vaults at once means 12 reveals and 12 copies in a minute, and the
    // limit of 10 would leave values that exist nowhere else unreachable. The exemption stays
    // bounded: each one needs a real token minted in Vault (audited, at most 25 active per user per
    // Vault), it covers only that first reveal and copy, and every later one is metered as usual.
    if (isFresh && fresh.unmetered.delete(purpose)) return;
    const limit = this.deps.revealsPerMinute ?? DEFAULT_REVEALS_PER_MINUTE;
    while (this.recentReveals.length && this.recentReveals[0]! <= now - 60_000) this.recentReveals.shift();
    if (this.recentReveals.length >= limit) {
      const wait = Math.ceil((this.recentReveals[0]! + 60_000 - now) / 1000);
      throw new AppError(
        'GUARD',
        `At most ${limit} token values can be shown or copied per minute. Try again in ${wait} s.`,
      );
    }
    if (!isFresh) {
      const approved = await this.deps.revealGate({
        purpose,
        tokenName: row.name,
        tokenId: row.tokenId,
        connectionName: row.connectionName,
      });
      if (!approved) {
        this.deps.audit.record(
          {
            action: `token.${purpose}-declined`,
            connectionId: row.connectionId,
            connectionName: row.connectionName,
            tokenId: row.tokenId,
          },
          this.now().toISOString(),
        );
        throw new AppError('GUARD', `Not ${purpose === 'copy' ? 'copied' : 'shown'}: the confirmation was declined.`);
      }
    }
    this.recentReveals.push(now);
  }

  async reveal(rowId: number): Promise<{ value: string; maskAfterMs: number }> {
    const row = this.requireRow(rowId);
    await this.passGate(row, 'reveal');
    const value = await this.valueOf(row);
    this.deps.audit.record(
      {
        action: 'token.reveal',
        connectionId: row.connectionId,
        connectionName: row.connectionName,
        tokenId: row.tokenId,
      },
      this.now().toISOString(),
    );
    return { value, maskAfterMs: REVEAL_MASK_AFTER_MS };
  }

  async copy(rowId: number): Promise<{ clearsAfterMs: number }> {
    const row = this.requireRow(rowId);
    await this.passGate(row, 'copy');
    await this.deps.clipboard.copy(await this.valueOf(row));
    this.deps.audit.record(
      {
        action: 'token.copy',
        connectionId: row.connectionId,
        connectionName: row.connectionName,
        tokenId: row.tokenId,
      },
      this.now().toISOString(),
    );
    return { clearsAfterMs: this.deps.clipboard.clearAfterMs };
  }

  confirmSaved(rowId: number): { forgotten: true } {
    const row = this.deps.tokens.get(rowId, this.now());
    const key = row?.connectionId ? unsavedKey(row.connectionId, row.tokenId) : null;
    const value = key ? this.unsaved.get(key) : undefined;
    if (value) forgetSecret(value);
    if (key) this.unsaved.delete(key);
    this.deps.audit.record(
      {
        action: 'token.saved-elsewhere',
        connectionId: row?.connectionId,
        connectionName: row?.connectionName,
        tokenId: row?.tokenId,
        detail: 'user confirmed the value is saved outside the keychain',
      },
      this.now().toISOString(),
    );
    return { forgotten: true };
  }

  /** True while a generated value for this connection is held only in memory. */
  hasUnsavedValues(connectionId: string): boolean {
    return [...this.unsaved.keys()].some((key) => key.startsWith(`${connectionId}/`));
  }

  // ---- revoke ------------------------------------------------------------------------------

  async revoke(rowIds: number[], auditAction = 'token.revoke'): Promise<RevokeOutcome[]> {
    const rows = rowIds.map((id) => this.deps.tokens.get(id, this.now()));
    const outcomes = new Map<number, RevokeOutcome>();
    const byConnection = new Map<string, TokenRow[]>();
    rowIds.forEach((rowId, i) => {
      const row = rows[i];
      if (!row)
        return outcomes.set(rowId, {
          rowId,
          tokenId: '',
          ok: false,
          message: 'Not in the inventory any more.',
          vaultErrorType: null,
        });
      if (row.readOnly || !row.connectionId)
        return outcomes.set(rowId, {
          rowId,
          tokenId: row.tokenId,
          ok: false,
          message: 'Imported for review; read-only here.',
          vaultErrorType: null,
        });
      if (row.status === 'revoked')
        return outcomes.set(rowId, {
          rowId,
          tokenId: row.tokenId,
          ok: true,
          message: 'Already revoked.',
          vaultErrorType: null,
        });
      if (row.sandboxName) {
        const where = row.vaultDns && row.vaultId !== null ? ` (${row.vaultDns})` : '';
        return outcomes.set(rowId, {
          rowId,
          tokenId: row.tokenId,
          ok: false,
          message: `This token lives in the sandbox “${row.sandboxName}”${where}. Add the sandbox as a connection to revoke it there.`,
          vaultErrorType: null,
        });
      }
      const list = byConnection.get(row.connectionId) ?? [];
      list.push(row);
      byConnection.set(row.connectionId, list);
    });

    for (const [connectionId, list] of byConnection) {
      let connection: Connection;
      let results: { id: string; ok: boolean; errorType?: string; message?: string }[];
      try {
        connection = this.deps.connections.require(connectionId);
        const target = connection;
        results = await this.deps.gateway.run(target, 'Revoking tokens', (vault) =>
          vault.revokeTokens(list.map((r) => r.tokenId)),
        );
      } catch (error) {
        const info = error instanceof AppError ? error : null;
        for (const row of list)
          outcomes.set(row.rowId, {
            rowId: row.rowId,
            tokenId: row.tokenId,
            ok: false,
            message: info?.message ?? 'Vault could not be reached.',
            vaultErrorType: info?.vaultErrorType ?? null,
          });
        continue;
      }
      const at = this.now().toISOString();
      const revokedIds: number[] = [];
      for (const [i, row] of list.entries()) {
        const result = results[i];
        if (result?.ok) {
          revokedIds.push(row.rowId);
          outcomes.set(row.rowId, {
            rowId: row.rowId,
            tokenId: row.tokenId,
            ok: true,
            message: null,
            vaultErrorType: null,
          });
        } else {
          outcomes.set(row.rowId, {
            rowId: row.rowId,
            tokenId: row.tokenId,
            ok: false,
            message: result?.message ?? 'Vault did not confirm the revocation.',
            vaultErrorType: result?.errorType ?? null,
          });
        }
      }
      // Vault has revoked these: record it here, but a local failure must not hide the outcomes.
      try {
        this.deps.tokens.markRevoked(revokedIds, at);
        for (const row of list.filter((r) => revokedIds.includes(r.rowId))) {
          await this.deleteSecret(row);
          this.deps.audit.record(
            {
              action: auditAction,
              connectionId,
              connectionName: connection.name,
              tokenId: row.tokenId,
              detail: row.name,
            },
            at,
          );
        }
      } catch (error) {
        this.deps.logger.error('revoked in Vault but not recorded locally; the next sync will', {
          connectionId,
          error: String(error),
        });
      }
      const failed = list.length - revokedIds.length;
      if (failed)
        this.deps.audit.record(
          {
            action: `${auditAction}.failed`,
            connectionId,
            connectionName: connection.name,
            detail: `${failed} of ${list.length} not revoked`,
          },
          at,
        );
    }
    return rowIds.map((id) => outcomes.get(id)!);
  }

  private async deleteSecret(row: TokenRow): Promise<boolean> {
    if (row.connectionId) this.unsaved.delete(unsavedKey(row.connectionId, row.tokenId));
    const account = tokenAccount(row);
    if (!account) return true;
    try {
      await this.deps.secrets.delete(account);
      this.deps.tokens.setSecretStored(row.rowId, false, this.now().toISOString());
      return true;
    } catch (error) {
      // The token is dead in Vault; a leftover keychain item is harmless and is retried on "clear".
      this.deps.logger.warn('could not delete keychain item of a revoked token', {
        tokenId: row.tokenId,
        error: String(error),
      });
      return false;
    }
  }

  // ---- rotate ------------------------------------------------------------------------------

  /** Step 1: a replacement with the same name and user, stored like any new token. The old one stays. */
  async rotate(rowId: number, expiry: TokenExpiry): Promise<GenerateResult> {
    const old = this.requireRow(rowId);
    const connection = this.requireWritable(old);
    if (old.status === 'revoked')
      throw new AppError('GUARD', `“${old.name}” is already revoked; generate a new token instead.`);
    if (old.sandboxName)
      throw new AppError(
        'GUARD',
        `“${old.name}” lives in the sandbox “${old.sandboxName}”. Add the sandbox as a connection to rotate it.`,
      );
    const info = await this.vaultInfo(connection, true);
    const target: TokenTarget = old.userId === info.loginUserId ? { kind: 'me' } : { kind: 'user', userId: old.userId };
    const result = await this.generate(
      { connectionId: connection.id, target, name: old.name, expiry },
      'token.rotate.replacement',
    );
    const at = this.now().toISOString();
    this.deps.audit.record(
      {
        action: 'token.rotate.start',
        connectionId: connection.id,
        connectionName: connection.name,
        tokenId: old.tokenId,
        detail: `replacement ${result.token.tokenId}`,
      },
      at,
    );
    // The old row links to its replacement (migration 008) for the drawer's "Replaced by …". The
    // replacement exists and its value is safe by now: a failure here must not hide it.
    try {
      if (this.deps.tokens.setReplacedBy(old.rowId, result.token.rowId, at))
        return { ...result, token: this.requireRow(result.token.rowId) };
    } catch (error) {
      this.deps.logger.warn('could not link a rotated token to its replacement', {
        tokenId: old.tokenId,
        error: String(error),
      });
    }
    return result;
  }

  /**
   * Step 2, after the user confirmed the replacement works or is copied: check the replacement
   * live, then revoke the old one. `checked`: the caller ran that check itself (bulk-rotation.ts).
   */
  async completeRotation(
    oldRowId: number,
    newRowId: number,
    options: { checked?: boolean } = {},
  ): Promise<RevokeOutcome> {
    if (oldRowId === newRowId)
      throw new AppError('GUARD', 'The replacement must be a different token from the one it replaces.');
    const replacement = this.requireRow(newRowId);
    const old = this.requireRow(oldRowId);
    if (replacement.connectionId !== old.connectionId || replacement.name !== old.name) {
      throw new AppError(
        'GUARD',
        `“${replacement.name}” is not a replacement for “${old.name}”; the old token was left as it is.`,
      );
    }
    if (replacement.status === 'revoked')
      throw new AppError('GUARD', 'The replacement token is revoked; the old one was left as it is.');
    if (!options.checked) await this.checkReplacement(old, replacement);
    const [outcome] = await this.revoke([oldRowId], 'token.rotate.revoke-old');
    return outcome!;
  }

  /**
   * The live check before an old token is revoked (issue 16 item 2, step 4): one harmless Vault
   * call signed with the replacement (verify-replacement.ts). A refusal keeps the old token.
   */
  private async checkReplacement(old: TokenRow, replacement: TokenRow): Promise<void> {
    const connection = this.requireWritable(old);
    const entry = { connectionId: connection.id, connectionName: connection.name, tokenId: old.tokenId };
    try {
      await verifyTokenValue(this.deps.gateway.client, connection, await this.valueOf(replacement), old.userId);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.deps.audit.record(
        { ...entry, action: 'token.rotate.verify.failed', detail: `replacement ${replacement.tokenId}: ${message}` },
        this.now().toISOString(),
      );
      throw new AppError(
        'VAULT',
        `The new token ${replacement.tokenId} did not sign in to Vault, so ${old.tokenId} was not revoked: ${message}`,
      );
    }
    this.deps.audit.record(
      { ...entry, action: 'token.rotate.verify', detail: `replacement ${replacement.tokenId} signed in to Vault` },
      this.now().toISOString(),
    );
  }

  // ---- housekeeping, export, import, users ------------------------------------------------

  async clearRevoked(rowIds?: number[]): Promise<{ cleared: number }> {
    const now = this.now();
    const doomed = rowIds
      ? rowIds.map((id) => this.deps.tokens.get(id, now)).filter((r): r is TokenRow => r?.status === 'revoked')
      : this.deps.tokens.revokedRows(now);
    // A row whose keychain item could not be deleted stays, so the next "clear" retries it.
    const deletable: number[] = [];
    for (const row of doomed) if (await this.deleteSecret(row)) deletable.push(row.rowId);
    const cleared = deletable.length ? this.deps.tokens.clearRevoked(deletable) : 0;
    this.deps.audit.record(
      { action: 'tokens.clear-revoked', detail: `${cleared} revoked row(s) removed from the inventory` },
      now.toISOString(),
    );
    return { cleared };
  }

  exportTokens(request: z.output<typeof ExportRequest>): { filename: string; content: string; mimeType: string } {
    const now = this.now();
    const query: InventoryQuery = { offset: 0, limit: 1000, ...request.query } as InventoryQuery;
    const rows = this.deps.tokens.exportRows(query, now, this.deps.expiringSoonDays());
    const stamp = now.toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
    this.deps.audit.record(
      { action: 'tokens.export', detail: `${rows.length} row(s) as ${request.format.toUpperCase()} (metadata only)` },
      now.toISOString(),
    );
    return request.format === 'csv'
      ? { filename: `vault-tokens-${stamp}.csv`, content: toCsv(rows), mimeType: 'text/csv' }
      : {
          filename: `vault-tokens-${stamp}.json`,
          content: toJson(rows, { exportedAt: now.toISOString() }),
          mimeType: 'application/json',
        };
  }

  /**
   * `onProgress` hears each phase: reading the file, checking its rows, writing them (import:progress).
   * Between checking and writing, other work gets a turn (a page of the inventory, the progress on
   * screen); the writing is one transaction, all or nothing.
   */
  async importTokens(
    content: string,
    fileName?: string,
    onProgress?: (progress: ImportProgress) => void,
  ): Promise<{ imported: number; replaced: number }> {
    const report = (phase: ImportProgress['phase'], done: number, total: number) =>
      onProgress?.({ phase, done, total, fileName: fileName ?? null });
    report('reading', 0, 0);
    const rows = parseImport(content, (done, total) => report('checking', done, total));
    await new Promise((resolve) => setImmediate(resolve));
    const result = this.deps.tokens.importRows(rows, this.now().toISOString(), (done, total) =>
      report('writing', done, total),
    );
    this.deps.audit.record(
      { action: 'tokens.import', detail: `${result.imported} row(s) from ${fileName ?? 'a file'} (read-only)` },
      this.now().toISOString(),
    );
    report('done', rows.length, rows.length);
    return result;
  }

  clearImported(): { cleared: number } {
    const cleared = this.deps.tokens.clearImported();
    this.deps.audit.record(
      { action: 'tokens.clear-imported', detail: `${cleared} imported row(s) removed` },
      this.now().toISOString(),
    );
    return { cleared };
  }

  async searchUsers(connectionId: string, search: string): Promise<VaultUserSummary[]> {
    const connection = this.deps.connections.require(connectionId);
    const users = await this.deps.gateway.run(connection, 'Searching users', (vault) =>
      vault.listUsers({ search, limit: 50 }),
    );
    return users.map((u) => ({
      id: u.id,
      userName: u.username ?? u.id,
      displayName: u.displayName,
      email: u.email,
      timezone: u.timezone,
      active: u.active !== false,
    }));
  }
}

/**
 * Where a token's value lives in the keychain: under the sandbox for sandbox tokens, else under its
 * Vault. Imported rows own no keychain item, whatever ids their file carries: a file could name a
 * live token's Vault and token id, and clearing that "revoked" row must never delete its value.
 */
function tokenAccount(t: {
  connectionId: string | null;
  sandboxName: string | null;
  vaultId: number | null;
  tokenId: string;
  source?: TokenRow['source'];
  readOnly?: boolean;
}): string | null {
  if (t.source === 'import' || t.readOnly || t.connectionId === null) return null;
  if (t.sandboxName) return accounts.sandboxToken(t.connectionId, t.sandboxName, t.tokenId);
  return t.vaultId === null ? null : accounts.token(t.vaultId, t.tokenId);
}

function unsavedKey(connectionId: string, tokenId: string): string {
  return `${connectionId}/${tokenId}`;
}

function describeTarget(target: TokenTarget, name: string): string {
  if (target.kind === 'me') return `“${name}” for me`;
  if (target.kind === 'user') return `“${name}” for user ${target.userId}`;
  return `“${name}” for me in sandbox ${target.sandboxName}`;
}

/** When Vault's record could not be read back: our best guess until the next sync corrects it. */
function estimateExpiry(expiry: TokenExpiry): string | null {
  if (expiry.kind === 'never') return null;
  if (expiry.kind === 'datetime') return new Date(expiry.iso).toISOString();
  return new Date(`${expiry.date}T23:59:59Z`).toISOString();
}
