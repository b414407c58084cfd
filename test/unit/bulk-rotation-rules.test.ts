/**
 * The pure rules of bulk rotation (electron/tokens/bulk-rotation.ts): the replacement's expiry from
 * the old token's lifetime, and the pause before a Vault request when the burst budget is low
 * (electron/vault/burst-pause.ts, docs/vault-api.md §5.3). The steps themselves run against the
 * fake Vault in test/integration/bulk-rotation.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { replacementExpiry } from '../../electron/tokens/bulk-rotation';
import { LOW_BURST_REMAINING, pauseIfBurstLow } from '../../electron/vault/burst-pause';
import { silentLogger } from '../../electron/log';

const NOW = new Date('2030-03-10T12:00:00Z');

describe('replacementExpiry', () => {
  it('keeps a never-expiring token never-expiring', () => {
    expect(replacementExpiry({ expiresAt: null, createdAt: '2029-01-01T00:00:00Z' }, NOW)).toEqual({ kind: 'never' });
  });

  it('gives the old lifetime from today, as a date (23:59:59 in the user’s time zone)', () => {
    const old = { createdAt: '2030-01-01T09:00:00Z', expiresAt: '2030-01-31T23:59:59Z' };
    expect(replacementExpiry(old, NOW)).toEqual({ kind: 'date', date: '2030-04-09' });
  });

  it('falls back to 90 days when the creation date is unknown', () => {
    expect(replacementExpiry({ createdAt: null, expiresAt: '2030-03-20T00:00:00Z' }, NOW)).toEqual({
      kind: 'date',
      date: '2030-06-08',
    });
  });
});

describe('pauseIfBurstLow', () => {
  const waits: number[] = [];
  const sleep = async (ms: number) => {
    waits.push(ms);
  };

  it('does not wait while the budget is unknown or comfortable', async () => {
    waits.length = 0;
    await pauseIfBurstLow({ burstLimitRemaining: null }, silentLogger, sleep);
    await pauseIfBurstLow({ burstLimitRemaining: LOW_BURST_REMAINING + 1 }, silentLogger, sleep);
    expect(waits).toEqual([]);
  });

  it('waits the delay Vault announced, at least 1 s and at most 10 s, when the budget is nearly spent', async () => {
    waits.length = 0;
    await pauseIfBurstLow({ burstLimitRemaining: 3, responseDelayMs: 2500 }, silentLogger, sleep);
    await pauseIfBurstLow({ burstLimitRemaining: 0, responseDelayMs: null }, silentLogger, sleep);
    await pauseIfBurstLow({ burstLimitRemaining: LOW_BURST_REMAINING, responseDelayMs: 60_000 }, silentLogger, sleep);
    expect(waits).toEqual([2500, 1000, 10_000]);
  });
});
