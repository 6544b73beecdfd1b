import { z } from 'zod';
import { AppError } from '../errors.ts';

/*
 * Where a plan's messages are, as each platform names them: typed and versioned (`v`), stored
 * as jsonb and parsed here at the boundary. Version 1 came with migration 003, which converted
 * the untyped string maps written before it.
 */

/**
 * A Teams conversation reference: where to post proactively. Plain JSON by design, so moving off
 * botbuilder (its successor, the Microsoft 365 Agents SDK, has references of the same shape)
 * needs no data migration. Without the user, who is not needed to post.
 */
export const teamsConversationSchema = z.object({
  channelId: z.string().min(1),
  serviceUrl: z.url(),
  conversation: z.looseObject({
    id: z.string().min(1),
    isGroup: z.boolean().optional(),
    conversationType: z.string().optional(),
    tenantId: z.string().optional(),
  }),
  bot: z.looseObject({ id: z.string(), name: z.string().optional() }),
  user: z.looseObject({ id: z.string(), name: z.string().optional(), aadObjectId: z.string().optional() }).optional(),
  locale: z.string().optional(),
});
export type TeamsConversation = z.infer<typeof teamsConversationSchema>;

/** Placeholder message ids by section key, posted when a revision starts and replaced as sections finish. */
const placeholdersSchema = z.record(z.string(), z.string());

const slackPlace = { platform: z.literal('slack'), v: z.literal(1), channel: z.string().min(1) };
const teamsPlace = { platform: z.literal('teams'), v: z.literal(1), conversation: teamsConversationSchema };

/** Where a plan was asked for and its first revision posts: a Slack channel, a Teams chat or channel. */
export const conversationRefSchema = z.discriminatedUnion('platform', [
  z.object(slackPlace),
  z.object(teamsPlace),
  z.object({ platform: z.literal('terminal'), v: z.literal(1) }),
]);
export type ConversationRef = z.infer<typeof conversationRefSchema>;

/**
 * A posted message. A revision's parent also knows its thread's root (`threadTs` / `rootId`) and
 * its placeholders; a section's reference is the message that shows it; a plan's thread is its root.
 */
export const messageRefSchema = z.discriminatedUnion('platform', [
  z.object({
    ...slackPlace,
    ts: z.string().min(1),
    threadTs: z.string().min(1).optional(),
    placeholders: placeholdersSchema.optional(),
    /** The platform's own progress display of the revision (Slack's streamed plan display), instead of placeholders. */
    progress: z.string().min(1).optional(),
  }),
  z.object({
    ...teamsPlace,
    activityId: z.string(),
    rootId: z.string().optional(),
    placeholders: placeholdersSchema.optional(),
    progress: z.string().min(1).optional(),
  }),
  /** A section printed by this process (the terminal cannot update what it printed). */
  z.object({ platform: z.literal('terminal'), v: z.literal(1), pid: z.number().int() }),
]);
export type MessageRef = z.infer<typeof messageRefSchema>;
export type SlackMessageRef = Extract<MessageRef, { platform: 'slack' }>;
export type TeamsMessageRef = Extract<MessageRef, { platform: 'teams' }>;
/** A reference that can have a thread and placeholders: a chat platform's. */
export type ChatMessageRef = SlackMessageRef | TeamsMessageRef;

/** Parses a stored reference; a row that does not parse is a bug or a missed migration, never ignored. */
export function parseStored<T>(schema: z.ZodType<T>, value: unknown, what: string): T | undefined {
  if (value === null || value === undefined) return undefined;
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AppError('INTERNAL', `stored ${what} is not a known message reference`);
  return parsed.data;
}

/** The root of the thread a revision's parent lives in: recorded as the plan's thread. */
export function threadRootOf(parent: MessageRef): MessageRef | undefined {
  switch (parent.platform) {
    case 'slack':
      return { platform: 'slack', v: 1, channel: parent.channel, ts: parent.threadTs ?? parent.ts };
    case 'teams':
      return {
        platform: 'teams',
        v: 1,
        conversation: parent.conversation,
        activityId: parent.rootId ?? parent.activityId,
      };
    case 'terminal':
      return undefined;
  }
}

/** A chat message's own id on its platform (Slack's ts, Teams' activity id). */
export function messageIdOf(ref: ChatMessageRef): string {
  return ref.platform === 'slack' ? ref.ts : ref.activityId;
}

/** Ids for log lines: the Slack channel and thread, the Teams conversation id. */
export function logFieldsOf(ref: ConversationRef | MessageRef | undefined): Record<string, string> {
  switch (ref?.platform) {
    case 'slack':
      return { channelId: ref.channel, ...('ts' in ref ? { threadTs: ref.threadTs ?? ref.ts } : {}) };
    case 'teams':
      return { conversationId: ref.conversation.conversation.id };
    default:
      return {};
  }
}
