import type { PromptFigure } from '../prompts/prompt-context.ts';
import { bytesPer, formatBytes, parseDataVolume } from './data-volume.ts';
import type { Language } from '../prompts/section-keys.ts';

/** Provisioning target above the stated peak, for bursts the peak figure does not show. */
export const BURST_HEADROOM = 1.5;
const DAY = 86_400;
const MONTH = 30 * DAY;

export interface ScaleInputs {
  readonly callsPerSecond: number;
  readonly dataVolume: string;
}

/** Scale figures derived in code (never left to the model), as numbers. */
export interface ScaleFigures {
  readonly callsPerSecond: number;
  readonly callsPerMinute: number;
  readonly callsPerDay: number;
  readonly callsPerMonth: number;
  readonly burstCallsPerSecond: number;
  readonly bytesPerDay: number | undefined;
  readonly bytesPerMonth: number | undefined;
  readonly averagePayloadBytes: number | undefined;
}

export function computeScaleFigures(inputs: ScaleInputs): ScaleFigures {
  const rate = parseDataVolume(inputs.dataVolume);
  const callsPerDay = inputs.callsPerSecond * DAY;
  return {
    callsPerSecond: inputs.callsPerSecond,
    callsPerMinute: inputs.callsPerSecond * 60,
    callsPerDay,
    callsPerMonth: inputs.callsPerSecond * MONTH,
    burstCallsPerSecond: inputs.callsPerSecond * BURST_HEADROOM,
    bytesPerDay: rate === undefined ? undefined : bytesPer(rate, DAY),
    bytesPerMonth: rate === undefined ? undefined : bytesPer(rate, MONTH),
    averagePayloadBytes: rate === undefined ? undefined : bytesPer(rate, DAY) / callsPerDay,
  };
}

const LABELS = {
  en: {
    perMinute: 'Calls per minute at peak',
    perDay: 'Calls per day if the peak were sustained (upper bound)',
    perMonth: 'Calls per month (30 days) if the peak were sustained (upper bound)',
    burst: `Capacity target with ${Math.round((BURST_HEADROOM - 1) * 100)} % burst headroom`,
    bytesPerDay: 'Data volume per day',
    bytesPerMonth: 'Data volume per month (30 days)',
    payload: 'Average payload per call if the peak were sustained (lower bound)',
    callsUnit: 'calls/s',
  },
  de: {
    perMinute: 'Aufrufe pro Minute in der Spitze',
    perDay: 'Aufrufe pro Tag bei dauerhafter Spitzenlast (Obergrenze)',
    perMonth: 'Aufrufe pro Monat (30 Tage) bei dauerhafter Spitzenlast (Obergrenze)',
    burst: `Kapazitätsziel mit ${Math.round((BURST_HEADROOM - 1) * 100)} % Burst-Reserve`,
    bytesPerDay: 'Datenvolumen pro Tag',
    bytesPerMonth: 'Datenvolumen pro Monat (30 Tage)',
    payload: 'Durchschnittliche Nutzlast pro Aufruf bei dauerhafter Spitzenlast (Untergrenze)',
    callsUnit: 'Aufrufe/s',
  },
} as const;

/** How numbers are written in each language (1.234,5 / 1,234.5). */
const NUMBER_LOCALE = { de: 'de-DE', en: 'en-US' } as const satisfies Record<Language, string>;

/** The figures as labelled, localised lines for the prompt and for the user. */
export function describeScaleFigures(figures: ScaleFigures, language: Language): PromptFigure[] {
  const locale = NUMBER_LOCALE[language];
  const labels = LABELS[language];
  const count = (value: number) => value.toLocaleString(locale, { maximumFractionDigits: 1 });
  const lines: PromptFigure[] = [
    { label: labels.perMinute, value: count(figures.callsPerMinute) },
    { label: labels.perDay, value: count(figures.callsPerDay) },
    { label: labels.perMonth, value: count(figures.callsPerMonth) },
    { label: labels.burst, value: `${count(figures.burstCallsPerSecond)} ${labels.callsUnit}` },
  ];
  if (figures.bytesPerDay !== undefined && figures.bytesPerMonth !== undefined) {
    lines.push({ label: labels.bytesPerDay, value: formatBytes(figures.bytesPerDay, locale) });
    lines.push({ label: labels.bytesPerMonth, value: formatBytes(figures.bytesPerMonth, locale) });
  }
  if (figures.averagePayloadBytes !== undefined) {
    lines.push({ label: labels.payload, value: formatBytes(figures.averagePayloadBytes, locale) });
  }
  return lines;
}
