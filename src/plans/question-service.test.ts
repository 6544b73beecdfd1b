import { describe, expect, it } from 'vitest';
import { namedRevision } from './question-service.ts';

describe('namedRevision', () => {
  it('reads the revision a question names', () => {
    expect(namedRevision('what changed in revision 3?')).toBe(3);
    expect(namedRevision('Warum ist in Revision 2 ein Cache?')).toBe(2);
    expect(namedRevision('rev. 4: why Kafka?')).toBe(4);
    expect(namedRevision('in r2 the limit is 50/s?')).toBe(2);
  });

  it('finds none where none is named', () => {
    expect(namedRevision('why a queue?')).toBeUndefined();
    expect(namedRevision('is revisioning of events needed?')).toBeUndefined();
    expect(namedRevision('R2D2 as a service name?')).toBeUndefined();
  });
});
