import { describe, expect, it } from 'vitest';
import { normalizeTitle, parseHeadingLine } from './section-heading.ts';
import { EPILOGUE_MAX_LENGTH } from './section-body.ts';
import { splitSections } from './split-sections.ts';
import { DE_SECTIONS, EN_SECTIONS } from '../../test/fixtures/model-output/sections.ts';

/** The key of the first section found when `line` is the only candidate heading. */
function keyOf(line: string): string | null {
  return splitSections(`Intro text.\n${line}\nBody text.\n`, EN_SECTIONS).sections[0]?.key ?? null;
}

function keys(text: string): string[] {
  return splitSections(text, DE_SECTIONS).sections.map((s) => s.key);
}

describe('heading lines', () => {
  it.each([
    ['# 1. Architecture Analysis', 'architecture'],
    ['## 1. Architektur-Analyse', 'architecture'],
    ['### Architecture analysis', 'architecture'],
    ['## Architekturanalyse', 'architecture'],
    ['## 1) ARCHITEKTUR ANALYSE', 'architecture'],
    ['## 1️⃣ Architecture Analysis', 'architecture'],
    ['## Architecture Analysis & Recommendations', 'architecture'],
    ['## Section 3: Security', 'security'],
    ['### **Abschnitt 3 – Sicherheit**', 'security'],
    ['## 3) SICHERHEIT', 'security'],
    ['## 🔒 3. Security', 'security'],
    ['## 3. 🔒 Security', 'security'],
    ['## Security ##', 'security'],
    ['## Sicherheit (Security)', 'security'],
    ['## Security Considerations', 'security'],
    ['## 3. Sicherheitskonzept', 'security'],
    ['## **4. Implementierung**', 'implementation'],
    ['**1. ARCHITECTURE ANALYSIS**', 'architecture'],
    ['**1. ARCHITEKTUR-ANALYSE:**', 'architecture'],
    ['**2. Technical Specification**:', 'specification'],
    ['__Security__', 'security'],
    ['***Security***', 'security'],
    ['1. ARCHITEKTUR-ANALYSE:', 'architecture'],
    ['SICHERHEIT', 'security'],
    ['CODE-QUALITÄT:', 'code_quality'],
    ['## Code Qualitaet', 'code_quality'],
    ['## 7. Code quality', 'code_quality'],
    ['## Code-Qualitat', 'code_quality'],
  ])('%s is a heading of %s', (line, key) => {
    expect(keyOf(line)).toBe(key);
  });

  it.each([
    '1. REST vs GraphQL',
    '1. Architecture analysis',
    '- **Security:** use TLS',
    '**Security:** use TLS for every call',
    '**Caching-Strategie**',
    '## Sicherheitskonzept',
    '## Security considerations for the payment webhook endpoint',
    "## Security's role",
    '## 3.1 Security',
    '    ## 3. Security',
    '#Security',
    '> ## 3. Security',
    '| SECURITY | TLS |',
    '# Integration plan: Stripe → Shopware',
    `## Security ${'x'.repeat(200)}`,
  ])('%s is not a section heading', (line) => {
    expect(keyOf(line)).toBeNull();
  });

  it('normalises case, hyphens, spaces and umlauts', () => {
    const architecture = normalizeTitle('Architektur-Analyse');
    expect(normalizeTitle('Architekturanalyse')).toBe(architecture);
    expect(normalizeTitle('ARCHITEKTUR ANALYSE')).toBe(architecture);
    const quality = normalizeTitle('Code-Qualität');
    for (const variant of ['Code Qualitaet', 'CODE_QUALITÄT', 'code qualitat']) {
      expect(normalizeTitle(variant)).toBe(quality);
    }
  });

  it('reads number and title off the decoration', () => {
    expect(parseHeadingLine('## 🔒 **Section 3: Security** 🔒')).toEqual({
      style: 'atx',
      rank: 2,
      number: 3,
      title: 'Security',
    });
    expect(parseHeadingLine('CODE-QUALITÄT:')).toEqual({
      style: 'plain',
      rank: 7,
      number: null,
      title: 'CODE-QUALITÄT',
    });
  });
});

describe('which candidate headings start a section', () => {
  it('recognises a section key only once', () => {
    const text = '## 3. Security\nUse TLS.\n## 4. Implementation\n## 3. Security\nStill implementation.\n';
    const result = splitSections(text, EN_SECTIONS);
    expect(result.sections.map((s) => s.key)).toEqual(['security', 'implementation']);
    expect(result.sections[1]?.markdown).toBe('## 3. Security\nStill implementation.');
  });

  it('ignores headings deeper than the first section heading, even for unseen sections', () => {
    const text =
      '## 1. Architecture analysis\nA\n### Security\nsub-heading\n## 4. Implementierung\nI\n# Deployment\nD\n';
    expect(keys(text)).toEqual(['architecture', 'implementation', 'deployment']);
  });

  it('rejects a foreign number that does not move the numbering forward', () => {
    const text = '## 4. Implementation\nSteps:\n## 4. Security\nHardening step.\n## 5. Deployment\nShip it.\n';
    const result = splitSections(text, EN_SECTIONS);
    expect(result.sections.map((s) => s.key)).toEqual(['implementation', 'deployment']);
    expect(result.sections[0]?.markdown).toContain('## 4. Security\nHardening step.');
  });

  it('accepts renumbered sections after a skipped one and original numbers out of order', () => {
    expect(keys('## 1. Architecture analysis\nA\n## 2. Security\nS\n## 3. Implementation\nI\n')).toEqual([
      'architecture',
      'security',
      'implementation',
    ]);
    expect(keys('## 3. Sicherheit\nS\n## 2. Technische Spezifikation\nT\n## 1. Architektur-Analyse\nA\n')).toEqual([
      'security',
      'specification',
      'architecture',
    ]);
  });

  it('never splits inside fenced code, including nested and unclosed fences', () => {
    const nested = '## 4. Implementation\n````md\n```\n## 5. Deployment\n```\n````\n## 5. Deployment\nD\n';
    expect(keys(nested)).toEqual(['implementation', 'deployment']);
    const tilde = '## 4. Implementation\n~~~\n```\n## 5. Deployment\n~~~\n## 6. Wartung\nW\n';
    expect(keys(tilde)).toEqual(['implementation', 'maintenance']);
    const unclosed = '## 4. Implementation\n```yaml\n# 5. Deployment\n## 6. Maintenance\n';
    const result = splitSections(unclosed, EN_SECTIONS);
    expect(result.sections.map((s) => s.key)).toEqual(['implementation']);
    expect(result.sections[0]?.markdown).toBe('```yaml\n# 5. Deployment\n## 6. Maintenance');
  });

  it('handles CRLF line endings', () => {
    const result = splitSections(
      'Intro\r\n\r\n## 1. Architecture analysis\r\nA\r\n## 3. Security\r\nS\r\n',
      EN_SECTIONS,
    );
    expect(result.preamble).toBe('Intro');
    expect(result.sections).toEqual([
      { key: 'architecture', heading: '## 1. Architecture analysis', markdown: 'A' },
      { key: 'security', heading: '## 3. Security', markdown: 'S' },
    ]);
  });
});

describe('preamble, rules and epilogue', () => {
  const last = '## 7. Code quality\nUse SOLID.\n';

  it('drops rules between sections and before the first one', () => {
    const result = splitSections('Here you go:\n\n---\n\n## 6. Wartung\nW\n\n---\n\n' + last, DE_SECTIONS);
    expect(result.preamble).toBe('Here you go:');
    expect(result.sections.map((s) => s.markdown)).toEqual(['W', 'Use SOLID.']);
  });

  it('takes a short paragraph after a closing rule as the epilogue', () => {
    const result = splitSections(`${last}\n---\n\nLet me know if you need more.\n`, EN_SECTIONS);
    expect(result.sections[0]?.markdown).toBe('Use SOLID.');
    expect(result.epilogue).toBe('Let me know if you need more.');
  });

  it('keeps a closing remark without a rule in the last section', () => {
    const result = splitSections(`${last}\nLet me know if you need more.\n`, EN_SECTIONS);
    expect(result.sections[0]?.markdown).toBe('Use SOLID.\n\nLet me know if you need more.');
    expect(result.epilogue).toBe('');
  });

  it('keeps text after a rule in the section when it is long or structured', () => {
    const long = 'Word '.repeat(EPILOGUE_MAX_LENGTH / 5 + 1).trim();
    for (const tail of [long, '### Checklist\n- [ ] done', '| a | b |\n|---|---|', '```\ncode\n```']) {
      const result = splitSections(`${last}\n---\n\n${tail}\n`, EN_SECTIONS);
      expect(result.epilogue).toBe('');
      expect(result.sections[0]?.markdown).toBe(`Use SOLID.\n\n---\n\n${tail}`);
    }
  });

  it('only takes an epilogue after the last section and after some content', () => {
    const middle = splitSections(`## 6. Maintenance\nM\n\n---\n\nShort note.\n\n${last}`, EN_SECTIONS);
    expect(middle.sections[0]?.markdown).toBe('M\n\n---\n\nShort note.');
    expect(middle.epilogue).toBe('');
    const empty = splitSections('## 7. Code quality\n---\nShort note.\n', EN_SECTIONS);
    expect(empty.sections[0]?.markdown).toBe('---\nShort note.');
    expect(empty.epilogue).toBe('');
  });
});
