/**
 * Issue 13, item 9, the date rules: the "30 days" preset and the inventory's "in N days" agree in
 * the user's time zone and in UTC; rotation proposes the old token's lifetime; revoked tokens
 * have no countdown; dates are ISO.
 */
import { describe, expect, it } from 'vitest';
import {
  daysLeft,
  FALLBACK_ROTATION_DAYS,
  presetExpiryIso,
  rotationExpiryRule,
  tokenLifetimeDays,
} from '../../shared/token-status';
import { TokenExpirySchema } from '../../shared/contract/tokens';
import {
  daysText,
  expiringLabel,
  expiryText,
  isIsoDate,
  isIsoTime,
  localDatePlus,
  secretLabel,
  shiftIsoDate,
} from '../../renderer/src/lib/format';

const DAY = 86_400_000;
const HOUR = 3_600_000;

describe('the expiry presets and "in N days" agree', () => {
  // Instants around each zone's midnight, where a UTC date and a local date differ.
  const cases: [zone: string, now: string][] = [
    ['America/New_York', '2026-06-01T03:59:00.000Z'], // 23:59 on 31 May in New York; 1 June in UTC
    ['America/New_York', '2026-06-01T04:00:00.000Z'], // 00:00 on 1 June in New York
    ['America/New_York', '2026-06-01T01:30:00.000Z'], // 21:30 on 31 May in New York
    ['America/New_York', '2026-06-01T16:00:00.000Z'],
    ['UTC', '2026-06-01T00:00:00.000Z'],
    ['UTC', '2026-06-01T23:59:00.000Z'],
    ['UTC', '2026-06-01T12:00:00.000Z'],
    ['Europe/Berlin', '2026-05-31T22:30:00.000Z'], // 00:30 on 1 June in Berlin, 31 May in UTC
    ['Pacific/Auckland', '2026-06-01T11:59:00.000Z'], // 23:59 in Auckland
    ['Asia/Kolkata', '2026-06-01T18:29:00.000Z'], // 23:59 at +05:30
  ];

  for (const days of [30, 90, 180]) {
    it.each(cases)(`${days} days from %s at %s is "in ${days} days" there`, (zone, nowIso) => {
      const now = new Date(nowIso);
      const iso = presetExpiryIso(days, now, zone);
      expect(daysLeft(iso, now, zone)).toBe(days);
      expect(daysText(daysLeft(iso, now, zone)!)).toBe(`in ${days} days`);
      // Vault's format (docs/vault-api.md §1.2), accepted by the request schema.
      expect(iso).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00Z$/);
      expect(TokenExpirySchema.safeParse({ kind: 'datetime', iso }).success).toBe(true);
      // days × 24 h down to the minute; moved by at most the daylight-saving change between (an hour)
      // when that is what keeps it on the right calendar day.
      const lifetime = Date.parse(iso) - now.getTime();
      const exact = lifetime <= days * DAY && lifetime > days * DAY - 60_000;
      if (!exact) expect(Math.abs(lifetime - days * DAY)).toBeLessThanOrEqual(HOUR);
      if (zone === 'UTC') expect(exact).toBe(true);
    });
  }

  it('the old preset was a day off: a UTC date, which Vault ends at 23:59:59 in a New York user’s zone', () => {
    // 30 days from 2026-06-01 (UTC) was sent as the date 2026-07-01; Vault made it
    // 2026-07-01T23:59:59-04:00, which in UTC is already 2 July: "in 31 days".
    const now = new Date('2026-06-01T12:00:00.000Z');
    expect(daysLeft('2026-07-01T23:59:59-04:00', now, 'UTC')).toBe(31);
    expect(daysLeft(presetExpiryIso(30, now, 'UTC'), now, 'UTC')).toBe(30);
  });

  it('across a daylight-saving change near midnight it still lands on the right calendar day', () => {
    // 23:30 on 7 March 2026 in New York; clocks go forward at 02:00 on 8 March.
    const spring = new Date('2026-03-08T04:30:00.000Z');
    const s = presetExpiryIso(1, spring, 'America/New_York');
    expect(daysLeft(s, spring, 'America/New_York')).toBe(1);
    expect(Date.parse(s) - spring.getTime()).toBeLessThanOrEqual(DAY);
    // 00:30 on 31 October 2026 in New York; clocks go back at 02:00 on 1 November.
    const autumn = new Date('2026-10-31T04:30:00.000Z');
    const a = presetExpiryIso(1, autumn, 'America/New_York');
    expect(daysLeft(a, autumn, 'America/New_York')).toBe(1);
    expect(Math.abs(Date.parse(a) - autumn.getTime() - DAY)).toBeLessThanOrEqual(HOUR);
    // And 30 days across the spring change, from 23:30 local.
    const month = presetExpiryIso(30, new Date('2026-02-20T04:30:00.000Z'), 'America/New_York');
    expect(daysLeft(month, new Date('2026-02-20T04:30:00.000Z'), 'America/New_York')).toBe(30);
  });
});

describe('rotation proposes the old token’s lifetime rule', () => {
  it('counts whole days from creation to expiry; a date-only expiry’s extra hours do not add a day', () => {
    expect(tokenLifetimeDays('2026-01-01T10:00:00Z', '2026-01-31T10:00:00Z')).toBe(30);
    // Generated with a date alone: ends 23:59:59 on the day, 30.6 days after creation.
    expect(tokenLifetimeDays('2026-01-01T10:00:00Z', '2026-01-31T23:59:59Z')).toBe(30);
    // Generated with a preset here: a minute short (rounded down), Vault's clock a few seconds on.
    expect(tokenLifetimeDays('2026-01-01T10:00:07Z', '2026-04-01T09:59:00Z')).toBe(90);
    expect(tokenLifetimeDays('2026-01-01T00:00:00Z', '2026-01-01T12:00:00Z')).toBeNull();
    expect(tokenLifetimeDays(null, '2026-01-31T10:00:00Z')).toBeNull();
    expect(tokenLifetimeDays('2026-01-31T10:00:00Z', '2026-01-01T10:00:00Z')).toBeNull();
    expect(tokenLifetimeDays('not a date', '2026-01-31T10:00:00Z')).toBeNull();
  });

  it('never stays never; a known lifetime is kept; otherwise 90 days, saying why', () => {
    expect(rotationExpiryRule({ createdAt: '2026-01-01T10:00:00Z', expiresAt: null })).toEqual({ kind: 'never' });
    expect(rotationExpiryRule({ createdAt: null, expiresAt: null })).toEqual({ kind: 'never' });
    expect(rotationExpiryRule({ createdAt: '2026-01-01T10:00:00Z', expiresAt: '2026-03-02T10:00:00Z' })).toEqual({
      kind: 'same-lifetime',
      days: 60,
    });
    expect(rotationExpiryRule({ createdAt: '2026-01-01T10:00:00Z', expiresAt: '2026-07-01T10:00:00Z' })).toEqual({
      kind: 'same-lifetime',
      days: 181,
    });
    expect(rotationExpiryRule({ createdAt: null, expiresAt: '2026-03-02T10:00:00Z' })).toEqual({
      kind: 'fallback',
      days: FALLBACK_ROTATION_DAYS,
      why: 'no-created-date',
    });
    expect(rotationExpiryRule({ createdAt: '2026-03-02T10:00:00Z', expiresAt: '2026-03-02T10:00:00Z' })).toEqual({
      kind: 'fallback',
      days: 90,
      why: 'no-lifetime',
    });
  });
});

describe('labels', () => {
  it('a revoked token has no countdown', () => {
    const base = { expiresAt: '2026-06-06T12:00:00.000Z', daysLeft: 5 };
    expect(expiryText({ ...base, status: 'revoked' })).toBe('revoked · was to expire 2026-06-06');
    expect(expiryText({ ...base, status: 'revoked' })).not.toMatch(/in 5 days|expires in/i);
    expect(expiryText({ expiresAt: null, daysLeft: null, status: 'revoked' })).toBe('revoked');
    expect(expiryText({ ...base, status: 'expiring' })).toBe('2026-06-06 · in 5 days');
    expect(expiryText({ expiresAt: null, daysLeft: null, status: 'active' })).toBe('never expires');
  });

  it('one vocabulary for the secret, and the expiring chip says what “soon” is', () => {
    expect([secretLabel(true), secretLabel(false)]).toEqual(['stored', 'not stored']);
    expect(expiringLabel(14)).toBe('expiring ≤ 14 days');
    expect(expiringLabel(1)).toBe('expiring ≤ 1 day');
  });
});

describe('ISO dates in the picker', () => {
  it('accepts real YYYY-MM-DD dates and HH:MM times only', () => {
    for (const ok of ['2026-12-31', '2028-02-29', '2026-01-01']) expect(isIsoDate(ok), ok).toBe(true);
    for (const bad of ['12/31/2026', '31.12.2026', '2026-02-30', '2027-02-29', '2026-1-5', '2026-12-31T00:00', ''])
      expect(isIsoDate(bad), bad).toBe(false);
    for (const ok of ['00:00', '17:00', '23:59']) expect(isIsoTime(ok), ok).toBe(true);
    for (const bad of ['24:00', '5:00 PM', '17:60', '1700', '']) expect(isIsoTime(bad), bad).toBe(false);
  });

  it('moves a date by calendar days (the arrow keys), over month and year ends', () => {
    expect(shiftIsoDate('2026-12-31', 1)).toBe('2027-01-01');
    expect(shiftIsoDate('2028-03-01', -1)).toBe('2028-02-29');
    expect(shiftIsoDate('12/31/2026', 1)).toBeNull();
  });

  it('offers dates from the local calendar, not the UTC one', () => {
    // Whatever the zone the suite runs in (TZ), the local date of "now" is day 0.
    const now = new Date(2026, 5, 1, 23, 30); // 23:30 local on 1 June
    expect(localDatePlus(0, now)).toBe('2026-06-01');
    expect(localDatePlus(30, now)).toBe('2026-07-01');
  });
});
