/**
 * views.*, auth.test, apps.connections.open, conversations.info and users.info
 * of the Slack fake.
 */
import type { MethodHandler } from './fake-slack-chat.ts';
import { viewProblems } from './fake-slack-blocks.ts';
import { missingArguments, type FakeSlackState } from './fake-slack-state.ts';
import type { StoredView } from './fake-slack-types.ts';
import { argBool, argString, slackError, slackId, type SlackReply } from './fake-slack-wire.ts';

function newHash(): string {
  return `${Math.floor(Date.now() / 1000)}.${slackId('', 8).toLowerCase()}`;
}

/** The view object Slack returns: what the app sent plus the fields Slack fills in. */
function viewJson(state: FakeSlackState, stored: StoredView): Record<string, unknown> {
  const view = stored.view;
  return {
    id: stored.id,
    team_id: state.config.teamId,
    type: stored.type,
    title: view['title'] ?? null,
    blocks: view['blocks'] ?? [],
    close: view['close'] ?? null,
    submit: view['submit'] ?? null,
    private_metadata: view['private_metadata'] ?? '',
    callback_id: view['callback_id'] ?? '',
    external_id: view['external_id'] ?? '',
    state: { values: {} },
    hash: stored.hash,
    clear_on_close: view['clear_on_close'] === true,
    notify_on_close: view['notify_on_close'] === true,
    previous_view_id: stored.previous_view_id ?? null,
    root_view_id: stored.root_view_id,
    app_id: state.config.appId,
    app_installed_team_id: state.config.teamId,
    bot_id: state.config.botId,
  };
}

/** Validates `view`; answers invalid_arguments with Slack's reasons, or undefined when it is acceptable. */
function viewError(args: Record<string, unknown>, expected: 'modal' | 'home' | 'any'): SlackReply | undefined {
  const problems = viewProblems(args['view'], expected);
  return problems.length === 0 ? undefined : slackError('invalid_arguments', problems);
}

function storeModal(state: FakeSlackState, args: Record<string, unknown>): SlackReply {
  const problem = missingArguments(args, ['trigger_id', 'view']) ?? viewError(args, 'modal');
  if (problem !== undefined) return problem;
  const view = args['view'] as Record<string, unknown>;
  const id = slackId('V');
  const stored: StoredView = {
    id,
    hash: newHash(),
    type: 'modal',
    view,
    previous_view_id: undefined,
    root_view_id: id,
    user_id: undefined,
  };
  state.views.set(id, stored);
  return { ok: true, view: viewJson(state, stored) };
}

const viewsUpdate: MethodHandler = (args, state) => {
  const viewId = argString(args, 'view_id');
  const externalId = argString(args, 'external_id');
  if (viewId === undefined && externalId === undefined)
    return slackError('invalid_arguments', ['missing required field: view_id or external_id']);
  const problem = missingArguments(args, ['view']) ?? viewError(args, 'any');
  if (problem !== undefined) return problem;
  const existing = [...state.views.values()].find(
    (view) => view.id === viewId || (externalId !== undefined && view.view['external_id'] === externalId),
  );
  if (existing === undefined) return slackError('not_found');
  const hash = argString(args, 'hash');
  if (hash !== undefined && hash !== existing.hash) return slackError('hash_conflict');
  const view = args['view'] as Record<string, unknown>;
  const stored: StoredView = {
    ...existing,
    hash: newHash(),
    type: typeof view['type'] === 'string' ? view['type'] : existing.type,
    view,
  };
  state.views.set(existing.id, stored);
  return { ok: true, view: viewJson(state, stored) };
};

const viewsPublish: MethodHandler = (args, state) => {
  const problem = missingArguments(args, ['user_id', 'view']) ?? viewError(args, 'home');
  if (problem !== undefined) return problem;
  const userId = argString(args, 'user_id') ?? '';
  const existing = state.homeViews.get(userId);
  const hash = argString(args, 'hash');
  if (hash !== undefined && existing !== undefined && hash !== existing.hash) return slackError('hash_conflict');
  const id = existing?.id ?? slackId('V');
  const view = args['view'] as Record<string, unknown>;
  const stored: StoredView = {
    id,
    hash: newHash(),
    type: 'home',
    view,
    previous_view_id: undefined,
    root_view_id: id,
    user_id: userId,
  };
  state.homeViews.set(userId, stored);
  state.views.set(id, stored);
  return { ok: true, view: viewJson(state, stored) };
};

const authTest: MethodHandler = (_args, state) => ({
  ok: true,
  url: `https://${state.config.teamDomain}.slack.com/`,
  team: 'Fake Workspace',
  user: 'integration-planner',
  team_id: state.config.teamId,
  user_id: state.config.botUserId,
  bot_id: state.config.botId,
  is_enterprise_install: false,
});

/**
 * A one-time WebSocket URL as Slack hands it out (`…/link/?ticket=…&app_id=…`): on the configured
 * socket server, or else on the fake itself, where no WebSocket server answers.
 */
const connectionsOpen: MethodHandler = (_args, state) => {
  const url = new URL(state.config.socketUrl ?? `${state.origin.replace(/^http/, 'ws')}/link/`);
  url.searchParams.set('ticket', slackId('', 32).toLowerCase());
  url.searchParams.set('app_id', state.config.appId);
  return { ok: true, url: url.toString() };
};

const conversationsInfo: MethodHandler = (args, state) => {
  const problem = missingArguments(args, ['channel']);
  if (problem !== undefined) return problem;
  const id = argString(args, 'channel') ?? '';
  if (state.config.missingChannels.has(id)) return slackError('channel_not_found');
  const isIm = id.startsWith('D');
  return {
    ok: true,
    channel: {
      id,
      name: isIm ? undefined : `channel-${id.toLowerCase()}`,
      is_channel: !isIm,
      is_group: false,
      is_im: isIm,
      is_mpim: false,
      is_private: isIm,
      is_archived: false,
      is_general: false,
      is_shared: false,
      is_ext_shared: false,
      is_org_shared: false,
      is_member: !state.config.channelsWithoutBot.has(id),
      created: 1_700_000_000,
      creator: 'U0FAKEOWNER',
      context_team_id: state.config.teamId,
      topic: { value: '', creator: '', last_set: 0 },
      purpose: { value: '', creator: '', last_set: 0 },
    },
  };
};

const usersInfo: MethodHandler = (args, state) => {
  const problem = missingArguments(args, ['user']);
  if (problem !== undefined) return problem;
  const id = argString(args, 'user') ?? '';
  if (!/^[UW][A-Z0-9]+$/.test(id)) return slackError('user_not_found');
  const name = `user-${id.toLowerCase()}`;
  const user: Record<string, unknown> = {
    id,
    team_id: state.config.teamId,
    name,
    deleted: false,
    real_name: name,
    tz: 'Europe/Berlin',
    tz_label: 'Central European Time',
    tz_offset: 3600,
    is_admin: false,
    is_owner: false,
    is_bot: id === state.config.botUserId,
    is_app_user: false,
    updated: 1_700_000_000,
    profile: { real_name: name, display_name: name, team: state.config.teamId },
  };
  // users.info: locale is only present when include_locale=true.
  if (argBool(args, 'include_locale')) user['locale'] = state.locales.get(id) ?? 'en-US';
  return { ok: true, user };
};

/** views.*, auth.test, apps.connections.open, conversations.info and users.info, by name. */
export const VIEW_METHODS: Readonly<Record<string, MethodHandler>> = {
  'views.open': (args, state) => storeModal(state, args),
  'views.push': (args, state) => storeModal(state, args),
  'views.update': viewsUpdate,
  'views.publish': viewsPublish,
  'auth.test': authTest,
  'apps.connections.open': connectionsOpen,
  'conversations.info': conversationsInfo,
  // A direct message channel with one user, as Slack opens it (D + the user's id).
  'conversations.open': (args) => {
    const user = typeof args.users === 'string' ? args.users : '';
    return { ok: true, channel: { id: `D${user.replace(/^[UW]/u, '')}` } };
  },
  'users.info': usersInfo,
};

/** Methods that need the app-level (xapp-) token rather than the bot token. */
export const APP_TOKEN_METHODS: ReadonlySet<string> = new Set(['apps.connections.open']);
