/** Middle truncation of Vault names and token ids (renderer/src/lib/middle-truncate.ts, issue 13 item 2). */
import { describe, expect, it } from 'vitest';
import { middleTruncate, splitForMiddleTruncation } from '../../renderer/src/lib/middle-truncate';

describe('splitForMiddleTruncation', () => {
  it('keeps the last word as the tail and the separator with the head', () => {
    expect(splitForMiddleTruncation('Acme PromoMats Prod')).toEqual({ head: 'Acme PromoMats ', tail: 'Prod' });
    expect(splitForMiddleTruncation('Acme PromoMats UAT')).toEqual({ head: 'Acme PromoMats ', tail: 'UAT' });
    expect(splitForMiddleTruncation('acme-promomats-qa')).toEqual({ head: 'acme-promomats-', tail: 'qa' });
    expect(splitForMiddleTruncation('Alpha PromoMats → sandbox Alpha Sandbox')).toEqual({
      head: 'Alpha PromoMats → sandbox Alpha ',
      tail: 'Sandbox',
    });
  });

  it('never cuts a name no longer than the tail', () => {
    expect(splitForMiddleTruncation('Alpha PromoMats')).toEqual({ head: '', tail: 'Alpha PromoMats' });
    expect(splitForMiddleTruncation('')).toEqual({ head: '', tail: '' });
  });

  it('keeps the last characters of a long last word or a one-word name', () => {
    expect(splitForMiddleTruncation('0PI000000002T4W', 6)).toEqual({ head: '0PI000000', tail: '002T4W' });
    const long = 'Acme Supercalifragilisticexpialidocious';
    const { head, tail } = splitForMiddleTruncation(long);
    expect(tail).toBe('isticexpialidocious'.slice(-16));
    expect(head + tail).toBe(long);
  });

  it('always splits the text exactly (head + tail is the name)', () => {
    for (const name of ['Borealis Pharma RIM Prod', 'a b', 'x'.repeat(40), 'Gamma Safety (review copy)', 'QMS/prod.2'])
      for (const max of [1, 4, 16]) {
        const { head, tail } = splitForMiddleTruncation(name, max);
        expect(head + tail).toBe(name);
        expect(tail.length).toBeLessThanOrEqual(max);
      }
  });
});

describe('middleTruncate (as text)', () => {
  it('returns the name when it fits, else head…tail keeping the distinguishing end', () => {
    expect(middleTruncate('Acme PromoMats Prod', 30)).toBe('Acme PromoMats Prod');
    expect(middleTruncate('Acme PromoMats Prod', 14)).toBe('Acme Prom…Prod');
    expect(middleTruncate('Acme PromoMats UAT', 14)).toBe('Acme Promo…UAT');
    expect(middleTruncate('Acme PromoMats Prod', 14)).not.toBe(middleTruncate('Acme PromoMats UAT', 14));
  });

  it('never exceeds the length asked for', () => {
    for (const max of [1, 2, 3, 5, 8, 12])
      expect(middleTruncate('Delta Therapeutics QualityDocs Prod', max).length).toBeLessThanOrEqual(max);
  });
});
