import type { Language } from '../prompts/section-keys.ts';

/** Everything the plan form says (Slack modal, Teams card), in both languages. */
export const FORM_TEXTS = {
  en: {
    title: 'Integration plan',
    titleRerun: 'Re-run with new scale',
    submit: 'Write plan',
    close: 'Cancel',
    intro: 'Describe the project; the plan is posted in this channel, one threaded reply per section.',
    introRerun: (plan: number) =>
      `Plan ${plan}: change the figures below; the new revision is posted in the same thread.`,
    existingSystem: {
      label: 'Existing system / tech stack',
      placeholder: 'e.g. Shopware 6 (PHP 8.3), MySQL 8, RabbitMQ',
    },
    targetApi: { label: 'Target API', placeholder: 'e.g. Stripe Payments API' },
    useCase: { label: 'Use case', placeholder: 'What must the integration achieve?' },
    callsPerSecond: { label: 'Peak calls per second', hint: 'Requests per second at peak, e.g. 50 or 0.5' },
    dataVolume: {
      label: 'Data volume',
      placeholder: 'e.g. 2 GB/day',
      hint: 'Amount per period: "500 MB/hour", "2 GB/day"',
    },
    scaleNotes: { label: 'Scale notes', placeholder: 'e.g. Black Friday peaks at 5x' },
    budget: { label: 'Budget / timeframe', placeholder: 'e.g. 3 months, 2 developers' },
    variation: { label: 'Focus' },
    language: { label: 'Plan language' },
    variations: {
      general: 'General',
      ecommerce: 'E-commerce (Shopify/WooCommerce)',
      payments: 'Payments (multi-provider)',
      legacy: 'Legacy system to modern API',
      realtime: 'Real time (WebSocket/streaming)',
    },
    languages: { en: 'English', de: 'German' },
    specFile: {
      label: 'API spec file (optional)',
      hint: 'OpenAPI 3 or Swagger 2.0, JSON or YAML, up to 10 MB: the plan uses its endpoints and is checked against it.',
    },
    specUrl: {
      label: 'API spec URL (optional)',
      placeholder: 'https://example.com/openapi.yaml',
      hint: 'Or the address of the spec (https).',
    },
    specKept: 'Leave both empty to keep the spec of the last revision.',
    specBoth: 'Give the spec as a file or as a URL, not both.',
  },
  de: {
    title: 'Integrationsplan',
    titleRerun: 'Neu mit neuer Last',
    submit: 'Plan schreiben',
    close: 'Abbrechen',
    intro: 'Beschreibe das Projekt; der Plan erscheint in diesem Kanal, ein Thread-Beitrag je Abschnitt.',
    introRerun: (plan: number) => `Plan ${plan}: Ändere die Werte unten; die neue Revision erscheint im selben Thread.`,
    existingSystem: {
      label: 'Bestehendes System / Tech-Stack',
      placeholder: 'z. B. Shopware 6 (PHP 8.3), MySQL 8, RabbitMQ',
    },
    targetApi: { label: 'Ziel-API', placeholder: 'z. B. Stripe Payments API' },
    useCase: { label: 'Use Case', placeholder: 'Was soll die Integration erreichen?' },
    callsPerSecond: {
      label: 'Aufrufe pro Sekunde (Spitze)',
      hint: 'Anfragen pro Sekunde in der Spitze, z. B. 50 oder 0,5',
    },
    dataVolume: {
      label: 'Datenvolumen',
      placeholder: 'z. B. 2 GB/Tag',
      hint: 'Menge pro Zeitraum: „500 MB/Stunde“, „2 GB/Tag“',
    },
    scaleNotes: { label: 'Hinweise zur Skalierung', placeholder: 'z. B. Black Friday: fünffache Last' },
    budget: { label: 'Budget / Zeitrahmen', placeholder: 'z. B. 3 Monate, 2 Entwickler' },
    variation: { label: 'Schwerpunkt' },
    language: { label: 'Sprache des Plans' },
    variations: {
      general: 'Allgemein',
      ecommerce: 'E-Commerce (Shopify/WooCommerce)',
      payments: 'Payment (Multi-Provider)',
      legacy: 'Legacy-System an moderne API',
      realtime: 'Echtzeit (WebSocket/Streaming)',
    },
    languages: { en: 'Englisch', de: 'Deutsch' },
    specFile: {
      label: 'API-Spezifikation als Datei (optional)',
      hint: 'OpenAPI 3 oder Swagger 2.0, JSON oder YAML, bis 10 MB: Der Plan nutzt ihre Endpunkte und wird gegen sie geprüft.',
    },
    specUrl: {
      label: 'URL der API-Spezifikation (optional)',
      placeholder: 'https://example.com/openapi.yaml',
      hint: 'Oder die Adresse der Spezifikation (https).',
    },
    specKept: 'Beide leer lassen, um die Spezifikation der letzten Revision zu behalten.',
    specBoth: 'Die Spezifikation bitte als Datei oder als URL angeben, nicht beides.',
  },
} as const satisfies Record<Language, unknown>;

/** German for German-speaking locales (de-DE, de-AT, de-CH), English otherwise. */
export function languageOfLocale(locale: string | undefined): Language {
  return locale?.toLowerCase().startsWith('de') === true ? 'de' : 'en';
}
