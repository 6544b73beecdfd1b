/**
 * Activities as Teams sends them to a bot (the shapes of real Teams payloads, trimmed to what
 * matters), with `serviceUrl` pointing at the fake Bot Connector.
 * @see https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/conversation-messages
 */
import { randomUUID } from 'node:crypto';

export const BOT = { id: '28:0b6a3bd0-planner', name: 'Integration Planner' } as const;

export interface TeamsScene {
  readonly serviceUrl: string;
  readonly tenantId: string;
  readonly user: { readonly id: string; readonly name: string; readonly aadObjectId: string };
  /** A channel (`19:…@thread.tacv2`), a group chat (`19:…@thread.v2`) or a 1:1 chat (`a:…`). */
  readonly kind: 'channel' | 'personal' | 'groupChat';
  readonly conversationId: string;
  readonly locale?: string;
}

let counter = 0;
/** Teams message ids are epoch milliseconds. */
export const activityId = () => String(1_760_000_000_000 + ++counter);

function base(scene: TeamsScene, type: string, id: string, threadRootId?: string) {
  const channel = scene.kind === 'channel';
  return {
    type,
    id,
    timestamp: new Date().toISOString(),
    serviceUrl: scene.serviceUrl,
    channelId: 'msteams',
    from: { id: scene.user.id, name: scene.user.name, aadObjectId: scene.user.aadObjectId },
    recipient: BOT,
    conversation: {
      id: channel ? `${scene.conversationId};messageid=${threadRootId ?? id}` : scene.conversationId,
      conversationType: scene.kind,
      tenantId: scene.tenantId,
      ...(scene.kind === 'personal' ? {} : { isGroup: true }),
    },
    channelData: {
      tenant: { id: scene.tenantId },
      ...(channel
        ? {
            teamsChannelId: scene.conversationId,
            channel: { id: scene.conversationId },
            team: { id: '19:team@thread.tacv2' },
          }
        : {}),
    },
    locale: scene.locale ?? 'en-US',
  };
}

/** A message; in a channel the bot is @mentioned as Teams does it (`<at>` text plus a mention entity). */
export function messageActivity(
  scene: TeamsScene,
  text: string,
  options: { id?: string; value?: object; replyToId?: string; threadRootId?: string } = {},
) {
  const mention = `<at>${BOT.name}</at>`;
  const channel = scene.kind === 'channel';
  return {
    // In a channel: a reply in the thread `threadRootId`, else a new thread's root.
    ...base(scene, 'message', options.id ?? activityId(), options.threadRootId),
    text: channel ? `${mention} ${text}` : text,
    textFormat: 'plain',
    ...(channel ? { entities: [{ type: 'mention', mentioned: BOT, text: mention }] } : {}),
    ...(options.value === undefined ? {} : { value: options.value }),
    ...(options.replyToId === undefined ? {} : { replyToId: options.replyToId }),
  };
}

/**
 * A file sent to the bot in a 1:1 chat, as Teams delivers it once the bot has `supportsFiles`:
 * a `file.download.info` attachment whose `downloadUrl` is pre-authenticated (no token needed).
 * @see https://learn.microsoft.com/microsoftteams/platform/bots/how-to/bots-filesv4
 */
export function fileMessageActivity(scene: TeamsScene, file: { name: string; downloadUrl: string }) {
  const extension = file.name.split('.').pop() ?? '';
  return {
    ...base(scene, 'message', activityId()),
    text: '',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.teams.file.download.info',
        contentUrl: `https://contoso.sharepoint.com/personal/bob/Documents/${file.name}`,
        name: file.name,
        content: { downloadUrl: file.downloadUrl, uniqueId: randomUUID(), fileType: extension },
      },
    ],
  };
}

/** An invoke (`adaptiveCard/action`, `task/fetch`, `composeExtension/submitAction` …). */
export function invokeActivity(
  scene: TeamsScene,
  name: string,
  value: object,
  options: { id?: string; replyToId?: string } = {},
) {
  return {
    ...base(scene, 'invoke', options.id ?? activityId()),
    name,
    value,
    ...(options.replyToId === undefined ? {} : { replyToId: options.replyToId }),
  };
}

/** An Action.Execute press: the action's data with the card's input values merged in. */
export function executeActivity(
  scene: TeamsScene,
  verb: string,
  data: object,
  options: { id?: string; replyToId?: string } = {},
) {
  return invokeActivity(
    scene,
    'adaptiveCard/action',
    { action: { type: 'Action.Execute', id: randomUUID(), verb, data }, trigger: 'manual' },
    options,
  );
}

/** The app was added: `membersAdded` names the bot. */
export function installActivity(scene: TeamsScene) {
  return {
    ...base(scene, 'conversationUpdate', activityId()),
    membersAdded: [{ id: BOT.id }],
    channelData: { tenant: { id: scene.tenantId }, eventType: 'teamMemberAdded' },
  };
}
