import { describe, expect, it } from 'vitest';
import {
  createSectionStream,
  splitSections,
  type SectionListener,
  type SectionStream,
  type SplitResult,
} from './split-sections.ts';
import type { SectionDefinition, SectionKey } from '../prompts/section-keys.ts';
import { DE_SECTIONS, EN_SECTIONS, FIXTURES, loadFixture } from '../../test/fixtures/model-output/sections.ts';

/** mulberry32: a tiny seeded PRNG so chunk boundaries are random but reproducible. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Cuts text into pieces of 1–`max` characters; small pieces are more likely, to split headings. */
function chunks(text: string, seed: number, max = 48): string[] {
  const random = mulberry32(seed);
  const out: string[] = [];
  for (let at = 0; at < text.length;) {
    const size = 1 + Math.floor(random() ** 2 * max);
    out.push(text.slice(at, at + size));
    at += size;
  }
  return out;
}

type StreamEvent =
  | { type: 'start'; key: SectionKey; heading: string }
  | { type: 'delta'; key: SectionKey; text: string }
  | { type: 'complete'; key: SectionKey; markdown: string };

/** Records listener calls, and checks every start happens once its heading line has ended. */
function recorder(sections: readonly SectionDefinition[]): {
  stream: SectionStream;
  events: StreamEvent[];
  push(piece: string): void;
  end(): SplitResult;
} {
  const events: StreamEvent[] = [];
  let pushed = '';
  let ended = false;
  const listener: SectionListener = {
    onSectionStart(key, heading) {
      const at = pushed.lastIndexOf(heading);
      expect(at).toBeGreaterThanOrEqual(0);
      if (!ended) expect(pushed.slice(at + heading.length)).toMatch(/^[ \t\r]*\n/);
      events.push({ type: 'start', key, heading });
    },
    onSectionDelta(key, text) {
      events.push({ type: 'delta', key, text });
    },
    onSectionComplete(key, markdown) {
      events.push({ type: 'complete', key, markdown });
    },
  };
  const stream = createSectionStream(sections, listener);
  return {
    stream,
    events,
    push(piece) {
      pushed += piece;
      stream.push(piece);
    },
    end() {
      ended = true;
      return stream.end();
    },
  };
}

/** Events must be start, deltas, complete per section; deltas concatenate to the markdown. */
function expectConsistent(events: readonly StreamEvent[], result: SplitResult): void {
  const rebuilt: SplitResult['sections'] = [];
  let open: { key: SectionKey; heading: string; text: string } | null = null;
  for (const event of events) {
    if (event.type === 'start') {
      expect(open).toBeNull();
      open = { key: event.key, heading: event.heading, text: '' };
    } else {
      expect(open?.key).toBe(event.key);
      if (!open) return;
      if (event.type === 'delta') {
        expect(event.text).not.toBe('');
        open.text += event.text;
      } else {
        expect(open.text).toBe(event.markdown);
        rebuilt.push({ key: open.key, heading: open.heading, markdown: event.markdown });
        open = null;
      }
    }
  }
  expect(open).toBeNull();
  expect(rebuilt).toEqual(result.sections);
}

describe('createSectionStream', () => {
  const cases = FIXTURES.flatMap((name) =>
    [1, 2, 3, 42, 2024].map((seed) => ({ name, seed, sections: seed % 2 === 0 ? DE_SECTIONS : EN_SECTIONS })),
  );

  it.each(cases)('$name in random chunks (seed $seed) equals splitSections', ({ name, seed, sections }) => {
    const text = loadFixture(name);
    const run = recorder(sections);
    for (const piece of chunks(text, seed)) run.push(piece);
    const result = run.end();
    expect(result).toEqual(splitSections(text, sections));
    expectConsistent(run.events, result);
  });

  it('gives the same result one character at a time and with the text lacking a final newline', () => {
    for (const name of ['claude-en-stripe-shopware.md', 'seed-style-de-plain-datev.md'] as const) {
      const text = loadFixture(name).trimEnd();
      const run = recorder(EN_SECTIONS);
      for (const char of text) run.push(char);
      const result = run.end();
      expect(result).toEqual(splitSections(text, EN_SECTIONS));
      expectConsistent(run.events, result);
    }
  });

  it('decides a heading only when its line ends', () => {
    const run = recorder(EN_SECTIONS);
    run.push('Intro\n## 3. Sec');
    run.push('urity');
    expect(run.events).toEqual([]);
    run.push('\nUse TLS');
    expect(run.events).toEqual([{ type: 'start', key: 'security', heading: '## 3. Security' }]);
    run.push('.\n## 4. Implementation');
    expect(run.events.map((e) => e.type)).toEqual(['start', 'delta']);
    const result = run.end();
    expect(run.events.slice(2)).toEqual([
      { type: 'complete', key: 'security', markdown: 'Use TLS.' },
      { type: 'start', key: 'implementation', heading: '## 4. Implementation' },
      { type: 'complete', key: 'implementation', markdown: '' },
    ]);
    expect(result.preamble).toBe('Intro');
  });

  it('does not start a section inside a fence that is still open', () => {
    const run = recorder(EN_SECTIONS);
    run.push('## 4. Implementation\n```md\n## 5. Deployment\n');
    expect(run.events.filter((e) => e.type === 'start').map((e) => e.key)).toEqual(['implementation']);
    run.push('```\n## 5. Deployment\nShip.\n');
    const result = run.end();
    expect(result.sections.map((s) => s.key)).toEqual(['implementation', 'deployment']);
    expect(result.sections[0]?.markdown).toBe('```md\n## 5. Deployment\n```');
  });

  it('holds back a trailing rule and a possible epilogue until they are decided', () => {
    const run = recorder(EN_SECTIONS);
    run.push('## 7. Code quality\n\nUse SOLID.\n\n---\n\nLet me know');
    const deltas = (): string => run.events.map((e) => (e.type === 'delta' ? e.text : '')).join('');
    expect(deltas()).toBe('Use SOLID.');
    run.push(' if you need more.\n');
    const result = run.end();
    expect(deltas()).toBe('Use SOLID.');
    expect(result.epilogue).toBe('Let me know if you need more.');
  });

  it('streams a held rule as content once the next section shows it was not the end', () => {
    const run = recorder(EN_SECTIONS);
    run.push('## 6. Maintenance\nM\n\n---\n\nShort note.\n\n---\n\n## 7. Code quality\nQ\n');
    const result = run.end();
    expect(result.sections.map((s) => s.markdown)).toEqual(['M\n\n---\n\nShort note.', 'Q']);
    expectConsistent(run.events, result);
  });

  it('streams a long prose line before its newline arrives', () => {
    const run = recorder(EN_SECTIONS);
    const prose = 'Stripe exposes a versioned REST API. '.repeat(6);
    run.push(`## 1. Architecture analysis\n${prose}`);
    expect(run.events.at(-1)).toEqual({ type: 'delta', key: 'architecture', text: prose.trimEnd() });
    run.push('More.\n');
    expectConsistent(run.events, run.end());
  });

  it('rejects use after end()', () => {
    const stream = recorder(EN_SECTIONS).stream;
    stream.end();
    expect(() => stream.push('x')).toThrow();
    expect(() => stream.end()).toThrow();
  });
});
