/**
 * Result sets kept under a UUID for next_page / previous_page (docs/vault-api.md
 * §2.3). They live `queryResultTtlMs` (72 h) from the query or the last page call.
 */
import { randomUUID } from 'node:crypto';

export interface StoredResult {
  id: string;
  vaultId: number;
  rows: Record<string, unknown>[];
  describe: Record<string, unknown> | null;
  lastAccess: number;
}

export class QueryStore {
  private readonly results = new Map<string, StoredResult>();

  constructor(
    private readonly now: () => Date,
    private readonly ttlMs: number,
  ) {}

  save(vaultId: number, rows: Record<string, unknown>[], describe: Record<string, unknown> | null): StoredResult {
    this.sweep();
    const r: StoredResult = { id: randomUUID(), vaultId, rows, describe, lastAccess: this.now().getTime() };
    this.results.set(r.id, r);
    return r;
  }

  get(id: string, vaultId: number): StoredResult | undefined {
    this.sweep();
    const r = this.results.get(id);
    if (!r || r.vaultId !== vaultId) return undefined;
    r.lastAccess = this.now().getTime();
    return r;
  }

  private sweep(): void {
    const now = this.now().getTime();
    for (const [id, r] of this.results) if (now - r.lastAccess > this.ttlMs) this.results.delete(id);
  }
}
