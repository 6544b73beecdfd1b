import { describe, expect, it } from 'vitest';
import { changeHeadline, describeChanges, diffSpecs, SPEC_CHANGE_FIELD } from './field-changes.ts';

const stripe = (version: string, sha: string) => ({ title: 'Stripe API', version, sha256: sha.repeat(64) });

describe('diffSpecs', () => {
  it('says nothing when the document is the same, by content', () => {
    expect(diffSpecs(stripe('2024-04-10', 'a'), stripe('2024-04-10', 'a'))).toEqual([]);
    expect(diffSpecs(undefined, undefined)).toEqual([]);
  });

  it('tells two documents of one version apart by their hash, version and hash first', () => {
    expect(diffSpecs(stripe('2024-04-10', 'a'), stripe('2024-04-10', 'b'))).toEqual([
      { field: SPEC_CHANGE_FIELD, from: '2024-04-10 · sha256 aaaaaaaa', to: '2024-04-10 · sha256 bbbbbbbb' },
    ]);
  });

  it('names the title when a spec is added, removed or another API’s', () => {
    expect(diffSpecs(undefined, stripe('2024-04-10', 'c'))).toEqual([
      { field: SPEC_CHANGE_FIELD, from: '', to: 'Stripe API 2024-04-10 · sha256 cccccccc' },
    ]);
    const petstore = { title: 'Swagger Petstore', version: '1.0.0', sha256: 'd'.repeat(64) };
    expect(diffSpecs(petstore, stripe('1', 'e'))[0]?.from).toBe('Swagger Petstore 1.0.0 · sha256 dddddddd');
  });

  it('reads in the plan’s language next to the field changes, clipped for one-line headers', () => {
    const changes = [
      { field: 'callsPerSecond', from: '5', to: '50' },
      ...diffSpecs(stripe('2023-10-16', 'a'), stripe('2024-04-10', 'b')),
    ];
    expect(describeChanges(changes, 'de').map((change) => change.label)).toEqual([
      'Aufrufe pro Sekunde (Spitze)',
      'API-Spezifikation',
    ]);
    expect(changeHeadline(changes, 'en')).toBe(
      'Peak calls per second 5 → 50, API spec 2023-10-16 · sha256 aaaaaaaa → 2024-04-10 · sha256 bbbbbbbb',
    );
  });
});
