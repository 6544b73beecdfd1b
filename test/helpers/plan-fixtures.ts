import { planRequestSchema, type PlanRequest } from '../../src/core/plan-request.ts';

/**
 * A complete, valid plan request (a shop taking card payments), with `overrides` for what a test
 * is about. Validated as the surfaces validate a form, so a fixture never holds what users cannot send.
 * Without scale notes unless given (the key is absent, as in a stored request).
 */
export function samplePlanRequest(overrides: Partial<PlanRequest> = {}): PlanRequest {
  return planRequestSchema.parse({
    existingSystem: 'Shopware 6 (PHP 8.3), MySQL 8',
    targetApi: 'Stripe Payments API',
    useCase: 'Card payments and refunds at checkout',
    callsPerSecond: 50,
    dataVolume: '2 GB/day',
    budget: '3 months, 2 developers',
    variation: 'payments',
    language: 'en',
    ...overrides,
  });
}
