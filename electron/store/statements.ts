/**
 * Prepared statements, prepared once per database and SQL text. Preparing costs far more than
 * running a small statement: a CLI sync of 200 connections spent about 100 ms in prepare() alone
 * before its repositories cached them (issue 14).
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from './database';

const MAX_STATEMENTS = 200;

export type PreparedStatement = Statement<unknown[], unknown>;

export function statementCache(db: Db): (sql: string) => PreparedStatement {
  const statements = new Map<string, PreparedStatement>();
  return (sql) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare<unknown[], unknown>(sql);
      if (statements.size >= MAX_STATEMENTS) statements.clear();
      statements.set(sql, statement);
    }
    return statement;
  };
}
