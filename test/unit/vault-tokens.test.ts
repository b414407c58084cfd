import { describe, expect, it } from 'vitest';
import { VaultError } from '../../electron/vault/errors';
import { vqlString } from '../../electron/vault/query';
import {
  batches,
  checkRecordId,
  deleteCsv,
  formatExpiry,
  formatVaultDateTime,
  generatePath,
  listTokensVql,
} from '../../electron/vault/tokens';
import { tokenRowSchema } from '../../electron/vault/types';
import { escapeLike, userSysVql } from '../../electron/vault/users';
import { TokenTargetSchema } from '../../shared/contract/tokens';

const NOW = new Date('2026-03-10T12:00:00.000Z');

describe('expiry formatting (§1.2: expiry_date__v as YYYY-MM-DDTHH:MM:SSZ, UTC)', () => {
  it('never → omitted', () => {
    expect(formatExpiry({ kind: 'never' }, NOW)).toBeUndefined();
  });

  it('date-only is sent as-is (Vault applies 23:59:59 in the user zone)', () => {
    expect(formatExpiry({ kind: 'date', date: '2026-03-11' }, NOW)).toBe('2026-03-11');
    expect(formatExpiry({ kind: 'date', date: ' 2026-12-31 ' }, NOW)).toBe('2026-12-31');
  });

  it('date-only: refuses non-dates and dates that have passed in every time zone', () => {
    expect(() => formatExpiry({ kind: 'date', date: '2026-02-30' }, NOW)).toThrow(/not a date/);
    expect(() => formatExpiry({ kind: 'date', date: '2026-3-1' }, NOW)).toThrow(VaultError);
    expect(() => formatExpiry({ kind: 'date', date: '2026-03-11T00:00:00Z' }, NOW)).toThrow(VaultError);
    // Yesterday (UTC) may still be today somewhere west: allowed. Two days ago: refused.
    expect(formatExpiry({ kind: 'date', date: '2026-03-09' }, NOW)).toBe('2026-03-09');
    expect(() => formatExpiry({ kind: 'date', date: '2026-03-08' }, NOW)).toThrow(/in the past/);
  });

  it('datetime is converted to UTC with whole seconds and a Z', () => {
    expect(formatExpiry({ kind: 'datetime', iso: '2026-04-01T17:30:00Z' }, NOW)).toBe('2026-04-01T17:30:00Z');
    expect(formatExpiry({ kind: 'datetime', iso: '2026-04-01T17:30:00.987Z' }, NOW)).toBe('2026-04-01T17:30:00Z');
    expect(formatExpiry({ kind: 'datetime', iso: '2026-04-01T19:30:00+02:00' }, NOW)).toBe('2026-04-01T17:30:00Z');
    expect(formatExpiry({ kind: 'datetime', iso: '2026-04-01T00:15:00-05:00' }, NOW)).toBe('2026-04-01T05:15:00Z');
  });

  it('datetime: refuses a missing zone, garbage and the past', () => {
    expect(() => formatExpiry({ kind: 'datetime', iso: '2026-04-01T17:30:00' }, NOW)).toThrow(/time zone/);
    expect(() => formatExpiry({ kind: 'datetime', iso: 'tomorrow' }, NOW)).toThrow(VaultError);
    expect(() => formatExpiry({ kind: 'datetime', iso: '2026-03-10T11:59:59Z' }, NOW)).toThrow(/in the past/);
  });

  it('formatVaultDateTime drops milliseconds', () => {
    expect(formatVaultDateTime(new Date('2030-01-02T03:04:05.678Z'))).toBe('2030-01-02T03:04:05Z');
  });
});

describe('generate paths (§1.2–§1.4)', () => {
  it('me, user and sandbox', () => {
    expect(generatePath({ kind: 'me' })).toBe('/objects/users/me/api_access_token__sys');
    expect(generatePath({ kind: 'user', userId: '61603' })).toBe('/objects/users/61603/api_access_token__sys');
    expect(generatePath({ kind: 'sandbox', sandboxName: 'UAT Sandbox' })).toBe(
      '/objects/sandbox/UAT%20Sandbox/users/me/api_access_token__sys',
    );
  });

  it('refuses user ids that could change the path', () => {
    for (const userId of ['../me', '..', '.', '', '61603/x', '61603?x', 'me', '6160 3', '%2e%2e']) {
      expect(() => generatePath({ kind: 'user', userId }), userId).toThrow(VaultError);
    }
  });

  it('refuses sandbox names that could change the path: `.` and `..` never reach Vault (they would mint on the parent as me)', () => {
    for (const sandboxName of [
      '..',
      '.',
      '  ',
      '../users/me',
      'a/b',
      'a\\b',
      'UAT?x=1',
      'UAT#1',
      '50%',
      '.hidden',
      'UAT.',
      'x'.repeat(101),
    ]) {
      expect(() => generatePath({ kind: 'sandbox', sandboxName }), sandboxName).toThrow(VaultError);
    }
  });

  it('percent-encodes the sandbox names Vault allows', () => {
    expect(generatePath({ kind: 'sandbox', sandboxName: 'QA_2 - Zürich' })).toBe(
      '/objects/sandbox/QA_2%20-%20Z%C3%BCrich/users/me/api_access_token__sys',
    );
  });

  it('main validates again: the contract refuses the same sandbox names and user ids', () => {
    expect(TokenTargetSchema.safeParse({ kind: 'sandbox', sandboxName: '..' }).success).toBe(false);
    expect(TokenTargetSchema.safeParse({ kind: 'user', userId: '../me' }).success).toBe(false);
    expect(TokenTargetSchema.safeParse({ kind: 'sandbox', sandboxName: 'UAT Sandbox' }).success).toBe(true);
    expect(TokenTargetSchema.safeParse({ kind: 'user', userId: '61603' }).success).toBe(true);
  });
});

describe('revoke batching and CSV (§1.5: ≤ 500 per Delete Object Records call)', () => {
  it('splits 600 into 500 + 100 and 1000 into 500 + 500, keeping order', () => {
    const ids = Array.from({ length: 600 }, (_, i) => `0PI${String(i).padStart(12, '0')}`);
    const b = batches(ids);
    expect(b.map((x) => x.length)).toEqual([500, 100]);
    expect(b.flat()).toEqual(ids);
    expect(batches(Array.from({ length: 1000 }, (_, i) => i)).map((x) => x.length)).toEqual([500, 500]);
    expect(batches([])).toEqual([]);
    expect(batches([1, 2, 3], 2)).toEqual([[1, 2], [3]]);
    expect(() => batches([1], 0)).toThrow(RangeError);
  });

  it('CSV has an id header and one id per line', () => {
    expect(deleteCsv(['0PI1', '0PI2'])).toBe('id\n0PI1\n0PI2\n');
  });

  it('record ids that could break the CSV are refused', () => {
    expect(checkRecordId(' 0PI000000020001 ')).toBe('0PI000000020001');
    expect(checkRecordId('a,b')).toBeNull();
    expect(checkRecordId('a\nb')).toBeNull();
    expect(checkRecordId('"x"')).toBeNull();
    expect(checkRecordId('')).toBeNull();
  });
});

describe('VQL building', () => {
  it('escapes quotes and backslashes in string literals', () => {
    expect(vqlString("O'Brien")).toBe("'O\\'Brien'");
    expect(vqlString('a\\b')).toBe("'a\\\\b'");
  });

  it('token listing selects exactly the six documented fields (§2.1), nothing else', () => {
    expect(listTokensVql()).toBe(
      'SELECT id, name__v, user__sys, status__v, expiry_date__sys, last_used_date__sys FROM api_access_token__sys',
    );
    expect(listTokensVql({ userId: '12345', activeOnly: true })).toMatch(
      / FROM api_access_token__sys WHERE user__sys = '12345' AND status__v = 'active__v'$/,
    );
  });

  it('user search: one case-insensitive prefix query, with quote, % and backslash escaped (_ is no VQL wildcard)', () => {
    const q = userSysVql("o'b", 10);
    expect(q).toContain("CASEINSENSITIVE(last_name__sys) LIKE 'o\\'b%'");
    expect(q).toMatch(/FROM user__sys WHERE status__v = 'active__v'/);
    expect(q.match(/LIKE/g)).toHaveLength(5);
    expect(escapeLike("50%_a\\b'c")).toBe("50\\%_a\\\\b\\'c");
    expect(userSysVql('', 10)).not.toContain('LIKE');
  });

  it('user search asks for the undocumented user_type__v only when told to', () => {
    expect(userSysVql('x', 10)).toMatch(
      /^SELECT id, name__v, username__sys, first_name__sys, last_name__sys, email__sys, status__v, user_type__v FROM/,
    );
    expect(userSysVql('x', 10, { withUserType: false })).toMatch(
      /^SELECT id, name__v, username__sys, first_name__sys, last_name__sys, email__sys, status__v FROM/,
    );
  });
});

describe('token row parsing tolerates missing and null fields', () => {
  it('picklist arrays, numeric user ids, nulls and missing fields', () => {
    expect(
      tokenRowSchema.parse({
        id: '0PI000000020001',
        name__v: 'CI key',
        user__sys: 61603,
        status__v: ['active__v'],
        expiry_date__sys: null,
      }),
    ).toEqual({
      id: '0PI000000020001',
      name: 'CI key',
      userId: '61603',
      status: 'active__v',
      expiryDate: null,
      lastUsedDate: null,
    });
    // Not selected by the listing (§2.1): absent, so a sync keeps our own creation time.
    expect('createdDate' in tokenRowSchema.parse({ id: '0PI000000020001' })).toBe(false);
    expect(tokenRowSchema.parse({ id: '0PI000000020001', created_date__v: null }).createdDate).toBeNull();
    expect(tokenRowSchema.safeParse({ name__v: 'no id' }).success).toBe(false);
  });
});
