import type { Activity, TurnContext } from 'botbuilder';
import { z } from 'zod';
import { fetchSpec } from '../grounding/fetch-spec.ts';
import { readSpec } from '../grounding/read-spec.ts';
import { SpecError } from '../grounding/spec-error.ts';
import { specErrorText } from '../grounding/spec-texts.ts';
import { receiveSpec, type SpecInput } from '../plans/spec-input.ts';
import type { SpecFetchSettings } from '../grounding/spec-fetch-settings.ts';
import { SHARED_TEXTS } from '../render/shared-texts.ts';
import { languageOf, tenantOf, userOf } from './teams-activity.ts';
import type { TeamsBotDeps } from './teams-bot-deps.ts';
import { TEAMS_TEXTS } from './teams-texts.ts';
import { neutralizeTeamsText } from './teams-neutralize.ts';

/** How Teams hands a bot a file sent in a 1:1 chat: a pre-authenticated download URL. */
const FILE_DOWNLOAD_INFO = 'application/vnd.microsoft.teams.file.download.info';
const downloadInfoSchema = z.looseObject({ downloadUrl: z.string().min(1), fileType: z.string().optional() });

/** How long a spec sent in the chat waits for the plan it is meant for. */
export const PENDING_SPEC_MAX_AGE_MS = 24 * 60 * 60 * 1000;

const SPEC_FILE_NAME = /\.(?:json|ya?ml)$/iu;

export interface SpecAttachment {
  readonly name: string;
  /** Security: carries a short-lived access token in its query; never logged, stored or shown. */
  readonly downloadUrl: string;
}

/** The file sent with a message, if it is one Teams offers for download. */
export function specAttachmentOf(activity: Partial<Activity>): SpecAttachment | undefined {
  for (const attachment of activity.attachments ?? []) {
    if (attachment.contentType !== FILE_DOWNLOAD_INFO) continue;
    const info = downloadInfoSchema.safeParse(attachment.content);
    if (info.success) return { name: attachment.name ?? 'spec', downloadUrl: info.data.downloadUrl };
  }
  return undefined;
}

/**
 * The file as a spec input: downloaded within the spec download rules (https, public address,
 * size and time caps). Errors name the file, never the URL (its query holds an access token).
 */
export function attachmentInput(attachment: SpecAttachment, settings: SpecFetchSettings): SpecInput {
  const { name } = attachment;
  return {
    kind: 'file',
    name,
    download: async (signal) => {
      try {
        return (await fetchSpec(attachment.downloadUrl, { settings, signal })).bytes;
      } catch (error) {
        if (error instanceof SpecError) throw new SpecError(error.problem, name, { cause: error });
        throw error;
      }
    },
  };
}

/**
 * A file sent to the bot: in a 1:1 chat a JSON or YAML spec is downloaded, read and kept for the
 * sender's next plan (replacing an earlier one), and the chat says which API it describes or
 * why it cannot be used; elsewhere the bot says where files go.
 */
export async function receiveSpecAttachment(
  deps: TeamsBotDeps,
  context: TurnContext,
  attachment: SpecAttachment,
): Promise<void> {
  const { activity } = context;
  const language = languageOf(activity);
  const t = TEAMS_TEXTS[language].specFile;
  const say = (text: string) => context.sendActivity({ type: 'message', text: neutralizeTeamsText(text) });
  const workspaceId = tenantOf(activity);
  const { service } = deps;
  const refusal =
    activity.conversation.conversationType !== 'personal'
      ? t.onlyInChat
      : workspaceId === undefined
        ? TEAMS_TEXTS[language].noTenant
        : service === undefined
          ? SHARED_TEXTS[language].noModel
          : SPEC_FILE_NAME.test(attachment.name)
            ? undefined
            : t.notSpecType(attachment.name);
  if (refusal !== undefined || workspaceId === undefined || service === undefined) {
    await say(refusal ?? '');
    return;
  }
  await context.sendActivity({ type: 'typing' });
  try {
    const { bytes } = await receiveSpec(attachmentInput(attachment, service.specFetch), service.specFetch);
    const spec = readSpec(bytes, attachment.name);
    await deps.store.savePendingSpec(workspaceId, userOf(activity), {
      name: attachment.name,
      sha256: spec.sha256,
      body: bytes,
    });
    deps.logger.info(
      { sha256: spec.sha256, operations: spec.operationCount },
      'Teams spec file kept for the next plan',
    );
    await say(t.received(`${spec.title} ${spec.version}`, spec.operationCount, attachment.name));
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    deps.logger.info({ problem: error.problem.kind }, 'Teams spec file refused');
    await say(specErrorText(error, language));
  }
}
