import { describe, expect, it } from 'vitest';
import { BACKENDS } from '../helpers/test-database.ts';
import { REQUEST, key, newPlan, result, section, useStore, workspace } from '../helpers/plan-store-fixture.ts';

describe.each(BACKENDS)('plan store on %s: reading', (backend) => {
  const fixture = useStore(backend);
  const { create } = fixture;
  const plan = (ws: string, existingSystem: string, targetApi: string) =>
    create(newPlan(ws, key(), { ...REQUEST, existingSystem, targetApi }));
  const search = async (ws: string, text: string) =>
    (await fixture.store.listPlans(ws, { search: text, limit: 20 })).map((summary) => summary.number);

  describe('listPlans', () => {
    it('lists newest first and honours the limit', async () => {
      const ws = workspace();
      for (let i = 0; i < 3; i++) await create(newPlan(ws));
      expect((await fixture.store.listPlans(ws, { limit: 2 })).map((summary) => summary.number)).toEqual([3, 2]);
      expect((await fixture.store.listPlans(ws, { limit: 20 })).map((summary) => summary.number)).toEqual([3, 2, 1]);
      expect(await fixture.store.listPlans(workspace(), { limit: 20 })).toEqual([]);
    });

    it('reports status and cost of each plan’s latest revision', async () => {
      const ws = workspace();
      const one = await create(newPlan(ws));
      const two = await create(newPlan(ws));
      const three = await create(newPlan(ws));
      const usage = result().usage;
      await fixture.store.addUsage(ws, one.revision.id, usage, 0.25);
      await fixture.store.completeRevision(ws, one.revision.id, result());
      await fixture.store.addUsage(ws, two.revision.id, usage, 1.5);
      await fixture.store.completeRevision(ws, two.revision.id, result());
      await fixture.db.transaction((tx) => fixture.store.createRevision(tx, ws, 2, newPlan(ws)));
      await fixture.store.markRunning(ws, three.revision.id);
      await fixture.store.failRevision(ws, three.revision.id, 'MODEL_TIMEOUT');
      const summaries = await fixture.store.listPlans(ws, { limit: 20 });
      expect(
        summaries.map(({ number, latestRevision, latestStatus, latestCostUsd }) => [
          number,
          latestRevision,
          latestStatus,
          latestCostUsd,
        ]),
      ).toEqual([
        [3, 1, 'failed', 0],
        [2, 2, 'queued', 0],
        [1, 1, 'done', 0.25],
      ]);
      expect(summaries[2]).toMatchObject({
        id: one.plan.id,
        title: one.plan.title,
        workspaceId: ws,
        origin: { platform: 'slack', v: 1, channel: 'C200' },
      });
    });

    it('searches target API and system text, ignoring case', async () => {
      const ws = workspace();
      await plan(ws, 'Magento 2 shop on AWS', 'Stripe Payments API');
      await plan(ws, 'SAP ECC 6.0\nIDoc interfaces via PI/PO', 'Salesforce REST API');
      await plan(ws, 'Legacy SOAP billing service', 'Shopify Admin API');
      expect(await search(ws, 'stripe')).toEqual([1]);
      expect(await search(ws, 'SHOP')).toEqual([3, 1]);
      expect(await search(ws, 'sAp eCc')).toEqual([2]);
      // The second line of the existing system is searchable too.
      expect(await search(ws, 'idoc')).toEqual([2]);
      expect(await search(ws, '  soap  ')).toEqual([3]);
      expect(await search(ws, 'api')).toEqual([3, 2, 1]);
      expect(await search(ws, '')).toEqual([3, 2, 1]);
      expect(await search(ws, 'zuora')).toEqual([]);
      expect(await fixture.store.listPlans(ws, { search: 'api', limit: 1 })).toHaveLength(1);
    });

    it('treats LIKE wildcards and backslashes in the search as plain text', async () => {
      const ws = workspace();
      await plan(ws, 'Core ledger', 'Ledger 100% API');
      await plan(ws, 'Core ledger', 'Ledger 1000 API');
      await plan(ws, 'Core ledger', 'Ledger_v2 API');
      await plan(ws, 'Core ledger', 'LedgerXv2 API');
      await plan(ws, 'C:\\legacy\\ledger', 'Ledger API');
      expect(await search(ws, '100%')).toEqual([1]);
      expect(await search(ws, '%')).toEqual([1]);
      expect(await search(ws, 'r_v')).toEqual([3]);
      expect(await search(ws, '_')).toEqual([3]);
      expect(await search(ws, '\\')).toEqual([5]);
      expect(await search(ws, 'ledger%api')).toEqual([]);
    });
  });

  describe('getRevision', () => {
    it('returns the latest revision unless a number is given', async () => {
      const ws = workspace();
      const { plan: made } = await create(newPlan(ws));
      const second = await fixture.db.transaction((tx) =>
        fixture.store.createRevision(tx, ws, 1, newPlan(ws, key(), { ...REQUEST, callsPerSecond: 99 })),
      );
      const latest = await fixture.store.getRevision(ws, 1);
      expect(latest).toMatchObject({ id: second?.revision.id, number: 2, planId: made.id, sections: [] });
      expect(latest?.request.callsPerSecond).toBe(99);
      const first = await fixture.store.getRevision(ws, 1, 1);
      expect(first).toMatchObject({ number: 1, request: REQUEST });
      expect(await fixture.store.getRevision(ws, 1, 3)).toBeUndefined();
      expect(await fixture.store.getRevision(ws, 1, 0)).toBeUndefined();
      expect(await fixture.store.getRevision(ws, 2)).toBeUndefined();
    });

    it('returns sections ordered by position, only the revision’s own', async () => {
      const ws = workspace();
      const { revision } = await create(newPlan(ws));
      const second = await fixture.db.transaction((tx) => fixture.store.createRevision(tx, ws, 1, newPlan(ws)));
      const notInSpec = ['POST /v1/bulk_refunds', 'header X-Bulk-Token'];
      for (const number of [3, 1, 4, 2]) {
        await fixture.store.saveSection(ws, revision.id, {
          ...section(number),
          ...(number === 1 ? { notInSpec } : {}),
        });
      }
      await fixture.store.saveSection(ws, second?.revision.id ?? '', section(2, 'Second revision'));
      const first = await fixture.store.getRevision(ws, 1, 1);
      expect(first?.sections.map((saved) => [saved.position, saved.key])).toEqual([
        [1, 'architecture'],
        [2, 'specification'],
        [3, 'security'],
        [4, 'implementation'],
      ]);
      expect(first?.sections[0]).toEqual({
        key: 'architecture',
        position: 1,
        title: 'Title 1',
        markdown: 'Section 1 text',
        missingItems: [{ id: 'm1', label: 'Rate limits' }],
        notInSpec,
        messageRef: undefined,
      });
      expect(first?.sections[1]?.notInSpec).toEqual([]);
      const latest = await fixture.store.getRevision(ws, 1);
      expect(latest?.sections.map((saved) => saved.markdown)).toEqual(['Second revision']);
      const byId = await fixture.store.getRevisionById(ws, revision.id);
      expect(byId?.sections.map((saved) => saved.position)).toEqual([1, 2, 3, 4]);
    });
  });
});
