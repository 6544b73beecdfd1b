import type { Activity } from 'botbuilder';

/**
 * Teams' "AI generated" label: the one root message entity of a message the model wrote.
 * @see https://learn.microsoft.com/microsoftteams/platform/bots/how-to/format-ai-bot-messages
 */
export const AI_GENERATED_ENTITY = {
  type: 'https://schema.org/Message',
  '@type': 'Message',
  '@context': 'https://schema.org',
  '@id': '',
  additionalType: ['AIGeneratedContent'],
} as const;

/**
 * A message the model wrote: labelled "AI generated", and with Teams' feedback buttons (thumbs up
 * or down, an optional comment: the `message/submitAction` invoke) where `feedback` is set.
 */
export function modelWritten<Payload extends Partial<Activity>>(
  payload: Payload,
  options: { readonly feedback: boolean },
): Payload {
  const channelData = (payload.channelData ?? {}) as Record<string, unknown>;
  return {
    ...payload,
    entities: [
      ...(payload.entities ?? []).filter((entity) => entity.type !== AI_GENERATED_ENTITY.type),
      AI_GENERATED_ENTITY,
    ],
    ...(options.feedback ? { channelData: { ...channelData, feedbackLoopEnabled: true } } : {}),
  };
}
