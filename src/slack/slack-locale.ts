import type { WebClient } from '@slack/web-api';
import type { Language } from '../prompts/section-keys.ts';
import { languageOfLocale } from '../render/form-texts.ts';

/** How long we wait for the user's locale before answering in English. */
const LOCALE_TIMEOUT_MS = 800;

/** The user's language from their Slack locale (users.info), English when Slack is slow or says nothing. */
export async function localeOf(client: WebClient, user: string): Promise<Language> {
  const lookup = client.users.info({ user, include_locale: true }).then((info) => info.user?.locale);
  const timeout = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), LOCALE_TIMEOUT_MS).unref());
  return languageOfLocale(await Promise.race([lookup.catch(() => undefined), timeout]));
}
