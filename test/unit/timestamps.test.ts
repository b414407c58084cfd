import { describe, expect, it } from 'vitest';
import { canonicalTimestamp, canonicalTimestampMs, isCanonicalTimestamp } from '../../electron/tokens/timestamps';
import { normaliseTimestamp } from '../../shared/token-status';

describe('canonicalTimestamp: normaliseTimestamp with a fast path', () => {
  it('gives exactly what normaliseTimestamp gives, canonical or not', () => {
    const samples = [
      '2026-06-01T12:00:00.000Z',
      '2024-02-29T23:59:59.999Z',
      '2026-02-29T00:00:00.000Z',
      '1900-02-29T00:00:00.000Z',
      '2000-02-29T00:00:00.000Z',
      '2026-04-31T00:00:00.000Z',
      '2026-12-31T24:00:00.000Z',
      '2026-12-31T23:60:00.000Z',
      '2026-12-31T23:59:60.000Z',
      '2026-00-10T00:00:00.000Z',
      '2026-01-00T00:00:00.000Z',
      '2026-1a-01T00:00:00.000Z',
      '0000-01-01T00:00:00.000Z',
      '9999-12-31T23:59:59.999Z',
      '2026-06-01T12:00:00.000z',
      ' 2026-06-01T12:00:00.000Z',
      '2026-06-01T12:00:00Z',
      '2026-06-01T12:00:00.00Z',
      '2026-06-01T12:00:00.000+00:00',
      '2026-06-01',
      '',
      'soon',
      null,
      undefined,
    ];
    for (const s of samples) expect(canonicalTimestamp(s), String(s)).toBe(normaliseTimestamp(s));
    for (let i = 0; i < 20_000; i++) {
      const iso = new Date(Math.floor((Math.random() * 2 - 1) * 62_000_000_000_000)).toISOString();
      if (!/^\d{4}-/.test(iso)) continue;
      expect(isCanonicalTimestamp(iso), iso).toBe(true);
      expect(canonicalTimestamp(iso), iso).toBe(normaliseTimestamp(iso));
      expect(canonicalTimestampMs(iso), iso).toBe(Date.parse(iso));
    }
  });

  it('gives milliseconds only for canonical timestamps', () => {
    expect(canonicalTimestampMs('1970-01-01T00:00:00.000Z')).toBe(0);
    expect(canonicalTimestampMs('1969-12-31T23:59:59.999Z')).toBe(-1);
    expect(canonicalTimestampMs('2026-06-01T12:00:00Z')).toBeNaN();
    expect(canonicalTimestampMs('2026-02-30T00:00:00.000Z')).toBeNaN();
  });
});
