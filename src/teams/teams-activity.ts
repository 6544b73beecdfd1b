import type { Activity } from 'botbuilder';
import { z } from 'zod';
import type { Language } from '../prompts/section-keys.ts';
import { languageOfLocale } from '../render/form-texts.ts';

// Who and where an incoming activity is: read from Teams' activity fields, validated.

const channelDataSchema = z.looseObject({ tenant: z.looseObject({ id: z.string().min(1) }).optional() }).optional();

/** The workspace: the activity's Microsoft 365 tenant. Security: every store read is scoped by it. */
export function tenantOf(activity: Partial<Activity>): string | undefined {
  const fromConversation = activity.conversation?.tenantId;
  if (typeof fromConversation === 'string' && fromConversation !== '') return fromConversation;
  const channelData = channelDataSchema.safeParse(activity.channelData);
  return channelData.success ? channelData.data?.tenant?.id : undefined;
}

/** The person acting: their Entra object id when Teams sends it (stable across chats), else the channel id. */
export function userOf(activity: Partial<Activity>): string {
  return activity.from?.aadObjectId ?? activity.from?.id ?? '';
}

/** German for de-* locales, English otherwise. */
export function languageOf(activity: Partial<Activity>): Language {
  return languageOfLocale(activity.locale);
}
