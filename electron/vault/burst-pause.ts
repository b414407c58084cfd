/**
 * Burst limits are per Vault, in a fixed 5-minute window; Vault first delays its answers
 * (`X-VaultAPI-ResponseDelay`), then refuses (docs/vault-api.md §5.3). A run that sends many
 * requests to one Vault (sync, bulk rotation) pauses before the next one when the budget Vault
 * last reported is nearly spent: the delay Vault announced, or a short pause.
 */
import type { Logger } from '../log';

/** Below this many calls left in Vault's 5-minute window, slow down (§5.3). */
export const LOW_BURST_REMAINING = 25;

export interface BurstSnapshot {
  burstLimitRemaining: number | null;
  responseDelayMs?: number | null;
}

export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits 1–10 s when fewer than LOW_BURST_REMAINING calls are left; resolves at once otherwise. */
export async function pauseIfBurstLow(limits: BurstSnapshot, logger: Logger, sleep: Sleep = realSleep): Promise<void> {
  if (limits.burstLimitRemaining === null || limits.burstLimitRemaining > LOW_BURST_REMAINING) return;
  const wait = Math.min(Math.max(limits.responseDelayMs ?? 0, 1000), 10_000);
  logger.warn('burst limit nearly spent; pausing before the next request', {
    remaining: limits.burstLimitRemaining,
    waitMs: wait,
  });
  await sleep(wait);
}
