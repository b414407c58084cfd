import type { AuthMethod, Connection } from '../../shared/domain';
import type { Db } from './database';

interface ConnectionRow {
  id: string;
  name: string;
  dns: string;
  api_version: string;
  username: string;
  auth_method: AuthMethod;
  client_id: string;
  secret_stored: number;
  created_at: string;
  updated_at: string;
}

export type NewConnection = Omit<Connection, 'createdAt' | 'updatedAt'>;

function toConnection(row: ConnectionRow): Connection {
  return {
    id: row.id,
    name: row.name,
    dns: row.dns,
    apiVersion: row.api_version,
    username: row.username,
    authMethod: row.auth_method,
    clientId: row.client_id,
    secretStored: row.secret_stored === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export class ConnectionsRepo {
  constructor(private readonly db: Db) {}

  list(): Connection[] {
    const rows = this.db.prepare('SELECT * FROM connections ORDER BY name COLLATE NOCASE').all() as ConnectionRow[];
    return rows.map(toConnection);
  }

  get(id: string): Connection | null {
    const row = this.db.prepare('SELECT * FROM connections WHERE id = ?').get(id) as ConnectionRow | undefined;
    return row ? toConnection(row) : null;
  }

  findByName(name: string): Connection | null {
    const row = this.db.prepare('SELECT * FROM connections WHERE name = ? COLLATE NOCASE').get(name.trim()) as ConnectionRow | undefined;
    return row ? toConnection(row) : null;
  }

  insert(c: NewConnection, now: string): Connection {
    this.db
      .prepare(
        `INSERT INTO connections (id, name, dns, api_version, username, auth_method, client_id, secret_stored, created_at, updated_at)
         VALUES (@id, @name, @dns, @apiVersion, @username, @authMethod, @clientId, @secretStored, @now, @now)`,
      )
      .run({ ...c, secretStored: c.secretStored ? 1 : 0, now });
    return this.get(c.id)!;
  }

  update(c: NewConnection, now: string): Connection {
    this.db
      .prepare(
        `UPDATE connections SET name = @name, dns = @dns, api_version = @apiVersion, username = @username,
           auth_method = @authMethod, client_id = @clientId, secret_stored = @secretStored, updated_at = @now
         WHERE id = @id`,
      )
      .run({ ...c, secretStored: c.secretStored ? 1 : 0, now });
    return this.get(c.id)!;
  }

  setSecretStored(id: string, stored: boolean, now: string): void {
    this.db.prepare('UPDATE connections SET secret_stored = ?, updated_at = ? WHERE id = ?').run(stored ? 1 : 0, now, id);
  }

  remove(id: string): boolean {
    return this.db.prepare('DELETE FROM connections WHERE id = ?').run(id).changes > 0;
  }
}
