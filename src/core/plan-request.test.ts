import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.ts';
import { FIELD_LIMITS, parsePlanRequest } from './plan-request.ts';

const valid = {
  existingSystem: 'Shopware 6 on PHP 8.3, MySQL',
  targetApi: 'Stripe Payments API',
  useCase: 'Card payments and refunds at checkout',
  callsPerSecond: '50',
  dataVolume: '2 GB/day',
  budget: '3 months, 2 developers',
};

function issuesOf(raw: Record<string, unknown>, language: 'de' | 'en' = 'en') {
  try {
    parsePlanRequest(raw, language);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).issues;
  }
  throw new Error('expected an InputError');
}

describe('parsePlanRequest', () => {
  it('accepts a complete request, trims text and defaults the variation', () => {
    const request = parsePlanRequest({ ...valid, targetApi: '  Stripe  ', language: 'en', scaleNotes: '' }, 'en');
    expect(request).toEqual({
      ...valid,
      targetApi: 'Stripe',
      callsPerSecond: 50,
      scaleNotes: undefined,
      variation: 'general',
      language: 'en',
    });
  });

  it.each([
    ['0,5', 0.5],
    ['1 000', 1000],
    [' 12.25 ', 12.25],
    [7, 7],
  ])('reads calls per second %j as %d', (input, expected) => {
    expect(parsePlanRequest({ ...valid, callsPerSecond: input, language: 'de' }, 'de').callsPerSecond).toBe(expected);
  });

  it('names every blank field, in the user language', () => {
    const issues = issuesOf({ ...valid, existingSystem: '   ', budget: '', language: 'de' }, 'de');
    expect(issues).toEqual([
      { field: 'existingSystem', message: 'Bitte ausfüllen.' },
      { field: 'budget', message: 'Bitte ausfüllen.' },
    ]);
  });

  it('says how long a field may be and how long it is', () => {
    const long = 'x'.repeat(FIELD_LIMITS.targetApi + 5);
    expect(issuesOf({ ...valid, targetApi: long, language: 'en' })).toEqual([
      { field: 'targetApi', message: `At most ${FIELD_LIMITS.targetApi} characters, this has ${long.length}.` },
    ]);
  });

  it.each([
    ['abc', 'Enter a number, e.g. 50 or 0.5.'],
    ['', 'Enter a number, e.g. 50 or 0.5.'],
    ['0', 'Enter a number greater than 0.'],
    ['-3', 'Enter a number greater than 0.'],
    ['2000000', 'At most 1,000,000 calls per second.'],
  ])('rejects calls per second %j', (input, message) => {
    expect(issuesOf({ ...valid, callsPerSecond: input, language: 'en' })).toEqual([
      { field: 'callsPerSecond', message },
    ]);
  });

  it('rejects an unknown variation and unknown fields', () => {
    const issues = issuesOf({ ...valid, variation: 'crypto', surprise: 1, language: 'en' });
    expect(issues).toContainEqual({
      field: 'variation',
      message: 'Choose one of: general, ecommerce, payments, legacy, realtime.',
    });
    expect(issues).toContainEqual({ field: 'surprise', message: 'This field is not part of a plan.' });
  });
});
