import type { Activity, AdaptiveCardInvokeResponse } from 'botbuilder';
import { z } from 'zod';
import type { Language } from '../core/section-keys.ts';
import { userMessage } from '../core/user-messages.ts';
import type { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { PromptLibrary } from '../prompts/load-prompts.ts';
import type { PlanService } from '../plans/plan-service.ts';
import type { PlanStore } from '../store/plan-store.ts';
import { languageOfLocale } from '../render/form-texts.ts';
import { CARD_CONTENT_TYPE, type AdaptiveCard } from './adaptive-card.ts';

/** What the Teams handlers need from the rest of the app. */
export interface TeamsBotDeps {
  readonly logger: Logger;
  readonly store: PlanStore;
  readonly prompts: PromptLibrary;
  /** Undefined while no model key is configured: the bot says so instead of showing the form. */
  readonly service: PlanService | undefined;
}

const channelDataSchema = z.looseObject({ tenant: z.looseObject({ id: z.string().min(1) }).optional() }).optional();

/**
 * The workspace of a Teams activity: its Microsoft 365 tenant. Security: every store read is
 * scoped by it, so no command reads another organisation's plans.
 */
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

/** The user's text for an AppError: the fixed text for its code, the message for a code unknown there. */
export function errorText(error: AppError, language: Language): string {
  try {
    const text = userMessage(error, language) as string | undefined;
    if (typeof text === 'string') return text;
  } catch {
    // A code without a fixed text yet (added elsewhere): its message is written for users too.
  }
  return error.message;
}

/** An Action.Execute answer that replaces the card with `card`. */
export function cardResponse(card: AdaptiveCard): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: CARD_CONTENT_TYPE, value: card as unknown as Record<string, unknown> };
}

/** An Action.Execute answer that keeps the card and shows a short message. */
export function messageResponse(message: string): AdaptiveCardInvokeResponse {
  return {
    statusCode: 200,
    type: 'application/vnd.microsoft.activity.message',
    value: message as unknown as Record<string, unknown>,
  };
}

/** A refused Action.Execute (unknown verb, malformed data). */
export function badRequestResponse(message: string): AdaptiveCardInvokeResponse {
  return { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message } };
}
