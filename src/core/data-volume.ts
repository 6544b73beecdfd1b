/** A data volume as people write it ("2 GB/day", "500 MB pro Stunde"): bytes per period. */
export interface DataRate {
  readonly bytes: number;
  readonly periodSeconds: number;
}

/** Bytes over another period, computed without a detour through bytes/second (exact for 2 GB/day). */
export function bytesPer(rate: DataRate, seconds: number): number {
  return (rate.bytes * seconds) / rate.periodSeconds;
}

const UNIT_BYTES: Record<string, number> = {
  b: 1,
  byte: 1,
  bytes: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  pb: 1e15,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

const PERIOD_SECONDS: [RegExp, number][] = [
  [/^(s|sec|secs|second|seconds|sek|sekunde|sekunden)$/u, 1],
  [/^(m|min|mins|minute|minutes|minuten)$/u, 60],
  [/^(h|hr|hrs|hour|hours|std|stunde|stunden)$/u, 3600],
  [/^(d|day|days|tag|tage|tagen)$/u, 86_400],
  [/^(w|wk|week|weeks|woche|wochen)$/u, 7 * 86_400],
  [/^(mo|mon|month|months|monat|monate|monaten)$/u, 30 * 86_400],
  [/^(y|yr|year|years|jahr|jahre|jahren)$/u, 365 * 86_400],
];

const ADVERBS: Record<string, number> = {
  daily: 86_400,
  täglich: 86_400,
  hourly: 3600,
  stündlich: 3600,
  weekly: 7 * 86_400,
  wöchentlich: 7 * 86_400,
  monthly: 30 * 86_400,
  monatlich: 30 * 86_400,
  yearly: 365 * 86_400,
  annually: 365 * 86_400,
  jährlich: 365 * 86_400,
};

const PATTERN =
  /(\d+(?:[.,]\d+)?)\s*([kmgtp]i?b|b|bytes?)\s*(?:\/\s*|(?:per|pro|je|an|a|im|in|each)\s+)?(?:(?:an|a|the|einen|eine|einem|der|dem)\s+)?(\p{L}+)?/iu;

function periodSeconds(word: string | undefined): number | undefined {
  if (word === undefined) return undefined;
  const lower = word.toLowerCase();
  if (lower in ADVERBS) return ADVERBS[lower];
  return PERIOD_SECONDS.find(([pattern]) => pattern.test(lower))?.[1];
}

/**
 * Reads the first "number unit per period" in a free-text data volume. Returns undefined when
 * there is none (then no derived volume figures are shown rather than a guess).
 */
export function parseDataVolume(text: string): DataRate | undefined {
  const match = PATTERN.exec(text);
  if (match === null) return undefined;
  const amount = Number((match[1] ?? '').replace(',', '.'));
  const unitBytes = UNIT_BYTES[(match[2] ?? '').toLowerCase()];
  const seconds = periodSeconds(match[3]);
  if (!Number.isFinite(amount) || amount <= 0 || unitBytes === undefined || seconds === undefined) {
    return undefined;
  }
  return { bytes: amount * unitBytes, periodSeconds: seconds };
}

/** Formats bytes with the largest decimal unit that keeps the number ≥ 1. */
export function formatBytes(bytes: number, locale: string): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let index = 0;
  while (value >= 1000 && index < units.length - 1) {
    value /= 1000;
    index += 1;
  }
  const digits = value >= 100 || index === 0 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toLocaleString(locale, { maximumFractionDigits: digits })} ${units[index] ?? ''}`;
}
