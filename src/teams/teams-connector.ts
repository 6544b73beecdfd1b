import { letEntitiesThrough } from './entity-passthrough.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Activity, CloudAdapter, ConversationParameters, ConversationReference, TurnContext } from 'botbuilder';
import type { Logger } from '../logger.ts';
import { teamsConversationSchema, type TeamsConversation } from '../store/message-refs.ts';
import type { ThreadPacer } from './thread-pacer.ts';

/** The stored reference in botbuilder's types. */
export function toConversationReference(reference: TeamsConversation): Partial<ConversationReference> {
  const { conversation } = reference;
  return {
    channelId: reference.channelId,
    serviceUrl: reference.serviceUrl,
    conversation: {
      id: conversation.id,
      isGroup: conversation.isGroup ?? false,
      conversationType: conversation.conversationType ?? '',
      name: '',
      ...(conversation.tenantId === undefined ? {} : { tenantId: conversation.tenantId }),
    },
    bot: { id: reference.bot.id, name: reference.bot.name ?? '' },
    ...(reference.user === undefined ? {} : { user: { id: reference.user.id, name: reference.user.name ?? '' } }),
    ...(reference.locale === undefined ? {} : { locale: reference.locale }),
  };
}

/**
 * The reference of an incoming activity's conversation: without the activity id (posts are not
 * replies) and without the user (not needed to post, and kept out of stored data and logs).
 */
export function referenceOf(activity: Partial<Activity>): TeamsConversation | undefined {
  const conversation = activity.conversation;
  const parsed = teamsConversationSchema.safeParse({
    channelId: activity.channelId,
    serviceUrl: activity.serviceUrl,
    conversation: conversation && {
      id: conversation.id,
      conversationType: conversation.conversationType,
      isGroup: conversation.isGroup,
      tenantId: conversation.tenantId,
    },
    bot: activity.recipient && { id: activity.recipient.id, name: activity.recipient.name },
  });
  return parsed.success ? parsed.data : undefined;
}

/** A Teams channel conversation (its threads are conversations `channel;messageid=root`). */
export const isChannel = (reference: TeamsConversation) => reference.conversation.conversationType === 'channel';

/** The channel's own id: a thread's conversation id without `;messageid=…`. */
export const channelIdOf = (reference: TeamsConversation) =>
  reference.conversation.id.split(';')[0] ?? reference.conversation.id;

interface RestErrorLike {
  readonly statusCode?: number;
  readonly response?: { readonly headers?: { get?(name: string): string | undefined } };
}

function throttledFor(error: unknown): number | undefined {
  const rest = error as RestErrorLike | undefined;
  if (rest?.statusCode !== 429) return undefined;
  const header = rest.response?.headers?.get?.('retry-after');
  const seconds = header === undefined ? Number.NaN : Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

/** The part of botframework-connector's ConnectorClient used to start a thread. */
interface ConversationsClient {
  readonly conversations: {
    createConversation(parameters: ConversationParameters): Promise<{ id?: string; activityId?: string }>;
  };
}

export interface TeamsConnectorDeps {
  readonly adapter: CloudAdapter;
  /** The bot's app id ('' without one: unauthenticated local testing). */
  readonly appId: string;
  readonly logger: Logger;
  /** Each call's outcome (HTTP status; 0 without one), for metrics. 429s the SDK retried itself are not seen. */
  readonly observe?: (method: string, status: number) => void;
  /** Keeps posts per conversation under Teams' limits (absent: no pacing, 429s are only waited out). */
  readonly pacer?: ThreadPacer;
}

/** Proactive posting to Teams through botbuilder's CloudAdapter, with 429s waited out. */
export interface TeamsConnector {
  /** Posts into the conversation (a chat, or a channel thread); returns the new activity id. */
  send(reference: TeamsConversation, activity: Partial<Activity>): Promise<string>;
  update(reference: TeamsConversation, activityId: string, activity: Partial<Activity>): Promise<void>;
  /** Starts a new thread in the reference's channel; the thread's reference and its root id. */
  createThread(
    reference: TeamsConversation,
    activity: Partial<Activity>,
  ): Promise<{ reference: TeamsConversation; activityId: string }>;
  /** Shows "typing…"; false when skipped because the conversation's pacing had no free slot. */
  typing(reference: TeamsConversation): Promise<boolean>;
}

/** One call, its outcome told to `observe`. */
async function observed<T>(deps: TeamsConnectorDeps, what: string, work: () => Promise<T>): Promise<T> {
  try {
    const result = await work();
    deps.observe?.(what, 200);
    return result;
  } catch (error) {
    deps.observe?.(what, (error as RestErrorLike | undefined)?.statusCode ?? 0);
    throw error;
  }
}

/** Attempts per call while Teams answers 429 (the SDK itself retries a few times inside each). */
const MAX_ATTEMPTS = 12;

/** Teams limits each bot per thread: paced per conversation (`key`), a 429 waited out (Retry-After, else backoff). */
async function patiently<T>(deps: TeamsConnectorDeps, what: string, key: string, work: () => Promise<T>): Promise<T> {
  const call = () => observed(deps, what, work);
  for (let attempt = 1; ; attempt++) {
    try {
      return await (deps.pacer === undefined ? call() : deps.pacer.run(key, call));
    } catch (error) {
      if ((error as RestErrorLike | undefined)?.statusCode !== 429 || attempt >= MAX_ATTEMPTS) throw error;
      const wait = Math.min(60_000, throttledFor(error) ?? 500 * 2 ** (attempt - 1));
      deps.logger.warn({ what, attempt, waitMs: wait }, 'Teams is throttling; waiting');
      await sleep(wait);
    }
  }
}

/**
 * Runs `work` in a proactive turn and hands back its result or its error. The error is caught
 * inside the turn on purpose: the adapter's onTurnError would otherwise swallow it, and a
 * failed post would look delivered.
 */
async function inConversation<T>(
  deps: TeamsConnectorDeps,
  reference: TeamsConversation,
  work: (context: TurnContext) => Promise<T>,
): Promise<T> {
  let outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
  await deps.adapter.continueConversationAsync(deps.appId, toConversationReference(reference), async (context) => {
    try {
      outcome = { ok: true, value: await work(context) };
    } catch (error) {
      outcome = { ok: false, error };
    }
  });
  if (outcome === undefined) throw new Error('the proactive turn did not run');
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

/** Starts a thread in the reference's channel with `activity` as its root (inside a proactive turn). */
async function createThreadIn(
  deps: TeamsConnectorDeps,
  context: TurnContext,
  reference: TeamsConversation,
  activity: Partial<Activity>,
): Promise<{ reference: TeamsConversation; activityId: string }> {
  const client = context.turnState.get<ConversationsClient>(deps.adapter.ConnectorClientKey);
  const channel = channelIdOf(reference);
  const { tenantId } = reference.conversation;
  const parameters: ConversationParameters = {
    isGroup: true,
    bot: { id: reference.bot.id, name: reference.bot.name ?? '' },
    tenantId,
    channelData: { channel: { id: channel }, ...(tenantId ? { tenant: { id: tenantId } } : {}) },
    activity: { ...activity, from: reference.bot } as Activity,
    members: [],
  };
  const created = await client.conversations.createConversation(parameters);
  const activityId = created.activityId ?? /;messageid=(\d+)/u.exec(created.id ?? '')?.[1] ?? '';
  const threadId = created.id ?? `${channel};messageid=${activityId}`;
  return { reference: { ...reference, conversation: { ...reference.conversation, id: threadId } }, activityId };
}

/**
 * @see https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit
 * @see https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-api-reference
 */
export function createTeamsConnector(deps: TeamsConnectorDeps): TeamsConnector {
  // Entities (the AI label) go out whole, not cut down to their type.
  letEntitiesThrough();
  const key = (reference: TeamsConversation) => reference.conversation.id;
  return {
    send: (reference, activity) =>
      patiently(deps, 'send', key(reference), () =>
        inConversation(deps, reference, async (context) => (await context.sendActivity({ ...activity }))?.id ?? ''),
      ),
    update: (reference, activityId, activity) =>
      patiently(deps, 'update', key(reference), () =>
        inConversation(deps, reference, async (context) => {
          const { conversation } = toConversationReference(reference);
          await context.updateActivity({ ...activity, id: activityId, conversation });
        }),
      ),
    // Typing only decorates: skipped when it would have to wait for a slot, not retried.
    typing: async (reference) => {
      const call = () =>
        observed(deps, 'typing', () =>
          inConversation(deps, reference, async (context) => {
            await context.sendActivity({ type: 'typing' });
            return true;
          }),
        );
      return (await (deps.pacer === undefined ? call() : deps.pacer.tryRun(key(reference), call))) ?? false;
    },
    createThread: (reference, activity) =>
      patiently(deps, 'createThread', channelIdOf(reference), () =>
        inConversation(deps, reference, (context) => createThreadIn(deps, context, reference, activity)),
      ),
  };
}
