import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../helpers/until.ts';
import { startTeamsService, type TeamsService } from '../helpers/teams-service.ts';
import { freePort } from '../helpers/free-port.ts';
import { signalGroup, spawnInGroup } from '../helpers/process-group.ts';
import { inheritedEnv } from '../helpers/test-env.ts';
import { REPO_ROOT } from '../helpers/prompts.ts';

const CHROMIUM = '/usr/bin/chromium';
const PLAYGROUND = path.join(REPO_ROOT, 'node_modules', '.bin', 'agentsplayground');
const ARTEFACTS = path.join(REPO_ROOT, 'test-results');
const available = existsSync(CHROMIUM) && existsSync(PLAYGROUND);
if (!available) {
  console.warn(
    `\n*** SKIPPED: the Teams end-to-end test in the Microsoft 365 Agents Playground needs Chromium at ${CHROMIUM} ` +
      '(apt-get install -y chromium) and @microsoft/m365agentsplayground. ***\n',
  );
}

let harness: TeamsService;
let playground: ChildProcess | undefined;
let browser: Browser | undefined;
let page: Page;

describe.skipIf(!available)('Teams in the Microsoft 365 Agents Playground (real client, headless Chromium)', () => {
  beforeAll(async () => {
    harness = await startTeamsService({ provider: 'anthropic' });
    const port = await freePort();
    let output = '';
    playground = spawnInGroup(PLAYGROUND, ['-e', harness.endpoint, '-c', 'msteams', '-p', String(port), '--dt'], {
      env: { ...inheritedEnv(), TEAMSAPPTESTER_BROWSER: 'none' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    playground.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await until(() => (output.includes(`Listening on ${port}`) ? true : undefined), 20_000);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-background-networking'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(`http://localhost:${port}`, { waitUntil: 'networkidle' });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (playground?.pid !== undefined) signalGroup(playground.pid, 'SIGTERM');
    await harness.stop();
  });

  it('greets, answers "plan" with the form, writes seven sections, and re-runs with new scale', async () => {
    await page.getByText('Hi, I write API integration plans').first().waitFor({ timeout: 15_000 });
    await page.locator('[data-lexical-editor=true]').click();
    await page.keyboard.type('plan Nightly customer sync');
    await page.keyboard.press('Enter');

    const form = page
      .locator('.ac-adaptiveCard')
      .filter({ has: page.getByPlaceholder('e.g. Stripe Payments API') })
      .last();
    expect(await form.getByPlaceholder('What must the integration achieve?').inputValue({ timeout: 10_000 })).toBe(
      'Nightly customer sync',
    );
    await form.getByPlaceholder('e.g. Shopware 6 (PHP 8.3), MySQL 8, RabbitMQ').fill('SAP ECC 6, Oracle 19c');
    await form.getByPlaceholder('e.g. Stripe Payments API').fill('Salesforce REST API');
    await form.getByPlaceholder('Requests per second at peak, e.g. 50 or 0.5').fill('20');
    await form.getByPlaceholder('e.g. 2 GB/day').fill('2 GB/day');
    await form.getByPlaceholder('e.g. 3 months, 2 developers').fill('3 months');
    await form.getByRole('button', { name: 'Write plan', exact: true }).click();

    await page.getByText('Working on it').first().waitFor({ timeout: 10_000 });
    for (const section of ['1. Architecture analysis', '4. Implementation', '7. Code quality']) {
      await page.getByText(section, { exact: true }).first().waitFor({ timeout: 20_000 });
    }
    await page
      .getByText(/Done in [\d.]+ s/u)
      .first()
      .waitFor({ timeout: 20_000 });
    expect(await page.getByText(/writing…/u).count()).toBe(0);

    await page.getByRole('button', { name: 'Re-run with new scale' }).first().click();
    const rerun = page
      .locator('.ac-adaptiveCard')
      .filter({ hasText: 'Re-run with new scale' })
      .filter({ has: page.getByPlaceholder('e.g. 2 GB/day') })
      .last();
    expect(await rerun.getByPlaceholder('e.g. 2 GB/day').inputValue({ timeout: 10_000 })).toBe('2 GB/day');
    await rerun.getByPlaceholder('Requests per second at peak, e.g. 50 or 0.5').fill('200');
    await rerun.getByRole('button', { name: 'Write plan', exact: true }).click();
    await page.getByText('What changed', { exact: true }).first().waitFor({ timeout: 20_000 });
    await page
      .getByText(/Peak calls per second 20 → 200/u)
      .first()
      .waitFor({ timeout: 5_000 });

    mkdirSync(ARTEFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTEFACTS, 'teams-playground.png'), fullPage: true });
  }, 60_000);
});
