import type { AdaptiveCardInvokeResponse } from 'botbuilder';
import { CARD_CONTENT_TYPE, type AdaptiveCard } from './adaptive-card.ts';

// The answers to an Action.Execute invoke.
// @see https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/work-with-universal-actions-for-adaptive-cards

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
