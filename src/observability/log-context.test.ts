import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createLogger, libraryLogger } from '../logger.ts';
import { addLogContext, withLogContext } from '../log-context.ts';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    level: 'debug',
    pretty: false,
    destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
  });
  return { logger, lines };
}

describe('log context', () => {
  it('puts the fields of the work in progress on every line, its libraries’ lines included', async () => {
    const { logger, lines } = capture();
    const library = libraryLogger(logger, 'slack-web-api');
    logger.info('before');
    await withLogContext({ jobId: 'job-1' }, async () => {
      logger.info('started');
      addLogContext({ planId: 'plan-1' });
      await sleep(5);
      library.warn('API Call failed due to rate limiting.', { retryAfter: 1 });
      setTimeout(() => logger.info('later, from a timer'), 1);
      await sleep(10);
    });
    logger.info('after');
    expect(lines.map(({ msg, jobId, planId, component }) => ({ msg, jobId, planId, component }))).toEqual([
      { msg: 'before', jobId: undefined, planId: undefined, component: undefined },
      { msg: 'started', jobId: 'job-1', planId: undefined, component: undefined },
      {
        msg: 'API Call failed due to rate limiting. {"retryAfter":1}',
        jobId: 'job-1',
        planId: 'plan-1',
        component: 'slack-web-api',
      },
      { msg: 'later, from a timer', jobId: 'job-1', planId: 'plan-1', component: undefined },
      { msg: 'after', jobId: undefined, planId: undefined, component: undefined },
    ]);
  });

  it('keeps concurrent work apart, and a line’s own fields win', async () => {
    const { logger, lines } = capture();
    const job = (id: string) =>
      withLogContext({ jobId: id }, async () => {
        await sleep(id === 'a' ? 10 : 1);
        addLogContext({ planId: `plan-${id}` });
        await sleep(5);
        logger.info({ note: id }, 'done');
        logger.info({ planId: 'explicit' }, 'own field');
        logger.info('context unchanged by the lines before');
      });
    await Promise.all([job('a'), job('b')]);
    expect(lines.map(({ note, jobId, planId, msg }) => [msg, note, jobId, planId])).toEqual([
      ['done', 'b', 'b', 'plan-b'],
      ['own field', undefined, 'b', 'explicit'],
      ['context unchanged by the lines before', undefined, 'b', 'plan-b'],
      ['done', 'a', 'a', 'plan-a'],
      ['own field', undefined, 'a', 'explicit'],
      ['context unchanged by the lines before', undefined, 'a', 'plan-a'],
    ]);
    addLogContext({ planId: 'outside' });
    logger.info('outside any work');
    expect(lines.at(-1)?.['planId']).toBeUndefined();
  });
});
