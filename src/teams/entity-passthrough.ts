import { createRequire } from 'node:module';

interface CompositeMapper {
  readonly type: { additionalProperties?: { type: { name: string } } };
}

/**
 * botbuilder's connector serialises an activity through its REST mappers, and its `Entity` mapper
 * knows `type`, `text` and `mentioned` only: every other field of an entity is dropped on the way
 * out, so Teams would get `{ "type": "https://schema.org/Message" }` without the AI label's
 * `additionalType` (found by teams-ai-content.test.ts through the real connector). Declared open
 * here, once per process, so entities reach Teams as written.
 */
export function letEntitiesThrough(): void {
  const require = createRequire(import.meta.url);
  const mappers = require('botframework-connector/lib/connectorApi/models/mappers.js') as { Entity?: CompositeMapper };
  if (mappers.Entity === undefined) throw new Error('botframework-connector has no Entity mapper any more');
  mappers.Entity.type.additionalProperties ??= { type: { name: 'Object' } };
}
