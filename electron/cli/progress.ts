/**
 * The sync progress line on stderr. On a terminal one line is rewritten in
 * place; otherwise (cron, pipes, CI logs) one line per connection as it
 * finishes, so logs stay readable.
 */
import type { SyncProgress } from '../../shared/tokens';
import { oneLine } from './errors';
import type { Palette } from './format';
import type { CliOutput } from './io';

export class SyncProgressReporter {
  private names = new Map<string, string>();
  private finished = new Set<string>();
  private total = 0;
  private active = false;
  private lineShown = false;

  constructor(
    private readonly stderr: CliOutput,
    private readonly paint: Palette,
  ) {}

  private get tty(): boolean {
    return this.stderr.isTTY === true;
  }

  start(connections: { id: string; name: string }[]): void {
    this.names = new Map(connections.map((c) => [c.id, c.name]));
    this.finished.clear();
    this.total = connections.length;
    this.active = connections.length > 0;
  }

  onProgress(p: SyncProgress): void {
    if (!this.active) return;
    const name = this.names.get(p.connectionId) ?? p.connectionId;
    if (p.phase === 'done' || p.phase === 'failed') this.finished.add(p.connectionId);
    if (this.tty) {
      if (p.phase === 'failed') {
        // Failures stay on screen; the in-place line carries on below.
        this.stderr.write(
          `\r\u001b[2Ksync: ${name}: ${this.paint.red('failed')}: ${oneLine(p.message ?? 'unknown error')}\n`,
        );
        this.lineShown = false;
        return;
      }
      const count = `[${this.finished.size}/${this.total}]`;
      const detail =
        p.phase === 'running'
          ? `${p.tokens} token(s) read${p.pages ? `, page ${p.pages}` : ''}`
          : p.phase === 'queued'
            ? 'queued'
            : p.phase === 'done'
              ? 'done'
              : 'failed';
      this.rewrite(`sync ${count} ${name}: ${detail}`);
      return;
    }
    // A 'done' message is the sync's own count of tokens: no Vault text in it to scrub (scrubbing
    // each line cost about 1 ms a connection with hundreds of secrets registered, issue 14).
    if (p.phase === 'done') this.stderr.write(`sync: ${name}: ${(p.message ?? 'done').replace(/\s+/g, ' ')}\n`);
    else if (p.phase === 'failed')
      this.stderr.write(`sync: ${name}: ${this.paint.red('failed')}: ${oneLine(p.message ?? 'unknown error')}\n`);
  }

  /** A connection left out before syncing (no secret and no terminal to ask). */
  skipped(name: string, message: string): void {
    this.stderr.write(`sync: ${name}: ${this.paint.red('skipped')}: ${oneLine(message)}\n`);
  }

  finish(): void {
    if (this.tty && this.lineShown) this.stderr.write('\r\u001b[2K');
    this.lineShown = false;
    this.active = false;
  }

  private rewrite(text: string): void {
    const width = (this.stderr as { columns?: number }).columns ?? 100;
    const clipped = [...text].length > width - 1 ? `${[...text].slice(0, Math.max(10, width - 2)).join('')}…` : text;
    this.stderr.write(`\r\u001b[2K${clipped}`);
    this.lineShown = true;
  }
}
