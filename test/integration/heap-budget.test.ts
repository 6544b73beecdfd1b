import { afterEach, describe, expect, it } from 'vitest';
import { startServiceProcess, type ServiceProcess } from '../helpers/service.ts';

/** A model that is never called: the service only has to start. */
const MODEL_ENV = {
  ANTHROPIC_API_KEY: 'placeholder-not-a-key',
  ANTHROPIC_BASE_URL: 'http://127.0.0.1:9',
  DATA_DIR: 'memory://',
};

describe('heap limit at start-up', () => {
  let service: ServiceProcess | undefined;
  afterEach(async () => {
    await service?.stop();
    service = undefined;
  });

  it('reports the heap limit Node runs with and warns when it is tight for PLAN_WORKER_CONCURRENCY', async () => {
    service = await startServiceProcess({
      ...MODEL_ENV,
      NODE_OPTIONS: '--max-old-space-size=96',
      PLAN_WORKER_CONCURRENCY: '200',
    });
    const listening = await service.waitForLog((record) => record.msg === 'listening');
    expect(listening['heapLimitMb']).toBeGreaterThanOrEqual(96);
    expect(listening['heapLimitMb']).toBeLessThan(160);
    const warning = await service.waitForLog(
      (record) => typeof record.msg === 'string' && record.msg.startsWith('The V8 heap limit'),
    );
    expect(warning.level).toBe(40);
    expect(warning.msg).toContain('PLAN_WORKER_CONCURRENCY=200');
    expect(warning.msg).toContain('--max-old-space-size=320');
  }, 60_000);

  it('stays quiet when the heap fits the concurrency', async () => {
    service = await startServiceProcess({
      ...MODEL_ENV,
      NODE_OPTIONS: '--max-old-space-size=256',
      PLAN_WORKER_CONCURRENCY: '50',
    });
    await service.waitForLog((record) => record.msg === 'listening');
    expect(
      service
        .records()
        .filter((record) => (record.level ?? 0) >= 40)
        .map((record) => record.msg),
    ).toEqual([]);
  }, 60_000);
});
