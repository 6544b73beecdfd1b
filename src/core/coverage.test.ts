import { describe, expect, it } from 'vitest';
import { coversItem, findMissingItems } from './coverage.ts';

const sla = { id: 'sla', label: 'SLA definition', match: ['sla', 'slo', 'service level*'] };
const breaker = { id: 'circuit_breaker', label: 'Circuit breaker', match: ['circuit breaker*'] };
const rate = { id: 'rate_limiting', label: 'Rate limiting', match: ['rate limit*'] };

describe('coverage', () => {
  it('matches whole words, not parts of other words', () => {
    expect(coversItem('We translate payloads.', sla)).toBe(false);
    expect(coversItem('The SLA is 99.9 %.', sla)).toBe(true);
    expect(coversItem('Service-Level-Ziele: 99,9 %', sla)).toBe(true);
  });

  it('treats a trailing * as a word prefix and hyphens like spaces', () => {
    expect(coversItem('Use circuit-breakers around the client.', breaker)).toBe(true);
    expect(coversItem('Rate-Limiting pro Client', rate)).toBe(true);
    expect(coversItem('rate', rate)).toBe(false);
  });

  it('lists what is missing in checklist order', () => {
    expect(findMissingItems('Only the circuit breaker is here.', [sla, breaker, rate]).map((item) => item.id)).toEqual([
      'sla',
      'rate_limiting',
    ]);
  });
});
