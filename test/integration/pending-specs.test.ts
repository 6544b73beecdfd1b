import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BACKENDS } from '../helpers/test-database.ts';
import { useStore, workspace } from '../helpers/plan-store-fixture.ts';

const spec = (text: string, name = 'petstore.yaml') => {
  const body = new TextEncoder().encode(text);
  return { name, body, sha256: createHash('sha256').update(body).digest('hex') };
};
const HOUR = 60 * 60 * 1000;

describe.each(BACKENDS)('pending specs on %s', (backend) => {
  const fixture = useStore(backend);

  it('keeps one spec per person and workspace, the newest, until a plan used it', async () => {
    const ws = workspace();
    const { store } = fixture;
    await store.savePendingSpec(ws, 'aad-dana', spec('openapi: 3.0.0 # one', 'one.yaml'));
    const newer = spec('openapi: 3.0.0 # two', 'two.yaml');
    await store.savePendingSpec(ws, 'aad-dana', newer);
    const found = await store.findPendingSpec(ws, 'aad-dana', HOUR);
    expect(found).toMatchObject({ name: 'two.yaml', sha256: newer.sha256 });
    expect(new TextDecoder().decode(found?.body)).toBe('openapi: 3.0.0 # two');
    // Another person, another workspace: nothing.
    expect(await store.findPendingSpec(ws, 'aad-eve', HOUR)).toBeUndefined();
    expect(await store.findPendingSpec(workspace(), 'aad-dana', HOUR)).toBeUndefined();
    // Dropping an older hash keeps the newer spec; dropping its own hash forgets it.
    await store.dropPendingSpec(ws, 'aad-dana', spec('openapi: 3.0.0 # one').sha256);
    expect(await store.findPendingSpec(ws, 'aad-dana', HOUR)).toBeDefined();
    await store.dropPendingSpec(ws, 'aad-dana', newer.sha256);
    expect(await store.findPendingSpec(ws, 'aad-dana', HOUR)).toBeUndefined();
  });

  it('forgets a spec older than the age asked for', async () => {
    const ws = workspace();
    await fixture.store.savePendingSpec(ws, 'aad-dana', spec('swagger: "2.0"'));
    await fixture.db.query(
      `UPDATE pending_specs SET received_at = now() - interval '25 hours' WHERE workspace_id = $1`,
      [ws],
    );
    expect(await fixture.store.findPendingSpec(ws, 'aad-dana', 24 * HOUR)).toBeUndefined();
    expect(await fixture.store.findPendingSpec(ws, 'aad-dana', 26 * HOUR)).toBeDefined();
  });
});
