import { libraryLogger, type Logger } from '../logger.ts';
import type { ModelSettings } from './model-settings.ts';
import type { ModelClient } from './model-client.ts';
import { DEFAULT_PRICES, findPrice } from './pricing.ts';
import { requireApiKey } from './require-api-key.ts';
import { createResilientClient, type ResilienceHooks, type ResilientModelClient } from './resilient-client.ts';

/**
 * Builds the configured provider's client with resilience around it. `defaultModel` is the
 * prompt file's default for the provider, used when LLM_MODEL is not set. Throws
 * MISSING_API_KEY naming the variable to set. Only the configured provider's SDK is loaded
 * (each weighs 20–26 MB of resident memory), and only when the first call is made.
 */
export function createModelClient(
  llm: ModelSettings,
  defaultModel: string,
  deps: ResilienceHooks & { readonly fetch?: typeof fetch; readonly logger?: Logger } = {},
): ResilientModelClient {
  const provider = llm.provider;
  const model = llm.model ?? defaultModel;
  const common = {
    apiKey: requireApiKey(llm),
    baseURL: llm[provider].baseURL,
    model,
    timeoutMs: llm.timeoutMs,
    idleTimeoutMs: llm.idleTimeoutMs,
    price: findPrice({ ...DEFAULT_PRICES, ...llm.prices }, model),
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    ...(deps.logger ? { logger: libraryLogger(deps.logger, `${provider}-sdk`) } : {}),
  };
  // The SDK is loaded with the first call: a web process, which only enqueues, never loads it.
  let loaded: Promise<ModelClient> | undefined;
  const load = () =>
    (loaded ??=
      provider === 'anthropic'
        ? import('./anthropic-client.ts').then((sdk) => sdk.createAnthropicClient(common))
        : import('./openai-client.ts').then((sdk) => sdk.createOpenAIClient(common)));
  const inner: ModelClient = {
    provider,
    model,
    complete: async (request) => (await load()).complete(request),
  };
  return createResilientClient(inner, llm, deps);
}
