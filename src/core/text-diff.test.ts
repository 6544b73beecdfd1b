import { describe, expect, it } from 'vitest';
import { diffText } from './text-diff.ts';

const lines = (count: number, change?: { at: number; text: string }) =>
  Array.from({ length: count }, (_, i) => (change?.at === i ? change.text : `line ${i + 1}`)).join('\n');

describe('diffText', () => {
  it('shows a changed line with one line of context each side and counts both sides', () => {
    const diff = diffText(lines(10), lines(10, { at: 4, text: 'line five, rewritten' }));
    expect(diff).toEqual({
      added: 1,
      removed: 1,
      omitted: 0,
      lines: [
        { kind: ' ', text: 'line 4' },
        { kind: '-', text: 'line 5' },
        { kind: '+', text: 'line five, rewritten' },
        { kind: ' ', text: 'line 6' },
      ],
    });
  });

  it('marks the gap between two distant changes and ignores blank lines', () => {
    const before = `${lines(20)}\n\n`;
    const after = lines(20).replace('line 2\n', 'line two\n').replace('line 19', 'line nineteen');
    const diff = diffText(before, after);
    expect(diff.lines.map((line) => `${line.kind}${line.text}`)).toEqual([
      ' line 1',
      '-line 2',
      '+line two',
      ' line 3',
      ' …',
      ' line 18',
      '-line 19',
      '+line nineteen',
      ' line 20',
    ]);
  });

  it('says nothing changed for equal texts, and caps a long diff, counting what it left out', () => {
    expect(diffText('a\nb', 'a\nb')).toEqual({ added: 0, removed: 0, omitted: 0, lines: [] });
    const long = diffText('', lines(100), { maxLines: 10 });
    expect(long.added).toBe(100);
    expect(long.lines).toHaveLength(10);
    expect(long.omitted).toBe(90);
  });
});
