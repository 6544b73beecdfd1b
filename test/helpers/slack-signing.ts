/**
 * Requests "from Slack" for tests: signed exactly as Slack signs them
 * (https://docs.slack.dev/authentication/verifying-requests-from-slack:
 * `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}` keyed with the
 * signing secret) and shaped as Slack sends slash commands and interactions.
 */
import { createHmac } from 'node:crypto';

/** The two headers Slack adds to every request it sends an app. */
export interface SlackSignatureHeaders {
  'x-slack-signature': string;
  'x-slack-request-timestamp': string;
}

/** Signs `body` (the exact bytes to be sent) as Slack would at `timestampSeconds` (default: now). */
export function signSlackRequest(
  body: string,
  signingSecret: string,
  timestampSeconds?: number,
): SlackSignatureHeaders {
  const timestamp = String(timestampSeconds ?? Math.floor(Date.now() / 1000));
  const digest = createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex');
  return { 'x-slack-signature': `v0=${digest}`, 'x-slack-request-timestamp': timestamp };
}

/** Fields of a slash command invocation; omitted ones get plausible values. */
export interface SlashCommandFields {
  readonly text: string;
  readonly userId?: string;
  readonly userName?: string;
  readonly teamId?: string;
  readonly teamDomain?: string;
  readonly channelId?: string;
  readonly channelName?: string;
  readonly command?: string;
  readonly triggerId?: string;
  readonly responseUrl?: string;
  readonly apiAppId?: string;
  readonly enterpriseId?: string;
  readonly enterpriseName?: string;
  readonly isEnterpriseInstall?: boolean;
  /** The deprecated verification token Slack still includes. */
  readonly token?: string;
}

/**
 * A slash command body, form-encoded in the order Slack sends the documented
 * fields (https://docs.slack.dev/interactivity/implementing-slash-commands).
 */
export function slashCommandBody(fields: SlashCommandFields): string {
  const teamId = fields.teamId ?? 'T0FAKETEAM';
  const params = new URLSearchParams();
  params.set('token', fields.token ?? 'fakeVerificationToken0001');
  params.set('team_id', teamId);
  params.set('team_domain', fields.teamDomain ?? 'fake-workspace');
  if (fields.enterpriseId !== undefined) params.set('enterprise_id', fields.enterpriseId);
  if (fields.enterpriseName !== undefined) params.set('enterprise_name', fields.enterpriseName);
  params.set('channel_id', fields.channelId ?? 'C0FAKECHAN');
  params.set('channel_name', fields.channelName ?? 'integrations');
  params.set('user_id', fields.userId ?? 'U0FAKEUSER');
  params.set('user_name', fields.userName ?? 'fake.user');
  params.set('command', fields.command ?? '/plan');
  params.set('text', fields.text);
  params.set('api_app_id', fields.apiAppId ?? 'A0FAKEAPP');
  params.set('is_enterprise_install', String(fields.isEnterpriseInstall ?? false));
  params.set(
    'response_url',
    fields.responseUrl ?? `https://hooks.slack.com/commands/${teamId}/1234567890123/fakeResponseUrlToken`,
  );
  params.set('trigger_id', fields.triggerId ?? '1234567890123.1234567890.0123456789abcdef0123456789abcdef');
  return params.toString();
}

/** An interaction (block_actions, view_submission, shortcut …) as Slack posts it: form field `payload` holding JSON. */
export function interactionBody(payload: object): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** Who and where for the payload builders below. */
export interface InteractionContext {
  readonly userId?: string;
  readonly teamId?: string;
  readonly triggerId?: string;
  readonly apiAppId?: string;
}

function interactionEnvelope(context: InteractionContext): Record<string, unknown> {
  const teamId = context.teamId ?? 'T0FAKETEAM';
  const userId = context.userId ?? 'U0FAKEUSER';
  return {
    team: { id: teamId, domain: 'fake-workspace' },
    user: { id: userId, username: 'fake.user', name: 'fake.user', team_id: teamId },
    api_app_id: context.apiAppId ?? 'A0FAKEAPP',
    token: 'fakeVerificationToken0001',
    trigger_id: context.triggerId ?? '1234567890123.1234567890.0123456789abcdef0123456789abcdef',
    is_enterprise_install: false,
    enterprise: null,
  };
}

/**
 * A button click in a message (`block_actions`), for {@link interactionBody}. `elementType`
 * `feedback_buttons` is a click on Slack's feedback element (its value is the side clicked).
 */
export function blockActionsPayload(
  action: {
    actionId: string;
    elementType?: 'button' | 'feedback_buttons';
    blockId?: string;
    value?: string;
    text?: string;
    channelId?: string;
    messageTs?: string;
    responseUrl?: string;
  },
  context: InteractionContext = {},
): Record<string, unknown> {
  const channelId = action.channelId ?? 'C0FAKECHAN';
  const messageTs = action.messageTs ?? '1700000000.000100';
  const teamId = context.teamId ?? 'T0FAKETEAM';
  return {
    type: 'block_actions',
    ...interactionEnvelope(context),
    container: { type: 'message', message_ts: messageTs, channel_id: channelId, is_ephemeral: false },
    channel: { id: channelId, name: 'integrations' },
    message: { type: 'message', ts: messageTs, text: '', user: 'U0FAKEBOT' },
    state: { values: {} },
    response_url: action.responseUrl ?? `https://hooks.slack.com/actions/${teamId}/1234567890123/fakeActionToken`,
    actions: [
      {
        type: action.elementType ?? 'button',
        action_id: action.actionId,
        block_id: action.blockId ?? 'actions',
        text: { type: 'plain_text', text: action.text ?? 'Button', emoji: true },
        value: action.value ?? '',
        action_ts: `${Math.floor(Date.now() / 1000)}.000001`,
      },
    ],
  };
}

/** A modal submission (`view_submission`), for {@link interactionBody}; `values` is `view.state.values`. */
export function viewSubmissionPayload(
  view: {
    callbackId: string;
    values: Record<string, Record<string, unknown>>;
    privateMetadata?: string;
    viewId?: string;
    /** The view's blocks as Slack sends them back; default none. */
    blocks?: readonly unknown[];
  },
  context: InteractionContext = {},
): Record<string, unknown> {
  const viewId = view.viewId ?? 'V0FAKEVIEW1';
  const teamId = context.teamId ?? 'T0FAKETEAM';
  return {
    type: 'view_submission',
    ...interactionEnvelope(context),
    view: {
      id: viewId,
      team_id: teamId,
      type: 'modal',
      callback_id: view.callbackId,
      private_metadata: view.privateMetadata ?? '',
      title: { type: 'plain_text', text: 'Plan', emoji: true },
      blocks: view.blocks ?? [],
      close: null,
      submit: { type: 'plain_text', text: 'Submit', emoji: true },
      state: { values: view.values },
      hash: '1700000000.fakehash',
      clear_on_close: false,
      notify_on_close: false,
      previous_view_id: null,
      root_view_id: viewId,
      app_id: context.apiAppId ?? 'A0FAKEAPP',
      external_id: '',
      app_installed_team_id: teamId,
      bot_id: 'B0FAKEBOT',
    },
    response_urls: [],
  };
}

/** An Events API delivery (`event_callback`) as Slack posts it: JSON, sent with content type application/json. */
export function eventCallbackBody(
  event: Record<string, unknown>,
  context: { teamId?: string; apiAppId?: string } = {},
): string {
  const teamId = context.teamId ?? 'T0FAKETEAM';
  return JSON.stringify({
    token: 'fakeVerificationToken0001',
    team_id: teamId,
    api_app_id: context.apiAppId ?? 'A0FAKEAPP',
    event: { event_ts: `${Math.floor(Date.now() / 1000)}.000200`, ...event },
    type: 'event_callback',
    event_id: `Ev${Math.random().toString(36).slice(2, 12).toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: teamId, user_id: 'U0FAKEBOT', is_bot: true, is_enterprise_install: false }],
  });
}

/** Options for {@link postSigned}. */
export interface PostSignedOptions {
  /** Default `application/x-www-form-urlencoded` (commands, interactions); events use `application/json`. */
  readonly contentType?: string;
  readonly timestampSeconds?: number;
  readonly headers?: Readonly<Record<string, string>>;
}

/** POSTs `body` to `url` signed with `signingSecret`, as Slack delivers commands, interactions and events. */
export function postSigned(
  url: string,
  body: string,
  signingSecret: string,
  options: PostSignedOptions = {},
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': options.contentType ?? 'application/x-www-form-urlencoded',
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      ...signSlackRequest(body, signingSecret, options.timestampSeconds),
      ...options.headers,
    },
    body,
  });
}
