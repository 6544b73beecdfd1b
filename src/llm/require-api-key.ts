import type { ModelSettings } from './model-settings.ts';
import { AppError } from '../errors.ts';
import type { Provider } from './model-client.ts';

export const API_KEY_VARIABLE: Record<Provider, string> = {
  anthropic: 'ANTHROPIC_API_KEY',
  openai: 'OPENAI_API_KEY',
};

/** Fails fast, before anything is saved, when the configured provider has no key. */
export function requireApiKey(llm: ModelSettings): string {
  const key = llm[llm.provider].apiKey;
  if (key === undefined) {
    throw new AppError('MISSING_API_KEY', `Set ${API_KEY_VARIABLE[llm.provider]} to use the ${llm.provider} provider.`);
  }
  return key;
}
