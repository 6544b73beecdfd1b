import type { Config } from '../../src/config.ts';
import { loadConfig } from '../../src/config.ts';
import { createModelClient } from '../../src/llm/create-model-client.ts';
import type { Provider } from '../../src/llm/model-client.ts';
import type { ResilientModelClient } from '../../src/llm/resilient-client.ts';
import { startFakeAnthropic } from '../fakes/fake-anthropic-server.ts';
import type { FakeModelOptions, FakeModelServer } from '../fakes/fake-model-types.ts';
import { startFakeOpenAI } from '../fakes/fake-openai-server.ts';

export const PROVIDER_LIST: readonly Provider[] = ['anthropic', 'openai'];

export function startFake(provider: Provider, options?: FakeModelOptions): Promise<FakeModelServer> {
  return provider === 'anthropic' ? startFakeAnthropic(options) : startFakeOpenAI(options);
}

/** The environment that points a provider at a fake server, as an operator would set it. */
export function fakeEnv(
  provider: Provider,
  server: FakeModelServer,
  extra: Record<string, string> = {},
): Record<string, string> {
  return provider === 'anthropic'
    ? { LLM_PROVIDER: 'anthropic', ANTHROPIC_API_KEY: 'sk-ant-test-key', ANTHROPIC_BASE_URL: server.url, ...extra }
    : { LLM_PROVIDER: 'openai', OPENAI_API_KEY: 'sk-openai-test-key', OPENAI_BASE_URL: server.url, ...extra };
}

/** Config read from such an environment, with fast retries for tests. */
export function fakeConfig(provider: Provider, server: FakeModelServer, extra: Record<string, string> = {}): Config {
  return loadConfig({ LLM_RETRY_BASE_MS: '20', LLM_RETRY_MAX_DELAY_MS: '5000', ...fakeEnv(provider, server, extra) });
}

export function clientFor(
  provider: Provider,
  server: FakeModelServer,
  extra: Record<string, string> = {},
): Promise<ResilientModelClient> {
  return Promise.resolve(
    createModelClient(
      fakeConfig(provider, server, extra).llm,
      provider === 'anthropic' ? 'claude-sonnet-4-6' : 'gpt-5.4',
      {
        random: () => 0.5,
      },
    ),
  );
}
