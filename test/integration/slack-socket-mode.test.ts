import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeSlackApi } from '../fakes/fake-slack-api.ts';
import { startFakeSlackSocket, type FakeSlackSocket } from '../fakes/fake-slack-socket.ts';
import { planSubmissionPayload, samplePlanForm, type PlanForm } from '../helpers/plan-form.ts';
import { startResponseCollector, type ResponseCollector } from '../helpers/response-collector.ts';
import { logInto } from '../helpers/service.ts';
import { startSlackService, type SlackService } from '../helpers/slack-service.ts';
import { until } from '../helpers/until.ts';
import { eventCallbackBody, slashCommandBody } from '../helpers/slack-signing.ts';

const CHANNEL = 'C0SOCKET';
const USER = 'U0SOCKETEER';
const TRIGGER = '7777777777.1234567890.feedfacefeedfacefeedfacefeedface';
let socket: FakeSlackSocket;
let harness: SlackService;
let slack: FakeSlackApi;
let resourcesBefore: string[];
let collector: ResponseCollector;
let responses: unknown[];
let responseUrl: string;
/** The service's warnings and errors. */
const logLines: string[] = [];

beforeAll(async () => {
  resourcesBefore = process.getActiveResourcesInfo();
  // Bolt's respond() posts to the command's response_url, in Socket Mode too: collect what it says.
  collector = await startResponseCollector();
  ({ responses, url: responseUrl } = collector);
  socket = await startFakeSlackSocket();
  // No signing secret: Socket Mode deliveries are authenticated by the app token's connection.
  harness = await startSlackService({ socketUrl: socket.url, provider: 'anthropic', log: logInto(logLines, 'warn') });
  ({ slack } = harness);
}, 30_000);

let serviceStopped = false;
async function stopService(): Promise<void> {
  if (serviceStopped) return;
  serviceStopped = true;
  await harness.stop();
}

let fakesClosed = false;
async function closeFakes(): Promise<void> {
  if (fakesClosed) return;
  fakesClosed = true;
  await socket.close();
  await collector.close();
}

afterAll(async () => {
  await stopService();
  await closeFakes();
});

/** A slash command as Socket Mode delivers it: the form fields as a JSON object of strings. */
const command = (text: string) =>
  Object.fromEntries(
    new URLSearchParams(
      slashCommandBody({
        text,
        command: '/integration-plan',
        userId: USER,
        teamId: slack.teamId,
        channelId: CHANNEL,
        responseUrl,
        triggerId: TRIGGER,
      }),
    ),
  );

const FORM = samplePlanForm({ existingSystem: 'Magento 2.4 (PHP 8.2), MariaDB', targetApi: 'Adyen Checkout API' });

/** What `now` holds beyond `before` (a multiset difference of resource kinds), sorted. */
function addedResources(before: readonly string[], now: readonly string[]): string[] {
  const unmatched = [...before];
  const added = now.filter((resource) => {
    const index = unmatched.indexOf(resource);
    if (index === -1) return true;
    unmatched.splice(index, 1);
    return false;
  });
  return added.sort();
}

const submission = (viewId: string, form: PlanForm) =>
  planSubmissionPayload({ viewId, channelId: CHANNEL, teamId: slack.teamId, userId: USER, form });

describe('Slack over Socket Mode (real SocketModeReceiver, loopback Socket Mode server)', () => {
  it('opens the connection with the app token through the configured API URL', async () => {
    const opens = slack.callsTo('apps.connections.open');
    expect(opens).toHaveLength(1);
    expect(opens[0]).toMatchObject({ token: slack.appToken, tokenSource: 'header', status: 200, error: undefined });
    const first = await socket.connection(1);
    expect(first.isOpen()).toBe(true);
    expect(first.path).toMatch(/^\/link\/\?ticket=[a-z0-9]{32}&app_id=A0FAKEAPP$/u);
  });

  it('acknowledges a slash command on the socket and opens the form with its trigger_id', async () => {
    const { envelope, ack } = await socket.send('slash_commands', command(''));
    expect(ack).toEqual({ envelope_id: envelope.envelope_id, payload: {} });
    const open = await until(() => slack.callsTo('views.open').find((call) => call.body.trigger_id === TRIGGER), 5_000);
    expect(open.status).toBe(200);
    expect(open.error).toBeUndefined();
    expect(open.token).toBe(slack.botToken);
    expect(open.body.view).toMatchObject({
      type: 'modal',
      callback_id: 'plan_modal',
      private_metadata: JSON.stringify({ channelId: CHANNEL, language: 'en' }),
    });
  });

  it('answers help through the response_url', async () => {
    responses.length = 0;
    await socket.send('slash_commands', command('help'));
    const answer = (await until(() => responses[0], 5_000)) as { text: string; response_type: string };
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toContain('*/integration-plan* — plan an API integration');
  });

  it('returns form errors in the ack and posts a plan for a valid submission', async () => {
    const bad = await socket.send('interactive', submission('V0SOCKBAD', { ...FORM, targetApi: ' ' }));
    expect(bad.ack.payload).toEqual({ response_action: 'errors', errors: { targetApi: 'Please fill this in.' } });
    const good = await socket.send('interactive', submission('V0SOCKGOOD', FORM));
    expect(good.ack.payload).toEqual({});
    const parent = await until(
      () => slack.messages(CHANNEL).find((message) => message.text.includes('Magento 2.4')),
      10_000,
    );
    expect(parent.text).toContain('Integration plan: Magento 2.4 (PHP 8.2), MariaDB → Adyen Checkout API');
    const thread = await until(() => {
      const replies = slack.planThread(CHANNEL, parent.ts);
      return replies.length === 8 && JSON.stringify(replies[0]?.blocks).includes('Done in') ? replies : undefined;
    }, 15_000);
    expect(JSON.stringify(thread[1]?.blocks)).toContain('Architecture analysis');
  }, 30_000);

  it('acknowledges malformed envelopes at once with one warning line each, and goes on serving', async () => {
    const refusals = () => logLines.filter((line) => line.includes('malformed Slack Socket Mode envelope refused'));
    const before = refusals().length;
    const raw = (envelope: object) => JSON.stringify(envelope);
    await socket.sendRaw('{"envelope_id": "not-even-json"');
    const malformed = [
      // @slack/socket-mode reads payload.event.type of an Events API envelope before anything else.
      { envelope_id: 'env-no-event', type: 'events_api', payload: {} },
      { envelope_id: 'env-no-command', type: 'slash_commands', payload: { text: 'help' } },
      { envelope_id: 'env-unknown-kind', type: 'interactive', payload: { type: 'frobnicate' } },
      { envelope_id: 'env-unknown-type', type: 'workflow_magic', payload: {} },
    ];
    for (const envelope of malformed) {
      const ack = await socket.sendRaw(raw(envelope), envelope.envelope_id, 1_000);
      expect(ack).toEqual({ envelope_id: envelope.envelope_id, payload: {} });
    }
    const refused = refusals().slice(before);
    expect(refused).toHaveLength(1 + malformed.length);
    for (const line of refused) expect(JSON.parse(line)).toMatchObject({ level: 40 });
    expect(logLines.filter((line) => (JSON.parse(line) as { level: number }).level >= 50)).toEqual([]);
    // The socket is still served.
    const { envelope, ack } = await socket.send('slash_commands', command(''));
    expect(ack).toEqual({ envelope_id: envelope.envelope_id, payload: {} });
  });

  it('acknowledges an Events API delivery and handles it (App Home)', async () => {
    const event = JSON.parse(
      eventCallbackBody(
        { type: 'app_home_opened', user: USER, channel: 'D0HOME', tab: 'home' },
        { teamId: slack.teamId },
      ),
    ) as Record<string, unknown>;
    const { ack } = await socket.send('events_api', event);
    expect(ack.payload).toEqual({});
    const home = await until(() => slack.homeView(USER), 5_000);
    expect(JSON.stringify(home.view)).toContain('Adyen Checkout API');
  });

  it('reconnects through apps.connections.open when Slack asks for a refresh', async () => {
    const first = await socket.connection(1);
    socket.requestDisconnect('refresh_requested');
    // The client closes the old socket itself, with a close frame.
    expect(await first.closed).toEqual({ code: 1000, reason: '' });
    // @slack/socket-mode waits its clientPingTimeout (5 s) before it reconnects.
    const second = await socket.connection(2, 10_000);
    expect(second.isOpen()).toBe(true);
    const opens = slack.callsTo('apps.connections.open');
    expect(opens).toHaveLength(2);
    expect(opens[1]?.token).toBe(slack.appToken);
    expect(second.ticket).toMatch(/^[a-z0-9]{32}$/u);
    expect(second.ticket).not.toBe(first.ticket);
    responses.length = 0;
    await socket.send('slash_commands', command('help'), { connection: second });
    expect(await until(() => responses[0], 5_000)).toMatchObject({ response_type: 'ephemeral' });
  }, 20_000);

  it('closes the socket cleanly on stop and leaves nothing running', async () => {
    const last = socket.connections.at(-1);
    if (last === undefined) throw new Error('never connected');
    await stopService();
    // Closed before stop() resolved, with a close frame from the app: not just dropped.
    expect(last.isOpen()).toBe(false);
    expect(await last.closed).toEqual({ code: 1000, reason: '' });
    // Every envelope, well-formed or not, was acknowledged exactly once, and the app sent nothing else.
    const sent = [...socket.envelopes.map((envelope) => envelope.envelope_id), ...socket.rawEnvelopeIds];
    expect(socket.acks.map((ack) => ack.envelope_id).sort()).toEqual(sent.sort());
    expect(socket.received).toHaveLength(socket.acks.length);
    // No reconnect after a deliberate stop.
    expect(slack.callsTo('apps.connections.open')).toHaveLength(socket.connections.length);
    // With our own servers closed too, nothing the test started holds the event loop: no socket, no reconnect timer.
    await closeFakes();
    await expect
      .poll(() => addedResources(resourcesBefore, process.getActiveResourcesInfo()), { timeout: 2_000 })
      .toEqual([]);
  });
});
