/**
 * The `token_deliveries` table (migration 009): each token's delivery targets and their last
 * outcome. There is no column for a value and this repo never receives one; the last message is
 * scrubbed and cut by the caller (deliveries-service.ts) before it arrives here.
 */
import type { Db } from '../store/database';
import {
  DeliveryTargetSchema,
  type Delivery,
  type DeliveryStatus,
  type DeliveryTarget,
} from '../../shared/contract/deliveries';

interface DeliveryDbRow {
  id: number;
  token_row_id: number;
  kind: string;
  config: string;
  label: string;
  created_at: string;
  updated_at: string;
  last_run_at: string | null;
  last_status: DeliveryStatus | null;
  last_exit_code: number | null;
  last_message: string | null;
  connection_id: string | null;
  connection_name: string;
  token_id: string;
  token_name: string;
}

const SELECT = `SELECT d.*, t.connection_id, t.connection_name, t.token_id, t.name AS token_name
  FROM token_deliveries d JOIN tokens t ON t.id = d.token_row_id`;

/** The stored configuration: the target without its `kind`, which has a column of its own. */
function configOf(target: DeliveryTarget): string {
  const { kind: _kind, ...config } = target;
  return JSON.stringify(config);
}

function toDelivery(r: DeliveryDbRow): Delivery {
  // Parsed again on the way out: a row written by another version still reads as a valid target.
  const target = DeliveryTargetSchema.parse({ kind: r.kind, ...(JSON.parse(r.config) as object) });
  return {
    id: r.id,
    rowId: r.token_row_id,
    connectionId: r.connection_id,
    connectionName: r.connection_name,
    tokenId: r.token_id,
    tokenName: r.token_name,
    target,
    label: r.label,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    lastRunAt: r.last_run_at,
    lastStatus: r.last_status,
    lastExitCode: r.last_exit_code,
    lastMessage: r.last_message,
  };
}

export interface DeliveryRun {
  status: DeliveryStatus;
  exitCode: number | null;
  message: string | null;
}

export class DeliveriesRepo {
  constructor(private readonly db: Db) {}

  add(rowId: number, target: DeliveryTarget, label: string, at: string): number {
    const result = this.db
      .prepare(
        `INSERT INTO token_deliveries (token_row_id, kind, config, label, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
      )
      .get(rowId, target.kind, configOf(target), label, at, at) as { id: number };
    return result.id;
  }

  get(id: number): Delivery | null {
    const row = this.db.prepare(`${SELECT} WHERE d.id = ?`).get(id) as DeliveryDbRow | undefined;
    return row ? toDelivery(row) : null;
  }

  /** A token's deliveries, oldest first: the order they run in. */
  forToken(rowId: number): Delivery[] {
    return (this.db.prepare(`${SELECT} WHERE d.token_row_id = ? ORDER BY d.id`).all(rowId) as DeliveryDbRow[]).map(
      toDelivery,
    );
  }

  /** Every delivery, or those of one connection's tokens, by token then age. */
  all(connectionId?: string): Delivery[] {
    const rows = connectionId
      ? this.db.prepare(`${SELECT} WHERE t.connection_id = ? ORDER BY t.token_id, d.id`).all(connectionId)
      : this.db.prepare(`${SELECT} ORDER BY t.connection_name, t.token_id, d.id`).all();
    return (rows as DeliveryDbRow[]).map(toDelivery);
  }

  /** Whether the token already has this exact target (same kind and configuration). */
  findSame(rowId: number, target: DeliveryTarget): number | null {
    const row = this.db
      .prepare('SELECT id FROM token_deliveries WHERE token_row_id = ? AND kind = ? AND config = ?')
      .get(rowId, target.kind, configOf(target)) as { id: number } | undefined;
    return row?.id ?? null;
  }

  remove(id: number): boolean {
    return this.db.prepare('DELETE FROM token_deliveries WHERE id = ?').run(id).changes > 0;
  }

  recordRun(id: number, run: DeliveryRun, at: string): void {
    this.db
      .prepare(
        `UPDATE token_deliveries SET last_run_at = ?, last_status = ?, last_exit_code = ?, last_message = ?, updated_at = ?
         WHERE id = ?`,
      )
      .run(at, run.status, run.exitCode, run.message, at, id);
  }

  /**
   * Moves every delivery of `fromRowId` to `toRowId`, in one transaction. A target the new row
   * already has is not doubled: the old row's copy is dropped. Returns how many moved.
   */
  move(fromRowId: number, toRowId: number, at: string): number {
    return this.db.transaction(() => {
      const existing = new Set(
        (
          this.db.prepare('SELECT kind, config FROM token_deliveries WHERE token_row_id = ?').all(toRowId) as {
            kind: string;
            config: string;
          }[]
        ).map((r) => `${r.kind}\u0000${r.config}`),
      );
      const moving = this.db
        .prepare('SELECT id, kind, config FROM token_deliveries WHERE token_row_id = ? ORDER BY id')
        .all(fromRowId) as { id: number; kind: string; config: string }[];
      const update = this.db.prepare('UPDATE token_deliveries SET token_row_id = ?, updated_at = ? WHERE id = ?');
      const drop = this.db.prepare('DELETE FROM token_deliveries WHERE id = ?');
      let moved = 0;
      for (const d of moving) {
        const key = `${d.kind}\u0000${d.config}`;
        if (existing.has(key)) {
          drop.run(d.id);
          continue;
        }
        existing.add(key);
        update.run(toRowId, at, d.id);
        moved += 1;
      }
      return moved;
    })();
  }
}
