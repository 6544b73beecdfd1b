import { describe, expect, it } from 'vitest';
import { submissionJob } from '../helpers/submission-job.ts';
import { runSubmissionJob } from '../../src/plans/submission-job.ts';
import { createLogger } from '../../src/logger.ts';
import { createTeamsSide } from '../../src/teams/teams-app.ts';
import type { ConversationRef } from '../../src/store/message-refs.ts';
import { latest, startFakeBotConnector } from '../fakes/fake-bot-connector.ts';
import { BOT } from '../fakes/fake-bot-connector-activities.ts';
import { samplePlanRequest } from '../helpers/plan-fixtures.ts';
import { usePlanService } from '../helpers/plan-service-fixture.ts';

// A Teams plan taken at the door and refused by a limit reached meanwhile: the chat it was asked
// in hears it, through the real botbuilder connector and the fake Bot Connector.
const openService = usePlanService();

describe('Teams submissions taken at the door', () => {
  it('tells the chat when a limit was reached meanwhile, and saves nothing more', async () => {
    const connector = await startFakeBotConnector();
    try {
      const { service, store } = await openService('pglite', { userPerHour: 1 });
      const logger = createLogger({ level: 'silent', pretty: false });
      const teams = createTeamsSide(
        { appId: undefined, appPassword: undefined, appType: 'MultiTenant', tenantId: undefined, pacing: false },
        logger,
      );
      const origin: ConversationRef = {
        platform: 'teams',
        v: 1,
        conversation: {
          channelId: 'msteams',
          serviceUrl: connector.url,
          conversation: { id: 'a:door-chat', conversationType: 'personal', tenantId: 'tenant-door' },
          bot: BOT,
        },
      };
      const acceptance = { workspaceId: 'tenant-door', platform: 'teams' as const, requestedBy: '29:ann', origin };
      await service.accept(samplePlanRequest(), { ...acceptance, idempotencyKey: 'teams:1' });
      await service.accept(samplePlanRequest(), { ...acceptance, idempotencyKey: 'teams:2' });
      const job = (key: string) => submissionJob({ ...acceptance, idempotencyKey: key, request: samplePlanRequest() });
      const deps = { service, deliveries: { teams: teams.delivery }, logger };
      await runSubmissionJob(deps, job('teams:1'));
      await runSubmissionJob(deps, job('teams:2'));
      expect((await store.listPlans('tenant-door', { limit: 10 })).length).toBe(1);
      const said = connector.messages('a:door-chat').map((message) => JSON.stringify(latest(message)));
      expect(said).toHaveLength(1);
      expect(said[0]).toContain('You have reached your limit of 1 plans and questions per hour');
    } finally {
      await connector.close();
    }
  });
});
