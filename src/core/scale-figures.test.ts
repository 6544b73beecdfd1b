import { describe, expect, it } from 'vitest';
import { bytesPer, formatBytes, parseDataVolume } from './data-volume.ts';
import { computeScaleFigures, describeScaleFigures } from './scale-figures.ts';

describe('parseDataVolume', () => {
  it.each([
    ['2 GB/day', 2e9 / 86_400],
    ['2GB per day', 2e9 / 86_400],
    ['500 MB pro Stunde', 500e6 / 3600],
    ['1,5 TB im Monat', 1.5e12 / (30 * 86_400)],
    ['10 GB daily', 10e9 / 86_400],
    ['about 3 GiB an hour', (3 * 1024 ** 3) / 3600],
    ['20 KB/s', 20e3],
    ['100 MB täglich', 100e6 / 86_400],
  ])('reads %j', (text, bytesPerSecond) => {
    const rate = parseDataVolume(text);
    expect(rate).toBeDefined();
    if (rate !== undefined) expect(bytesPer(rate, 1)).toBeCloseTo(bytesPerSecond, 6);
  });

  it.each(['lots', '2 GB', 'GB per day', '0 GB/day', '5 apples per day'])('does not guess from %j', (text) => {
    expect(parseDataVolume(text)).toBeUndefined();
  });
});

describe('computeScaleFigures', () => {
  it('derives calls and volumes from the peak rate', () => {
    const figures = computeScaleFigures({ callsPerSecond: 50, dataVolume: '2 GB/day' });
    expect(figures).toEqual({
      callsPerSecond: 50,
      callsPerMinute: 3000,
      callsPerDay: 4_320_000,
      callsPerMonth: 129_600_000,
      burstCallsPerSecond: 75,
      bytesPerDay: 2e9,
      bytesPerMonth: 60e9,
      averagePayloadBytes: 2e9 / 4_320_000,
    });
  });

  it('leaves volume figures out when the volume has no rate', () => {
    const figures = computeScaleFigures({ callsPerSecond: 0.5, dataVolume: 'small' });
    expect(figures.callsPerDay).toBe(43_200);
    expect(figures.bytesPerDay).toBeUndefined();
    expect(describeScaleFigures(figures, 'en')).toHaveLength(4);
  });

  it('formats figures in the user language', () => {
    const lines = describeScaleFigures(computeScaleFigures({ callsPerSecond: 50, dataVolume: '2 GB/day' }), 'de');
    expect(lines).toContainEqual({
      label: 'Aufrufe pro Tag bei dauerhafter Spitzenlast (Obergrenze)',
      value: '4.320.000',
    });
    expect(lines).toContainEqual({ label: 'Kapazitätsziel mit 50 % Burst-Reserve', value: '75 Aufrufe/s' });
    expect(lines).toContainEqual({ label: 'Datenvolumen pro Monat (30 Tage)', value: '60 GB' });
    const english = describeScaleFigures(computeScaleFigures({ callsPerSecond: 50, dataVolume: '2 GB/day' }), 'en');
    expect(english).toContainEqual({
      label: 'Average payload per call if the peak were sustained (lower bound)',
      value: '463 B',
    });
  });
});

describe('formatBytes', () => {
  it.each([
    [999, '999 B'],
    [1500, '1.5 KB'],
    [2e9, '2 GB'],
    [123.4e12, '123 TB'],
  ])('formats %d', (bytes, text) => {
    expect(formatBytes(bytes, 'en-US')).toBe(text);
  });
});
