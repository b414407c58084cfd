/**
 * Progress lines on stderr. Sync: on a terminal one line is rewritten in
 * place; otherwise (cron, pipes, CI logs) one line per connection as it
 * finishes, so logs stay readable. Import: the same in-place line, on a
 * terminal only.
 */
import type { SyncProgress } from '../../shared/tokens';
import type { ImportProgress } from '../../shared/contract/tokens';
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
    if (this.tty && this.lineShown) clearLine(this.stderr);
    this.lineShown = false;
    this.active = false;
  }

  private rewrite(text: string): void {
    rewriteLine(this.stderr, text);
    this.lineShown = true;
  }
}

/** Replaces the line the cursor is on (a terminal's) with `text`, clipped to the terminal's width. */
function rewriteLine(stderr: CliOutput, text: string): void {
  const width = (stderr as { columns?: number }).columns ?? 100;
  const clipped = [...text].length > width - 1 ? `${[...text].slice(0, Math.max(10, width - 2)).join('')}…` : text;
  stderr.write(`\r\u001b[2K${clipped}`);
}

function clearLine(stderr: CliOutput): void {
  stderr.write('\r\u001b[2K');
}

/** `token import`: how far the import has got, on one line rewritten in place; nothing unless stderr is a terminal. */
export class ImportProgressReporter {
  private active = false;
  private lineShown = false;

  constructor(private readonly stderr: CliOutput) {}

  start(): void {
    this.active = this.stderr.isTTY === true;
  }

  onProgress(p: ImportProgress): void {
    if (!this.active) return;
    const count = (n: number) => n.toLocaleString('en-US');
    const share = p.total > 0 ? ` (${Math.floor((100 * p.done) / p.total)}%)` : '';
    const text =
      p.phase === 'reading'
        ? 'import: reading the file…'
        : p.phase === 'checking'
          ? `import: checking rows: ${count(p.done)} of ${count(p.total)}${share}`
          : p.phase === 'writing'
            ? `import: writing rows: ${count(p.done)} of ${count(p.total)}${share}`
            : `import: ${count(p.total)} rows done`;
    rewriteLine(this.stderr, text);
    this.lineShown = true;
  }

  finish(): void {
    if (this.lineShown) clearLine(this.stderr);
    this.lineShown = false;
    this.active = false;
  }
}
