import { describe, expect, it } from 'vitest';
import { splitSections, type SplitResult } from './split-sections.ts';
import type { SectionKey } from '../prompts/section-keys.ts';
import {
  DE_SECTIONS,
  EN_SECTIONS,
  FIXTURES,
  loadFixture,
  type FixtureName,
} from '../../test/fixtures/model-output/sections.ts';

const ALL: SectionKey[] = [
  'architecture',
  'specification',
  'security',
  'implementation',
  'deployment',
  'maintenance',
  'code_quality',
];

interface Expectation {
  keys: SectionKey[];
  preamble: string;
  epilogue: string;
  headings?: Partial<Record<SectionKey, string>>;
  starts?: Partial<Record<SectionKey, string>>;
  ends?: Partial<Record<SectionKey, string>>;
  contains?: Partial<Record<SectionKey, string[]>>;
  excludes?: Partial<Record<SectionKey, string[]>>;
}

const EXPECTED: Record<FixtureName, Expectation> = {
  'claude-en-stripe-shopware.md': {
    keys: ALL,
    preamble: "I'll put together a complete integration plan",
    epilogue:
      "Let me know if you'd like me to expand any section — for example a complete webhook controller or the Terraform for the Vault setup.",
    headings: { architecture: '## 1. Architecture Analysis', code_quality: '## 7. Code Quality' },
    starts: { architecture: '### API type', security: '### API key management', implementation: '### Code structure' },
    ends: { code_quality: 'webhook handlers are idempotent by event ID.' },
    contains: {
      implementation: [
        '### Security considerations',
        '## Deployment\nSet STRIPE_SECRET_KEY',
        '# 3. Security\nKeys are rotated by Vault.',
      ],
      deployment: ['# 3. Security\nsecret_detection:', '| production | live |'],
    },
    excludes: { security: ['## 4. Implementation', 'Code structure'], code_quality: ['---', 'Let me know'] },
  },
  'gpt-de-bold-atx-hubspot.md': {
    keys: ALL,
    preamble: 'Gerne! Hier ist ein vollständiger Integrationsplan',
    epilogue: '',
    headings: { implementation: '## **4. Implementierung**', code_quality: '## **7. Code-Qualität**' },
    starts: { architecture: '### API-Typ', security: '### API-Key Management' },
    ends: {
      architecture: 'weil HubSpot die führende Quelle ist.',
      code_quality: 'die Webhook-Validierung ausformulieren.',
    },
    contains: {
      architecture: [
        '**Caching-Strategie**',
        '- **Sicherheit:** Tokens niemals im Frontend verwenden',
        '1. REST vs GraphQL',
      ],
    },
  },
  'seed-style-de-plain-datev.md': {
    keys: ALL,
    preamble: 'Hier ist Ihr Integrationsplan für die Anbindung der DATEV-Schnittstelle',
    epilogue: 'Bei Rückfragen zu einzelnen Punkten stehe ich gern zur Verfügung.',
    headings: { architecture: '1. ARCHITEKTUR-ANALYSE:', security: '3. SICHERHEIT:', code_quality: 'CODE-QUALITÄT:' },
    starts: {
      architecture: '   - API-Typ: REST',
      security: '   - API-Key Management',
      code_quality: '- Clean Code Prinzipien',
    },
    ends: { code_quality: 'jeder Buchungsstapel trägt eine eindeutige Stapel-ID' },
    contains: {
      architecture: ['1. REST vs GraphQL – entfällt', '3. Push vs Pull'],
      implementation: ['3. SICHERHEIT:\n  maskFields', '## Deployment\nbuchungsschluessel:'],
    },
  },
  'gpt-en-bold-lines-twilio.md': {
    keys: ['architecture', 'specification', 'security', 'implementation', 'deployment', 'code_quality'],
    preamble: 'Below is a structured integration plan',
    epilogue: 'If you want, I can also sketch the database model for notification history or the opt-out handling.',
    headings: {
      architecture: '**1. ARCHITECTURE ANALYSIS**',
      specification: '**2. TECHNICAL SPECIFICATION:**',
      security: '__Security__',
    },
    starts: { security: '- Store the API Key secret in AWS Secrets Manager', deployment: '- Add `TWILIO_API_KEY`' },
    ends: { code_quality: 'after 5 consecutive failures for 60 s.' },
    contains: {
      architecture: ['- **Security:** use TLS everywhere', '**Caching strategy**'],
      implementation: ['**5. Deployment**\n- new env var TWILIO_SERVICE_SID'],
    },
  },
  'claude-de-emoji-salesforce-sap.md': {
    keys: ALL,
    preamble: '# Integrationsplan: Salesforce ↔ SAP S/4HANA\n\nIm Folgenden',
    epilogue: '',
    headings: {
      architecture: '## 🏗️ 1. Architektur-Analyse',
      specification: '## 📐 2. Technical Specification',
      security: '## 🔒 3. Sicherheit (Security)',
      maintenance: '## 🔧 6. Wartung & Betrieb',
    },
    starts: { security: '### Secrets Management', deployment: 'Der Service läuft als Container' },
    ends: { code_quality: '- [ ] Dead-Letter-Alarm getestet' },
    contains: { architecture: ['**Caching-Strategie**'], code_quality: ['---\n\n### Checkliste für den Go-Live'] },
  },
  'gpt-en-section-prefix-out-of-order.md': {
    keys: ['architecture', 'specification', 'implementation', 'security', 'deployment', 'maintenance', 'code_quality'],
    preamble: 'Here is a complete plan for integrating the **Google Maps Platform',
    epilogue: 'Want me to add a cost estimate based on your expected number of stops per day?',
    headings: {
      architecture: '## Section 1: Architecture Analysis & Recommendations',
      security: '## Section 3: Security',
    },
    starts: {
      implementation: 'We start with the implementation plan',
      security: '- API key restricted by API and by IP',
    },
    contains: { implementation: ['### Security considerations\n\nThe key is read from the environment'] },
    excludes: { implementation: ['## Section 3: Security', 'Google Secret Manager'] },
  },
  'gpt-de-paren-renumbered-dhl.md': {
    keys: ['architecture', 'specification', 'security', 'implementation', 'maintenance', 'code_quality'],
    preamble: 'Alles klar – hier ein kompakter',
    epilogue: '',
    headings: {
      architecture: '## 1) ARCHITEKTUR ANALYSE',
      maintenance: '## 5) WARTUNG',
      code_quality: '## Code Qualitaet',
    },
    starts: { specification: '| Shopify | DHL | Anmerkung |', maintenance: '- DHL kündigt neue API-Versionen' },
    ends: { implementation: '(`api-sandbox.dhl.com`)' },
    excludes: { implementation: ['## 5) WARTUNG'], maintenance: ['## Code Qualitaet', 'Strikte TypeScript-Typen'] },
  },
  'gpt-en-h3-unnumbered-sendgrid.md': {
    keys: ALL,
    preamble: "Sure! Here's a structured plan",
    epilogue: '',
    headings: { architecture: '### Architecture analysis', code_quality: '### Code quality' },
    starts: { implementation: '#### Delivery method', security: '- Store the API key in Rails encrypted credentials' },
    ends: { code_quality: 'I can tailor the delivery method and the webhook controller to it.' },
    contains: { implementation: ['#### Security considerations\n\nNever interpolate user input'] },
  },
  'gpt-en-h1-mixed-titles-github.md': {
    keys: ALL,
    preamble: '',
    epilogue:
      "**Next steps:** tell me which ticket fields must map to GitHub labels and I'll write the complete mapping table.",
    headings: {
      specification: '# 2. Technische Spezifikation',
      security: '# 3) SECURITY',
      maintenance: '# 6. Maintenance and Operations',
      code_quality: '# 7. Code Quality Guidelines',
    },
    starts: { architecture: 'You want to sync GitHub issues', implementation: '1. Create the GitHub App' },
    contains: {
      architecture: ['## REST vs GraphQL', '## Authentication'],
      implementation: ['   ## Deployment\n   Helm chart', '# 3. Security: only request fields we store'],
    },
  },
  'claude-de-clarifying-questions.md': {
    keys: [],
    preamble: 'Bevor ich einen belastbaren Integrationsplan erstelle',
    epilogue: '',
  },
};

/** The result must be the text in order: preamble, each heading and body, epilogue; gaps only blank or rules. */
function expectPartition(text: string, result: SplitResult): void {
  let cursor = 0;
  const take = (part: string): void => {
    const at = text.indexOf(part, cursor);
    expect(at).toBeGreaterThanOrEqual(cursor);
    expect(text.slice(cursor, at)).toMatch(/^[\s*_-]*$/);
    cursor = at + part.length;
  };
  take(result.preamble);
  for (const section of result.sections) {
    take(section.heading);
    take(section.markdown);
  }
  take(result.epilogue);
  expect(text.slice(cursor)).toMatch(/^\s*$/);
}

function check(result: SplitResult, text: string, expected: Expectation): void {
  expect(result.sections.map((s) => s.key)).toEqual(expected.keys);
  expect(result.preamble.startsWith(expected.preamble)).toBe(true);
  if (expected.preamble === '') expect(result.preamble).toBe('');
  expect(result.epilogue).toBe(expected.epilogue);
  expectPartition(text, result);
  const byKey = new Map(result.sections.map((s) => [s.key, s]));
  for (const section of result.sections) {
    expect(section.markdown).not.toMatch(/^\s*\n|\s$/);
    expect(section.markdown.length).toBeGreaterThan(40);
  }
  for (const [key, heading] of Object.entries(expected.headings ?? {})) {
    expect(byKey.get(key as SectionKey)?.heading).toBe(heading);
  }
  for (const [key, start] of Object.entries(expected.starts ?? {})) {
    expect(
      byKey
        .get(key as SectionKey)
        ?.markdown.split('\n')[0]
        ?.startsWith(start),
    ).toBe(true);
  }
  for (const [key, end] of Object.entries(expected.ends ?? {})) {
    expect(byKey.get(key as SectionKey)?.markdown.endsWith(end)).toBe(true);
  }
  for (const [key, parts] of Object.entries(expected.contains ?? {})) {
    for (const part of parts) expect(byKey.get(key as SectionKey)?.markdown).toContain(part);
  }
  for (const [key, parts] of Object.entries(expected.excludes ?? {})) {
    for (const part of parts) expect(byKey.get(key as SectionKey)?.markdown).not.toContain(part);
  }
}

describe('splitSections on model answers', () => {
  it.each(FIXTURES)('%s', (name) => {
    const text = loadFixture(name);
    const result = splitSections(text, EN_SECTIONS);
    check(result, text, EXPECTED[name]);
    // Either prompt language recognises both languages' headings identically.
    expect(splitSections(text, DE_SECTIONS)).toEqual(result);
  });

  it('keeps the whole answer as preamble when no section is found', () => {
    const text = loadFixture('claude-de-clarifying-questions.md');
    expect(splitSections(text, DE_SECTIONS)).toEqual({ preamble: text.trim(), sections: [], epilogue: '' });
    expect(splitSections('', EN_SECTIONS)).toEqual({ preamble: '', sections: [], epilogue: '' });
  });
});
