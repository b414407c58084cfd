/**
 * Bulk rotation progress on stderr (`tokens:rotate-progress`): on a terminal, a line as each token
 * starts a step; everywhere, one line as each token finishes (done, failed at a step, skipped).
 * stdout stays for the result (or the one JSON document).
 */
import type { RotationProgress } from '../../shared/contract/rotation';
import type { CliOutput } from './io';
import { oneLine } from './errors';

export class RotationProgressReporter {
  private readonly lastStep = new Map<string, string>();

  constructor(private readonly stderr: CliOutput) {}

  onProgress(p: RotationProgress): void {
    const o = p.outcome;
    const where = `[${p.index + 1}/${p.total}] ${o.tokenId || '?'}${o.name ? ` “${o.name}”` : ''}`;
    const key = `${p.runId}/${p.index}`;
    if (o.state === 'running' && o.step) {
      if (!this.stderr.isTTY || this.lastStep.get(key) === o.step) return;
      this.lastStep.set(key, o.step);
      this.stderr.write(`rotate ${where}: ${o.step}…\n`);
    } else if (o.state === 'done') {
      this.stderr.write(`rotate ${where}: done, replaced by ${o.replacementTokenId}\n`);
    } else if (o.state === 'failed') {
      this.stderr.write(`rotate ${where}: FAILED at ${o.step}: ${oneLine(o.message ?? 'unknown error')}\n`);
    } else if (o.state === 'skipped') {
      this.stderr.write(`rotate ${where}: skipped: ${oneLine(o.message ?? '')}\n`);
    }
  }
}
