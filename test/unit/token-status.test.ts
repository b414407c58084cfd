import { describe, expect, it } from 'vitest';
import {
  daysLeft,
  describeDaysLeft,
  isTimeZone,
  lifecycleFromVault,
  normaliseTimestamp,
  soonCutoff,
  tokenStatus,
} from '../../shared/token-status';
import { DEFAULT_EXPIRING_SOON_DAYS } from '../../shared/tokens';

const DAY = 86_400_000;

describe('normaliseTimestamp', () => {
  it.each([
    ['2026-12-31T23:59:59.000Z', '2026-12-31T23:59:59.000Z'],
    ['2026-12-31T23:59:59Z', '2026-12-31T23:59:59.000Z'],
    ['2026-12-31T23:59Z', '2026-12-31T23:59:00.000Z'],
    ['2026-12-31', '2026-12-31T00:00:00.000Z'],
    ['2026-12-31T18:59:59-05:00', '2026-12-31T23:59:59.000Z'],
    ['2027-01-01T08:59:59+0900', '2026-12-31T23:59:59.000Z'],
    ['2027-01-01T05:29:59+05:30', '2026-12-31T23:59:59.000Z'],
    ['2026-12-31T23:59:59.5Z', '2026-12-31T23:59:59.500Z'],
    // Extra precision is cut, never rounded into the next second or day.
    ['2026-12-31T23:59:59.999999Z', '2026-12-31T23:59:59.999Z'],
    ['2026-12-31 23:59:59', '2026-12-31T23:59:59.000Z'],
    ['2026-12-31T23:59:59', '2026-12-31T23:59:59.000Z'],
    ['  2026-06-01T12:00:00z ', '2026-06-01T12:00:00.000Z'],
    ['2028-02-29', '2028-02-29T00:00:00.000Z'],
  ])('%s → %s', (input, expected) => {
    expect(normaliseTimestamp(input)).toBe(expected);
  });

  it.each([
    null,
    undefined,
    '',
    '   ',
    'soon',
    'never',
    '12/31/2026',
    '2026-13-01',
    '2026-02-30',
    '2027-02-29',
    '2026-00-10',
    '2026-12-31T24:00:00Z',
    '2026-12-31T23:60:00Z',
    '2026-12-31T23:59:60Z',
    '2026-12-31T23:59:59+19:00',
    // The malformed sample from Vault's own docs (docs/vault-api.md §1.2).
    '2025-12-31T12:00:00:00.000Z',
    '2026-12-31T23:59:59.000Zjunk',
    '+002026-12-31T00:00:00.000Z',
    '9999-12-31T23:00:00-05:00',
  ])('%j is not a date', (input) => {
    expect(normaliseTimestamp(input as string | null)).toBeNull();
  });

  it('is idempotent and sorts as text the way the instants sort', () => {
    const inputs = ['2026-12-31T23:59:59Z', '2026-12-31', '2027-01-01T00:00:00+01:00', '2026-12-31T23:00:00.5-01:00'];
    const canonical = inputs.map((i) => normaliseTimestamp(i)!);
    for (const c of canonical) expect(normaliseTimestamp(c)).toBe(c);
    const byText = [...canonical].sort();
    const byTime = [...canonical].sort((a, b) => Date.parse(a) - Date.parse(b));
    expect(byText).toEqual(byTime);
  });
});

describe('tokenStatus', () => {
  const now = new Date('2026-06-01T12:00:00.000Z');
  const at = (ms: number) => new Date(now.getTime() + ms).toISOString();

  it('revoked wins over any expiry', () => {
    expect(tokenStatus('revoked', null, now)).toBe('revoked');
    expect(tokenStatus('revoked', at(-DAY), now)).toBe('revoked');
    expect(tokenStatus('revoked', at(DAY), now)).toBe('revoked');
    expect(tokenStatus('revoked', at(100 * DAY), now)).toBe('revoked');
  });

  it('a token that never expires is active', () => {
    expect(tokenStatus('active', null, now)).toBe('active');
  });

  it('expired at the expiry instant itself, expiring one millisecond before', () => {
    expect(tokenStatus('active', at(-1), now)).toBe('expired');
    expect(tokenStatus('active', at(0), now)).toBe('expired');
    expect(tokenStatus('active', at(1), now)).toBe('expiring');
  });

  it('expiring up to and including soonDays × 24 h ahead, active after', () => {
    expect(tokenStatus('active', at(DEFAULT_EXPIRING_SOON_DAYS * DAY), now)).toBe('expiring');
    expect(tokenStatus('active', at(DEFAULT_EXPIRING_SOON_DAYS * DAY + 1), now)).toBe('active');
    expect(tokenStatus('active', at(20 * DAY), now, 30)).toBe('expiring');
    expect(tokenStatus('active', at(20 * DAY), now, 7)).toBe('active');
    expect(tokenStatus('active', at(1), now, 0)).toBe('active');
  });

  it('reads any Vault date form, and treats an unreadable expiry as none', () => {
    expect(tokenStatus('active', '2026-06-01T11:59:59Z', now)).toBe('expired');
    expect(tokenStatus('active', '2026-06-02', now)).toBe('expiring');
    expect(tokenStatus('active', 'garbage', now)).toBe('active');
  });

  it('soonCutoff is now + soonDays × 24 h, canonical', () => {
    expect(soonCutoff(now, 14)).toBe('2026-06-15T12:00:00.000Z');
    expect(soonCutoff(now)).toBe(soonCutoff(now, DEFAULT_EXPIRING_SOON_DAYS));
    expect(soonCutoff(now, 0)).toBe(now.toISOString());
  });
});

describe('daysLeft', () => {
  describe('depends on the time zone the calendar is read in', () => {
    const expiry = '2026-12-01T04:59:59Z'; // 23:59:59 on Nov 30 in New York, 13:59:59 on Dec 1 in Tokyo

    it('seen at 12:00 UTC on Nov 30', () => {
      const now = new Date('2026-11-30T12:00:00Z'); // 07:00 Nov 30 NY, 21:00 Nov 30 Tokyo
      expect(daysLeft(expiry, now, 'America/New_York')).toBe(0);
      expect(daysLeft(expiry, now, 'Asia/Tokyo')).toBe(1);
      expect(daysLeft(expiry, now, 'UTC')).toBe(1);
    });

    it('seen at 20:00 UTC on Nov 30', () => {
      const now = new Date('2026-11-30T20:00:00Z'); // 15:00 Nov 30 NY, 05:00 Dec 1 Tokyo
      expect(daysLeft(expiry, now, 'America/New_York')).toBe(0);
      expect(daysLeft(expiry, now, 'Asia/Tokyo')).toBe(0);
      expect(daysLeft(expiry, now, 'UTC')).toBe(1);
    });

    it('seen after the expiry', () => {
      const now = new Date('2026-12-03T10:00:00Z'); // 05:00 Dec 3 NY, 19:00 Dec 3 Tokyo
      expect(daysLeft(expiry, now, 'America/New_York')).toBe(-3);
      expect(daysLeft(expiry, now, 'Asia/Tokyo')).toBe(-2);
      expect(daysLeft(expiry, now, 'UTC')).toBe(-2);
    });

    it('a half-hour zone', () => {
      // 23:59:59 on Dec 1 in India; one second later it is Dec 2 there.
      expect(daysLeft('2026-12-01T18:29:59Z', new Date('2026-12-01T18:29:59Z'), 'Asia/Kolkata')).toBe(0);
      expect(daysLeft('2026-12-01T18:29:59Z', new Date('2026-12-01T18:30:00Z'), 'Asia/Kolkata')).toBe(-1);
    });
  });

  describe('day boundaries', () => {
    it('one millisecond either side of midnight UTC', () => {
      const now = new Date('2026-11-30T12:00:00Z');
      expect(daysLeft('2026-11-30T23:59:59.999Z', now, 'UTC')).toBe(0);
      expect(daysLeft('2026-12-01T00:00:00.000Z', now, 'UTC')).toBe(1);
      // and the same from the other side: "now" crossing midnight
      const expiry = '2026-12-01T12:00:00Z';
      expect(daysLeft(expiry, new Date('2026-11-30T23:59:59.999Z'), 'UTC')).toBe(1);
      expect(daysLeft(expiry, new Date('2026-12-01T00:00:00.000Z'), 'UTC')).toBe(0);
    });

    it('one millisecond either side of midnight in Tokyo (15:00 UTC)', () => {
      const expiry = '2026-12-02T14:59:59.999Z'; // Dec 2, 23:59:59.999 JST
      expect(daysLeft(expiry, new Date('2026-12-01T14:59:59.999Z'), 'Asia/Tokyo')).toBe(1); // Dec 1, 23:59:59.999 JST
      expect(daysLeft(expiry, new Date('2026-12-01T15:00:00.000Z'), 'Asia/Tokyo')).toBe(0); // Dec 2, 00:00 JST
      expect(daysLeft('2026-12-02T15:00:00.000Z', new Date('2026-12-01T15:00:00.000Z'), 'Asia/Tokyo')).toBe(1); // Dec 3, 00:00 JST
    });

    it('across a year end', () => {
      expect(daysLeft('2027-01-01T00:30:00Z', new Date('2026-12-31T23:30:00Z'), 'UTC')).toBe(1);
      expect(daysLeft('2027-03-01T00:00:00Z', new Date('2026-03-01T00:00:00Z'), 'UTC')).toBe(365);
      expect(daysLeft('2028-03-01T00:00:00Z', new Date('2027-03-01T00:00:00Z'), 'UTC')).toBe(366);
    });
  });

  describe('daylight-saving changes count calendar days, not 24-hour periods', () => {
    it('spring forward in New York (Sunday 2026-03-08 has 23 hours)', () => {
      // 00:30 EST Mar 8 → 00:10 EDT Mar 9 is only 22 h 40 min, but it is tomorrow.
      expect(daysLeft('2026-03-09T04:10:00Z', new Date('2026-03-08T05:30:00Z'), 'America/New_York')).toBe(1);
      // 23:59:59.999 EDT Mar 8 is still today at 00:00 EST Mar 8.
      expect(daysLeft('2026-03-09T03:59:59.999Z', new Date('2026-03-08T05:00:00Z'), 'America/New_York')).toBe(0);
      expect(daysLeft('2026-03-09T04:00:00.000Z', new Date('2026-03-08T05:00:00Z'), 'America/New_York')).toBe(1);
    });

    it('fall back in New York (Sunday 2026-11-01 has 25 hours)', () => {
      // 00:00 EDT → 23:59:59.999 EST the same day is almost 25 h: still today.
      expect(daysLeft('2026-11-02T04:59:59.999Z', new Date('2026-11-01T04:00:00Z'), 'America/New_York')).toBe(0);
      expect(daysLeft('2026-11-02T05:00:00.000Z', new Date('2026-11-01T04:00:00Z'), 'America/New_York')).toBe(1);
    });

    it('Europe/Berlin spring forward (2026-03-29)', () => {
      // 00:30 CET Mar 29 (23:30Z Mar 28) → 00:15 CEST Mar 30 (22:15Z Mar 29): 21 h 45 min, tomorrow.
      expect(daysLeft('2026-03-29T22:15:00Z', new Date('2026-03-28T23:30:00Z'), 'Europe/Berlin')).toBe(1);
    });
  });

  it('never-expiring and unreadable expiries have no day count', () => {
    expect(daysLeft(null, new Date(), 'UTC')).toBeNull();
    expect(daysLeft('not a date', new Date(), 'UTC')).toBeNull();
  });

  it("defaults to the runtime's own zone", () => {
    const zone = new Intl.DateTimeFormat().resolvedOptions().timeZone;
    const now = new Date('2026-11-30T20:00:00Z');
    for (const expiry of ['2026-12-01T04:59:59Z', '2026-11-30T23:59:59.999Z', '2026-12-24T00:00:00Z']) {
      expect(daysLeft(expiry, now)).toBe(daysLeft(expiry, now, zone));
    }
  });

  it('refuses an unknown zone', () => {
    expect(isTimeZone('Europe/Atlantis')).toBe(false);
    expect(isTimeZone('Asia/Tokyo')).toBe(true);
    expect(() => daysLeft('2026-12-01T00:00:00Z', new Date(), 'Europe/Atlantis')).toThrow(RangeError);
  });
});

describe('describeDaysLeft', () => {
  it.each([
    [null, 'never'],
    [0, 'today'],
    [1, 'tomorrow'],
    [2, 'in 2 days'],
    [12, 'in 12 days'],
    [-1, 'yesterday'],
    [-3, '3 days ago'],
  ])('%j → %s', (n, text) => {
    expect(describeDaysLeft(n)).toBe(text);
  });
});

describe('lifecycleFromVault', () => {
  it('active__v is active', () => {
    expect(lifecycleFromVault('active__v')).toBe('active');
    expect(lifecycleFromVault(' active__v ')).toBe('active');
  });

  it.each(['inactive__v', 'deleted__v', 'Active', '', null, undefined])('%j is revoked', (status) => {
    expect(lifecycleFromVault(status)).toBe('revoked');
  });
});
