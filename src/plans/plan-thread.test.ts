import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import type { SlackMessageRef } from '../store/message-refs.ts';
import type { DeliveryTarget, SectionOutline } from './plan-delivery.ts';
import { createPlanThread } from './plan-thread.ts';
import type { ThreadPoster } from './thread-poster.ts';
import { samplePlanRecord, sampleRevision, sampleSection } from '../../test/helpers/plan-records.ts';

/** What the in-memory platform was asked to do, in order. */
type Call =
  | { op: 'parent'; text: string }
  | { op: 'reply'; id: string; text: string }
  | { op: 'update'; id: string; text: string }
  | { op: 'unthreaded'; text: string };

/**
 * A platform of our own for the thread's unit tests: a real implementation of the poster port
 * that keeps messages in memory, with Slack-shaped references. Payloads are plain strings.
 */
function memoryPoster(options: { continuations?: number } = {}) {
  const calls: Call[] = [];
  let next = 100;
  const poster: ThreadPoster<string, SlackMessageRef> = {
    render: {
      parent: (_target, _revision, state) => `parent:${state.kind}`,
      placeholder: (_target, section) => `placeholder:${section.key}`,
      section: (_target, { section, footer }) => [
        `section:${section.key}${footer === undefined ? '' : ` | ${footer}`}`,
        ...Array.from({ length: options.continuations ?? 0 }, (_, index) => `more:${section.key}:${index + 1}`),
      ],
      changes: (_target, summary) => `changes:${summary}`,
      failure: (_target, message) => `failure:${message}`,
    },
    postParent: (_target, text) => {
      calls.push({ op: 'parent', text });
      return Promise.resolve({ platform: 'slack', v: 1, channel: 'C1', ts: '1.000', threadTs: '1.000' });
    },
    reply: (_parent, text) => {
      const id = `1.${next++}`;
      calls.push({ op: 'reply', id, text });
      return Promise.resolve(id);
    },
    update: (_parent, id, text) => {
      calls.push({ op: 'update', id, text });
      return Promise.resolve();
    },
    messageRef: (parent, ts) => ({ platform: 'slack', v: 1, channel: parent.channel, ts }),
    ownRef: (stored) => (stored?.platform === 'slack' ? stored : undefined),
    notifyUnthreaded: (_target, message) => {
      calls.push({ op: 'unthreaded', text: message });
      return Promise.resolve();
    },
  };
  return { poster, calls };
}

const OUTLINE: SectionOutline[] = [
  { key: 'architecture', number: 1, title: 'Architecture' },
  { key: 'security', number: 2, title: 'Security' },
];
const target = (overrides: Partial<DeliveryTarget['revision']> = {}): DeliveryTarget => ({
  plan: samplePlanRecord(),
  revision: sampleRevision(overrides),
});

describe('the plan thread', () => {
  it('posts the parent, then one placeholder per section in plan order, and records them', async () => {
    const { poster, calls } = memoryPoster();
    const parent = await createPlanThread(poster).begin(target(), OUTLINE, undefined);
    expect(calls.map((call) => call.text)).toEqual([
      'parent:writing',
      'placeholder:architecture',
      'placeholder:security',
    ]);
    expect(parent).toMatchObject({ ts: '1.000', placeholders: { architecture: '1.100', security: '1.101' } });
  });

  it('replaces a section’s placeholder, posts its continuations after it, and footers what it misses', async () => {
    const { poster, calls } = memoryPoster({ continuations: 2 });
    const thread = createPlanThread(poster);
    await thread.begin(target(), OUTLINE, undefined);
    const missing = [{ id: 'mtls', label: 'mTLS' }];
    const ref = await thread.section(target(), sampleSection('security', 2, { missingItems: missing }), undefined);
    expect(calls.slice(3)).toEqual([
      { op: 'update', id: '1.101', text: 'section:security | Still missing: mTLS' },
      { op: 'reply', id: '1.102', text: 'more:security:1' },
      { op: 'reply', id: '1.103', text: 'more:security:2' },
    ]);
    expect(ref).toEqual({ platform: 'slack', v: 1, channel: 'C1', ts: '1.101' });
  });

  it('footers what a section names that the API spec does not have, after what it misses', async () => {
    const { poster, calls } = memoryPoster({ continuations: 0 });
    const thread = createPlanThread(poster);
    await thread.begin(target(), OUTLINE, undefined);
    const section = sampleSection('security', 2, {
      missingItems: [{ id: 'mtls', label: 'mTLS' }],
      notInSpec: ['POST /v1/bulk_refunds', 'header X-Bulk-Token'],
    });
    await thread.section(target(), section, undefined);
    expect(calls.slice(3)).toEqual([
      {
        op: 'update',
        id: '1.101',
        text: 'section:security | Still missing: mTLS\nNot in the API spec: POST /v1/bulk_refunds; header X-Bulk-Token',
      },
    ]);
  });

  it('after a restart, updates the stored parent’s messages instead of posting them again', async () => {
    const { poster, calls } = memoryPoster({ continuations: 1 });
    const stored: SlackMessageRef = {
      platform: 'slack',
      v: 1,
      channel: 'C1',
      ts: '1.000',
      threadTs: '1.000',
      placeholders: { architecture: '1.050' },
    };
    const resumed = target({ messageRef: stored });
    const thread = createPlanThread(poster);
    expect(await thread.begin(resumed, OUTLINE, stored)).toBe(stored);
    await thread.section(resumed, sampleSection('architecture', 1), undefined);
    // A section with no placeholder (an outline that changed) is replied, with its continuation.
    await thread.section(resumed, sampleSection('security', 2), undefined);
    expect(calls).toEqual([
      { op: 'update', id: '1.050', text: 'section:architecture' },
      { op: 'reply', id: '1.100', text: 'more:architecture:1' },
      { op: 'reply', id: '1.101', text: 'section:security' },
      { op: 'reply', id: '1.102', text: 'more:security:1' },
    ]);
  });

  it('ends with the parent done and a re-run’s "what changed" in the thread', async () => {
    const { poster, calls } = memoryPoster();
    const thread = createPlanThread(poster);
    await thread.begin(target(), OUTLINE, undefined);
    const done = sampleRevision({ status: 'done', changeSummary: '- Scale: 5 → 50/s' });
    await thread.finish(target(), done, []);
    expect(calls.slice(3)).toEqual([
      { op: 'update', id: '1.000', text: 'parent:done' },
      { op: 'reply', id: '1.102', text: 'changes:- Scale: 5 → 50/s' },
    ]);
  });

  it('says why it failed on the parent and in the thread, in the revision’s language', async () => {
    const { poster, calls } = memoryPoster();
    const thread = createPlanThread(poster);
    const german = target({ request: { ...sampleRevision().request, language: 'de' } });
    await thread.begin(german, OUTLINE, undefined);
    await thread.fail(german, new AppError('MODEL_OVERLOADED', 'overloaded'));
    const message = 'Das Modell ist gerade überlastet. Bitte in ein paar Minuten erneut versuchen.';
    expect(calls.slice(3)).toEqual([
      { op: 'update', id: '1.000', text: 'parent:failed' },
      { op: 'reply', id: '1.102', text: `failure:${message}` },
    ]);
  });

  it('tells the requester another way when it failed before any parent was posted', async () => {
    const { poster, calls } = memoryPoster();
    await createPlanThread(poster).fail(target(), new AppError('MODEL_AUTH_FAILED', 'rejected'));
    expect(calls).toEqual([
      {
        op: 'unthreaded',
        text: 'The model rejected the API key. An administrator has to check the key.',
      },
    ]);
  });
});
