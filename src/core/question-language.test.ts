import { describe, expect, it } from 'vitest';
import { questionLanguage } from './question-language.ts';

describe('questionLanguage', () => {
  it('tells German from English questions', () => {
    expect(questionLanguage('Warum eine Queue und nicht Webhooks?', 'en')).toBe('de');
    expect(questionLanguage('Wie hoch ist das Rate Limit?', 'en')).toBe('de');
    expect(questionLanguage('why a queue and not webhooks?', 'de')).toBe('en');
    expect(questionLanguage('What happens when the API is down?', 'de')).toBe('en');
  });

  it('counts umlauts for German', () => {
    expect(questionLanguage('Größe der Batches?', 'en')).toBe('de');
  });

  it('keeps the fallback when the question says too little', () => {
    expect(questionLanguage('OAuth?', 'de')).toBe('de');
    expect(questionLanguage('Kafka vs. SQS', 'en')).toBe('en');
  });
});
