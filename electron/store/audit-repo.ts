import type { AuditEntry } from '../../shared/domain';
import type { Db } from './database';

export interface AuditRecord {
  action: string;
  connectionId?: string | null;
  connectionName?: string | null;
  tokenId?: string | null;
  /** Free text for people; callers never put a secret here. */
  detail?: string | null;
}

interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  connection_id: string | null;
  connection_name: string | null;
  token_id: string | null;
  detail: string | null;
}

export class AuditRepo {
  constructor(
    private readonly db: Db,
    private readonly actor: string,
  ) {}

  record(entry: AuditRecord, at: string): void {
    this.db
      .prepare(
        `INSERT INTO audit_log (at, actor, action, connection_id, connection_name, token_id, detail)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        at,
        this.actor,
        entry.action,
        entry.connectionId ?? null,
        entry.connectionName ?? null,
        entry.tokenId ?? null,
        entry.detail ?? null,
      );
  }

  list(limit: number, beforeId?: number): AuditEntry[] {
    const rows = (
      beforeId
        ? this.db.prepare('SELECT * FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?').all(beforeId, limit)
        : this.db.prepare('SELECT * FROM audit_log ORDER BY id DESC LIMIT ?').all(limit)
    ) as AuditRow[];
    return rows.map((r) => ({
      id: r.id,
      at: r.at,
      actor: r.actor,
      action: r.action,
      connectionId: r.connection_id,
      connectionName: r.connection_name,
      tokenId: r.token_id,
      detail: r.detail,
    }));
  }
}
