import type { z } from 'zod';
import type { AuditListEntry, AuditListQuery } from '../../shared/contract/app';
import type { Db } from './database';

export interface AuditRecord {
  action: string;
  connectionId?: string | null;
  connectionName?: string | null;
  tokenId?: string | null;
  /** Free text for people; callers never put a secret here. */
  detail?: string | null;
}

export type AuditFilter = Omit<z.output<typeof AuditListQuery>, 'limit' | 'beforeId'>;

interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  connection_id: string | null;
  connection_name: string | null;
  token_id: string | null;
  detail: string | null;
  token_name: string | null;
  owner_id: string | null;
  owner_name: string | null;
}

/** "“Nightly ETL” for user 100204" (tokens-service.ts describeTarget): the user a token was generated for. */
const FOR_USER = /\bfor user (\S+?)(?=[\s.,;)]|$)/;

/** `%`, `_` and the escape itself are literal in a search (SQLite LIKE … ESCAPE '\'). */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
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

  /**
   * Newest first, `limit` at a time, below `beforeId` when paging. Every filter is a bound
   * parameter (issue 13 item 8): connection, actions, token, time range [from, to), and a
   * case-insensitive search over the action, connection, token id and name, owner, actor and
   * detail. The token's name and owner come from the inventory (tokens, by connection and Vault
   * token id), so a revoked or removed token still reads by the name it had while it is listed.
   */
  list(limit: number, beforeId?: number, filter: AuditFilter = {}): AuditListEntry[] {
    const where: string[] = [];
    const params: Record<string, unknown> = { limit };
    if (beforeId) {
      where.push('a.id < @beforeId');
      params.beforeId = beforeId;
    }
    if (filter.connectionId) {
      where.push('a.connection_id = @connectionId');
      params.connectionId = filter.connectionId;
    }
    if (filter.actions?.length) {
      where.push('a.action IN (SELECT value FROM json_each(@actions))');
      params.actions = JSON.stringify(filter.actions);
    }
    if (filter.tokenId) {
      where.push('a.token_id = @tokenId');
      params.tokenId = filter.tokenId;
    }
    if (filter.from) {
      where.push('a.at >= @from');
      params.from = filter.from;
    }
    if (filter.to) {
      where.push('a.at < @to');
      params.to = filter.to;
    }
    if (filter.search) {
      where.push(
        `(a.action LIKE @search ESCAPE '\\' OR a.connection_name LIKE @search ESCAPE '\\' OR a.token_id LIKE @search ESCAPE '\\'
          OR a.detail LIKE @search ESCAPE '\\' OR a.actor LIKE @search ESCAPE '\\'
          OR t.name LIKE @search ESCAPE '\\' OR t.user_name LIKE @search ESCAPE '\\')`,
      );
      params.search = likePattern(filter.search);
    }
    const rows = this.db
      .prepare(
        `SELECT a.*, t.name AS token_name, t.user_id AS owner_id, t.user_name AS owner_name
           FROM audit_log a
           LEFT JOIN tokens t ON t.connection_id = a.connection_id AND t.token_id = a.token_id
          ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
          ORDER BY a.id DESC LIMIT @limit`,
      )
      .all(params) as AuditRow[];
    const userName = this.db.prepare(
      'SELECT user_name FROM tokens WHERE connection_id = ? AND user_id = ? AND user_name IS NOT NULL LIMIT 1',
    );
    return rows.map((r) => {
      // A generate for another user names them by id in the detail: say who, where the inventory knows.
      const forUser = r.detail && r.connection_id ? FOR_USER.exec(r.detail)?.[1] : undefined;
      const forName =
        forUser === undefined
          ? undefined
          : forUser === r.owner_id && r.owner_name
            ? r.owner_name
            : (userName.pluck().get(r.connection_id, forUser) as string | undefined);
      return {
        id: r.id,
        at: r.at,
        actor: r.actor,
        action: r.action,
        connectionId: r.connection_id,
        connectionName: r.connection_name,
        tokenId: r.token_id,
        detail: r.detail,
        tokenName: r.token_name,
        userId: r.owner_id,
        userName: r.owner_name,
        mentionedUser: forUser && forName ? { userId: forUser, userName: forName } : null,
      };
    });
  }
}
