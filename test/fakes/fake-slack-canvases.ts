/**
 * canvases.create / canvases.edit / canvases.access.set and files.info (a canvas's permalink) of
 * the Slack fake, with the argument checks and error codes Slack documents.
 * @see https://docs.slack.dev/reference/methods/canvases.create
 */
import type { MethodHandler } from './fake-slack-chat.ts';
import { missingArguments } from './fake-slack-state.ts';
import { argString, slackError, slackId } from './fake-slack-wire.ts';

/** A canvas as the fake keeps it. */
export interface StoredCanvas {
  readonly id: string;
  title: string;
  markdown: string;
  /** Channels it is shared with, by access level. */
  readonly access: Map<string, string>;
  edits: number;
}

function markdownOf(content: unknown): string | undefined {
  if (typeof content !== 'object' || content === null) return undefined;
  const record = content as Record<string, unknown>;
  return record['type'] === 'markdown' && typeof record['markdown'] === 'string' ? record['markdown'] : undefined;
}

const create: MethodHandler = (args, state) => {
  if (state.canvasError !== undefined) return slackError(state.canvasError);
  const content = args['document_content'];
  const markdown = content === undefined ? '' : markdownOf(content);
  if (markdown === undefined)
    return slackError('invalid_arguments', ['document_content must be {type: markdown, markdown}']);
  const id = slackId('F');
  state.canvases.set(id, { id, title: argString(args, 'title') ?? '', markdown, access: new Map(), edits: 0 });
  return { ok: true, canvas_id: id };
};

const edit: MethodHandler = (args, state) => {
  const problem = missingArguments(args, ['canvas_id', 'changes']);
  if (problem !== undefined) return problem;
  const canvas = state.canvases.get(argString(args, 'canvas_id') ?? '');
  if (canvas === undefined) return slackError('canvas_not_found');
  const changes = Array.isArray(args['changes']) ? (args['changes'] as Record<string, unknown>[]) : [];
  for (const change of changes) {
    const markdown = markdownOf(change['document_content']);
    if (change['operation'] !== 'replace' || markdown === undefined) return slackError('canvas_editing_failed');
    canvas.markdown = markdown;
    canvas.edits += 1;
  }
  return { ok: true };
};

const accessSet: MethodHandler = (args, state) => {
  const problem = missingArguments(args, ['canvas_id', 'access_level']);
  if (problem !== undefined) return problem;
  const canvas = state.canvases.get(argString(args, 'canvas_id') ?? '');
  if (canvas === undefined) return slackError('canvas_not_found');
  const level = argString(args, 'access_level') ?? '';
  if (!['read', 'write', 'owner'].includes(level)) return slackError('invalid_arguments', ['access_level']);
  const channels = Array.isArray(args['channel_ids']) ? (args['channel_ids'] as string[]) : [];
  for (const channel of channels) canvas.access.set(channel, level);
  return { ok: true };
};

/** files.info for a canvas (a canvas is a file): its permalink. */
const filesInfo: MethodHandler = (args, state) => {
  const id = argString(args, 'file') ?? '';
  const canvas = state.canvases.get(id);
  if (canvas === undefined) return slackError('file_not_found');
  const permalink = `${state.origin}/docs/${state.config.teamId}/${id}`;
  return { ok: true, file: { id, name: canvas.title, title: canvas.title, filetype: 'quip', permalink } };
};

export const CANVAS_METHODS: Readonly<Record<string, MethodHandler>> = {
  'canvases.create': create,
  'canvases.edit': edit,
  'canvases.access.set': accessSet,
  'files.info': filesInfo,
};
