import { describe, expect, it } from 'vitest';
import { neutralizeCanvasMarkdown } from './plan-canvas.ts';

describe('neutralizeCanvasMarkdown', () => {
  it('breaks canvas mentions and Slack pings, and leaves ordinary Markdown alone', () => {
    const text =
      'Ask ![](@U0BOSS) in ![x](#C0OPS), <@U0BOSS> or <!channel>. ![diagram](https://example.com/a.png) `a < b`';
    const safe = neutralizeCanvasMarkdown(text);
    expect(safe).not.toMatch(/!\[[^\]]*\]\([@#]/u);
    expect(safe).not.toMatch(/<[@#!]/u);
    expect(safe).toContain('![diagram](https://example.com/a.png)');
    expect(safe).toContain('`a < b`');
    expect(safe.replaceAll('\u2060', '')).toBe(text);
  });
});
