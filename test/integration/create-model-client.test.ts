import { execFile } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { Provider } from '../../src/llm/model-client.ts';
import { REPO_ROOT } from '../helpers/prompts.ts';

/**
 * In a fresh Node process (vitest itself has both SDKs loaded): builds the provider's client and
 * lists the npm packages resolved on the way, recorded by a module resolve hook.
 */
async function packagesLoadedFor(provider: Provider): Promise<string[]> {
  const url = (file: string) => JSON.stringify(pathToFileURL(path.join(REPO_ROOT, file)).href);
  const script = `
    import { registerHooks } from 'node:module';
    const packages = new Set();
    registerHooks({
      resolve(specifier, context, next) {
        const result = next(specifier, context);
        const inside = result.url.split('/node_modules/').at(-1);
        if (inside !== result.url) packages.add(inside.split('/').slice(0, inside.startsWith('@') ? 2 : 1).join('/'));
        return result;
      },
    });
    const { loadConfig } = await import(${url('src/config.ts')});
    const { createModelClient } = await import(${url('src/llm/create-model-client.ts')});
    const config = loadConfig({
      LLM_PROVIDER: '${provider}', ANTHROPIC_API_KEY: 'sk-ant-test', OPENAI_API_KEY: 'sk-test',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:9', OPENAI_BASE_URL: 'http://127.0.0.1:9', LLM_RETRY_BASE_MS: '1', LLM_RETRY_MAX_DELAY_MS: '1',
    });
    const client = createModelClient(config.llm, 'some-model');
    const built = [...packages];
    // The first call (refused: nothing listens on port 9) loads the SDK.
    const request = { purpose: 'section', system: 's', messages: [{ role: 'user', content: 'hi' }], maxTokens: 8 };
    await client.complete(request).catch(() => undefined);
    console.log(JSON.stringify({ provider: client.provider, built, called: [...packages] }));
  `;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
    cwd: REPO_ROOT,
  });
  const result = JSON.parse(stdout) as { provider: string; built: string[]; called: string[] };
  expect(result.provider).toBe(provider);
  // Building the client loads no SDK (a web process never calls the model).
  expect(result.built).not.toContain('@anthropic-ai/sdk');
  expect(result.built).not.toContain('openai');
  return result.called;
}

describe('createModelClient', () => {
  it('loads only the Anthropic SDK for Anthropic, at the first call', async () => {
    const packages = await packagesLoadedFor('anthropic');
    expect(packages).toContain('@anthropic-ai/sdk');
    expect(packages).not.toContain('openai');
  });

  it('loads only the OpenAI SDK for OpenAI, at the first call', async () => {
    const packages = await packagesLoadedFor('openai');
    expect(packages).toContain('openai');
    expect(packages).not.toContain('@anthropic-ai/sdk');
  });
});
