import { describe, expect, it } from 'vitest';
import { createAnswerStreamFilter, showableAnswer, splitSources } from './answer-sources.ts';

const ANSWER = 'A queue buffers the peaks (section 1).\n\nWebhooks alone lose events.\n\nSources: §1, §2';

describe('splitSources', () => {
  it('takes the sources line off and reads its section numbers', () => {
    expect(splitSources(ANSWER)).toEqual({
      body: 'A queue buffers the peaks (section 1).\n\nWebhooks alone lose events.',
      numbers: [1, 2],
    });
  });

  it('reads the German line, emphasis around it, and "none"', () => {
    expect(splitSources('Text.\n**Quellen:** §3, §3, §5').numbers).toEqual([3, 5]);
    expect(splitSources('Text.\nSources: none')).toEqual({ body: 'Text.', numbers: [] });
  });

  it('keeps lines that only start like one', () => {
    expect(splitSources('Sourcing is done nightly.\nQuellenangaben fehlen.').body).toBe(
      'Sourcing is done nightly.\nQuellenangaben fehlen.',
    );
  });
});

describe('streaming an answer', () => {
  it('never shows the sources line, whatever the chunking', () => {
    for (let size = 1; size <= 9; size++) {
      const filter = createAnswerStreamFilter();
      let shown = '';
      for (let at = 0; at < ANSWER.length; at += size) shown += filter.push(ANSWER.slice(at, at + size));
      expect(shown).toBe(splitSources(ANSWER).body);
    }
  });

  it('holds back a last line that may still become the sources line, and shows it once it does not', () => {
    expect(showableAnswer('Done.\nSou')).toBe('Done.');
    expect(showableAnswer('Done.\nSoup is not a source')).toBe('Done.\nSoup is not a source');
    expect(showableAnswer('Done.\n**')).toBe('Done.');
  });

  it('starts over after a reset', () => {
    const filter = createAnswerStreamFilter();
    expect(filter.push('First try')).toBe('First try');
    filter.reset();
    expect(filter.push('Second')).toBe('Second');
  });
});
