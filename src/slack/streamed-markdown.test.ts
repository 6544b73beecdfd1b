import { describe, expect, it } from 'vitest';
import { neutralizeSlackText } from './slack-markdown.ts';
import { createSlackStreamText } from './streamed-markdown.ts';

const SAMPLES = [
  'Tell <!channel> and @here, then <@U0BOSS>.\n\n> quoted <https://x.test|link>\n\nDone.',
  'Use `a < b` and `<!here>` in code.\n```\nconst x = <T,>(y: T) => y; // @channel\n```\nAfter the fence: a > b & c.',
  'Plain text without anything special, over\nseveral\nlines.',
];

describe('createSlackStreamText', () => {
  it('sends exactly the start of the neutralised whole, for every chunk size', () => {
    for (const sample of SAMPLES) {
      for (const size of [1, 2, 3, 5, 8, 13]) {
        const stream = createSlackStreamText();
        let sent = '';
        for (let at = 0; at < sample.length; at += size) {
          sent += stream.push(sample.slice(at, at + size));
          expect(neutralizeSlackText(sample).startsWith(sent)).toBe(true);
        }
        expect(sent + (stream.rest(sample) ?? '!')).toBe(neutralizeSlackText(sample));
      }
    }
  });

  it('holds back the unfinished line from its first character that depends on the rest', () => {
    const stream = createSlackStreamText();
    expect(stream.push('Ask <')).toBe('Ask ');
    expect(stream.push('!here> now\n')).toBe('&lt;!here&gt; now\n');
  });

  it('says when what was sent is no longer the start of the answer', () => {
    const stream = createSlackStreamText();
    stream.push('First attempt ');
    expect(stream.rest('Another answer')).toBeUndefined();
  });
});
