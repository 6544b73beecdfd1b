import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { executeActivity, messageActivity, type TeamsScene } from '../fakes/fake-bot-connector-activities.ts';
import { startTeamsService, type TeamsService } from '../helpers/teams-service.ts';

let harness: TeamsService;
let scene: TeamsScene;

beforeAll(async () => {
  harness = await startTeamsService({
    provider: 'anthropic',
    env: { MicrosoftAppId: '8f0b3a52-0000-4000-8000-00000000b07a', MicrosoftAppPassword: 'not-a-real-secret' },
  });
  scene = {
    serviceUrl: harness.connector.url,
    tenantId: 'tenant-auth',
    user: { id: '29:mallory', name: 'Mallory', aadObjectId: '00000000-0000-0000-0000-00000000ba0d' },
    kind: 'personal',
    conversationId: 'a:1mallory',
  };
}, 60_000);
afterAll(async () => {
  await harness.stop();
});

describe('Teams with an app id: only authenticated activities', () => {
  it('refuses activities without a token with 401 and does nothing', async () => {
    // botbuilder's CloudAdapter reports refused requests on console.error: keep them, out of the test output.
    const sdkErrors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const form = {
      action: 'plan.submit',
      formLanguage: 'en',
      existingSystem: 'a',
      targetApi: 'b',
      useCase: 'c',
      callsPerSecond: 1,
      dataVolume: '1 GB/day',
      budget: 'd',
    };
    for (const activity of [messageActivity(scene, 'plan'), executeActivity(scene, 'plan.submit', form)]) {
      const response = await harness.post(activity);
      expect(response.status).toBe(401);
    }
    const empty = await harness.post(messageActivity(scene, 'help'), 'Bearer');
    expect(empty.status).toBe(401);
    expect(harness.connector.calls).toHaveLength(0);
    expect(sdkErrors.mock.calls.map(([error]) => (error as { statusCode?: number }).statusCode)).toEqual([
      401, 401, 401,
    ]);
    sdkErrors.mockRestore();
  });
});
