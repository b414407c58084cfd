/**
 * Connections as CSV (issue 15, item 4), in main: the preview the renderer or CLI shows, the import
 * after the person confirms, and the export. main reads the text again itself (it never trusts a
 * preview it did not make), and every imported connection starts without a secret: it asks for
 * one on first use. The export has no column for a secret.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../shared/clock';
import {
  connectionsToCsv,
  previewConnectionsCsv,
  type CsvImportResult,
  type CsvPreview,
} from '../../shared/connections-csv';
import { AppError } from '../../shared/errors';
import type { AuditRepo } from '../store/audit-repo';
import type { ConnectionsRepo } from './connections-repo';

export interface ConnectionsCsvDeps {
  connections: ConnectionsRepo;
  audit: AuditRepo;
  clock: Clock;
}

export class ConnectionsCsv {
  constructor(private readonly deps: ConnectionsCsvDeps) {}

  preview(text: string): CsvPreview {
    return previewConnectionsCsv(
      text,
      this.deps.connections.list().map((c) => c.name),
    );
  }

  /**
   * Writes the valid rows in one transaction. With a bad row and without `skipInvalid`, nothing is
   * written and the error lists every bad row; `fileName` is for the audit log only.
   */
  import(text: string, options: { skipInvalid: boolean; fileName?: string | undefined }): CsvImportResult {
    const preview = this.preview(text);
    if (preview.fileError) throw new AppError('VALIDATION', preview.fileError);
    const bad = preview.rows.filter((r) => !r.connection);
    if (bad.length && !options.skipInvalid) {
      const lines = bad.slice(0, 20).map((r) => `line ${r.line}: ${r.errors.map((e) => e.message).join(' ')}`);
      const more = bad.length > 20 ? ` (and ${bad.length - 20} more)` : '';
      throw new AppError(
        'VALIDATION',
        `${bad.length} of ${preview.rows.length} rows have errors, so nothing was imported${more}. ${lines.join('; ')}`,
      );
    }
    const good = preview.rows.filter((r) => r.connection);
    const now = this.deps.clock.now().toISOString();
    const created = this.deps.connections.insertAll(
      good.map(({ connection: c }) => ({
        id: randomUUID(),
        name: c!.name,
        dns: c!.dns,
        apiVersion: c!.apiVersion,
        username: c!.username,
        authMethod: c!.authMethod,
        clientId: c!.clientId,
        client: c!.client,
        environment: c!.environment,
        secretStored: false,
        loginHost: null,
        idpClientId: null,
      })),
      now,
    );
    this.deps.audit.record(
      {
        action: 'connection.import',
        detail: `${created.length} connection(s) from ${options.fileName ?? 'a CSV file'}${bad.length ? `, ${bad.length} row(s) skipped` : ''}`,
      },
      now,
    );
    return {
      imported: created.map((c, i) => ({ id: c.id, name: c.name, line: good[i]!.line })),
      skipped: bad.map((r) => ({ line: r.line, errors: r.errors.map((e) => e.message) })),
    };
  }

  export(): { filename: string; content: string; mimeType: string; count: number } {
    const connections = this.deps.connections.list();
    const now = this.deps.clock.now();
    this.deps.audit.record(
      { action: 'connection.export', detail: `${connections.length} connection(s), no secrets` },
      now.toISOString(),
    );
    return {
      filename: `vault-token-desk-connections-${now.toISOString().slice(0, 10)}.csv`,
      content: connectionsToCsv(connections, { bom: true }),
      mimeType: 'text/csv',
      count: connections.length,
    };
  }
}
