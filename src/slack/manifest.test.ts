import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AppsManifestCreateArguments } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';

/** Slack's own type for a manifest, as apps.manifest.create takes it. */
type Manifest = AppsManifestCreateArguments['manifest'];

const FILE = path.resolve(import.meta.dirname, '../../manifests/slack/manifest.json');

/** The manifest as Slack's own request type describes it (checked by tsc through this type). */
async function readManifest(): Promise<Manifest> {
  return JSON.parse(await readFile(FILE, 'utf8')) as Manifest;
}

interface Command {
  command: string;
  url: string;
  description: string;
  usage_hint?: string;
}

describe('Slack app manifest', () => {
  it('has the documented top-level shape and a display name within limits', async () => {
    const manifest = await readManifest();
    expect(manifest._metadata).toEqual({ major_version: 2, minor_version: 1 });
    expect(manifest.display_information.name.length).toBeLessThanOrEqual(35);
    expect((manifest.display_information.description ?? '').length).toBeLessThanOrEqual(140);
    expect(manifest.display_information.long_description?.length ?? 0).toBeGreaterThanOrEqual(174);
    expect(manifest.display_information.background_color).toMatch(/^#[0-9a-f]{6}$/iu);
  });

  it('declares the command the app listens for, at the endpoint the app serves', async () => {
    const manifest = await readManifest();
    const commands = (manifest.features?.slash_commands ?? []) as Command[];
    const configured = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'secret' }).slack?.command;
    expect(commands.map((command) => command.command)).toEqual([configured]);
    for (const command of commands) {
      expect(new URL(command.url).pathname).toBe('/slack/events');
      expect(new URL(command.url).protocol).toBe('https:');
      expect(command.description.length).toBeLessThanOrEqual(100);
    }
    const interactivity = manifest.settings?.interactivity as { is_enabled: boolean; request_url: string } | undefined;
    expect(interactivity?.is_enabled).toBe(true);
    expect(new URL(interactivity?.request_url ?? '').pathname).toBe('/slack/events');
  });

  it('enables App Home and subscribes to exactly the events the app handles', async () => {
    const manifest = await readManifest();
    expect(manifest.features?.app_home?.home_tab_enabled).toBe(true);
    const events = manifest.settings?.event_subscriptions as { request_url: string; bot_events: string[] } | undefined;
    expect(new URL(events?.request_url ?? '').pathname).toBe('/slack/events');
    // app_home_opened: App Home lists the plans (src/slack/app-home.ts); it needs no scope.
    // app_mention: a question in a plan's thread (src/slack/thread-questions.ts; app_mentions:read).
    expect(events?.bot_events).toEqual(['app_home_opened', 'app_mention']);
    const handled = [
      await readFile(path.resolve(import.meta.dirname, 'app-home.ts'), 'utf8'),
      await readFile(path.resolve(import.meta.dirname, 'thread-questions.ts'), 'utf8'),
    ].join('\n');
    for (const event of events?.bot_events ?? []) expect(handled).toContain(`app.event('${event}'`);
  });

  it('asks for exactly the scopes the code uses (least privilege)', async () => {
    const manifest = await readManifest();
    const scopes = (manifest.oauth_config?.scopes as { bot?: string[] } | undefined)?.bot ?? [];
    // commands: the slash command; chat:write: plan messages; users:read: the user's locale;
    // im:write: the DM when the bot is not in the channel; files:write: Markdown export;
    // files:read: the spec file of the form's file_input (and a canvas's link); canvases:write: the plan as a canvas;
    // app_mentions:read: questions asked by mentioning the bot in a plan's thread.
    expect(scopes.toSorted()).toEqual([
      'app_mentions:read',
      'canvases:write',
      'chat:write',
      'commands',
      'files:read',
      'files:write',
      'im:write',
      'users:read',
    ]);
    const canvas = await readFile(path.resolve(import.meta.dirname, 'plan-canvas.ts'), 'utf8');
    expect(canvas).toContain('canvases.create(');
    const code = await readFile(path.resolve(import.meta.dirname, 'slack-spec-file.ts'), 'utf8');
    expect(code).toContain("scope: 'files:read'");
    for (const scope of scopes) expect(scope).toMatch(/^[a-z_]+(:[a-z.]+)?$/u);
  });

  it('documents every scope in the README', async () => {
    const readme = await readFile(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');
    const manifest = await readManifest();
    const scopes = (manifest.oauth_config?.scopes as { bot?: string[] } | undefined)?.bot ?? [];
    for (const scope of scopes) expect(readme).toContain(`\`${scope}\``);
  });
});
