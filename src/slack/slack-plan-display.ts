import type { URLSourceElement } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { PlanEvent } from '../core/plan-types.ts';
import { clip } from '../core/text.ts';
import type { Logger } from '../logger.ts';
import { createPacedSender } from '../plans/paced-sender.ts';
import type { DeliveryTarget, SectionOutline } from '../plans/plan-delivery.ts';
import type { SlackMessageRef } from '../store/message-refs.ts';
import { createTaskBoard, TASK_TEXT, type TaskBoard, type TaskStatus } from './plan-display-tasks.ts';
import { platformErrorOf } from './slack-client.ts';
import { SLACK_TEXTS } from './slack-texts.ts';

/** chat.appendStream is Tier 4: one append a second per plan keeps a burst of plans near it. */
const APPEND_EVERY_MS = 1000;

/** One plan's display: the streamed message and its tasks. */
interface Display {
  readonly channel: string;
  ts: string;
  readonly board: TaskBoard;
  readonly sender: ReturnType<typeof createPacedSender>;
  /** Slack stopped taking updates (expired, rate-limited, refused): the sections post on regardless. */
  dead: boolean;
}

/** The spec a plan is grounded in, as a task's source: only a URL can be linked. */
function specSources(target: DeliveryTarget): URLSourceElement[] | undefined {
  const spec = target.revision.spec;
  if (spec?.source.kind !== 'url') return undefined;
  return [{ type: 'url', url: spec.source.url, text: clip(`${spec.title} ${spec.version}`.trim(), 75) }];
}

/** The task a plan event moves, if any. */
function movedTask(event: PlanEvent): readonly [string, TaskStatus] | undefined {
  if (event.type === 'section_started') return [event.key, 'in_progress'];
  if (event.type === 'section_done') return [event.section.key, 'complete'];
  return undefined;
}

/** Slack refused an update: the display is left alone from now on (said once, at info level). */
function stopUpdating(logger: Logger, display: Display, error: unknown): void {
  if (display.dead) return;
  display.dead = true;
  const code = platformErrorOf(error) ?? String(error);
  logger.info(
    { channel: display.channel, ts: display.ts, code },
    'the Slack plan display stopped; the sections post on',
  );
}

/** chat.startStream's arguments: a reply in the plan's thread to the person who asked, every task pending. */
function startArguments(parent: SlackMessageRef, target: DeliveryTarget, board: TaskBoard) {
  const { plan, revision } = target;
  const title = clip(SLACK_TEXTS[revision.request.language].planDisplay(plan.number, revision.number), TASK_TEXT);
  return {
    channel: parent.channel,
    thread_ts: parent.threadTs ?? parent.ts,
    recipient_user_id: revision.requestedBy,
    recipient_team_id: plan.workspaceId,
    task_display_mode: 'plan',
    chunks: [{ type: 'plan_update' as const, title }, ...board.unseen()],
  };
}

/**
 * A plan's progress as Slack's plan display: a streamed reply in the plan's thread to the person
 * who asked (`task_display_mode: plan`), one task per section going pending → in progress →
 * complete (or error with the reason), stopped when the revision ends. Best effort throughout:
 * a refused start means placeholders instead (the caller's choice), a refused update stops the
 * display while the sections, the durable record, post on.
 * @see https://docs.slack.dev/reference/methods/chat.startStream
 */
export function createSlackPlanDisplay(deps: { readonly client: WebClient; readonly logger: Logger }) {
  const displays = new Map<string, Display>();
  const giveUp = (display: Display, error: unknown) => stopUpdating(deps.logger, display, error);
  const track = (target: DeliveryTarget, channel: string, ts: string, outline: readonly SectionOutline[]) => {
    const board = createTaskBoard(outline, specSources(target));
    const sender = createPacedSender({ everyMs: () => APPEND_EVERY_MS, onError: () => undefined });
    const display: Display = { channel, ts, board, sender, dead: false };
    displays.set(target.revision.id, display);
    return display;
  };
  const push = (display: Display) =>
    display.sender.request(async () => {
      const chunks = display.board.unseen();
      if (chunks.length === 0 || display.dead) return;
      await deps.client.chat
        .appendStream({ channel: display.channel, ts: display.ts, chunks })
        .catch((error: unknown) => giveUp(display, error));
    });

  return {
    /** Starts the display under the parent; the streamed message's ts, or undefined when Slack refuses. */
    async open(parent: SlackMessageRef, target: DeliveryTarget, outline: readonly SectionOutline[]) {
      const display = track(target, parent.channel, '', outline);
      try {
        const started = await deps.client.chat.startStream(startArguments(parent, target, display.board));
        display.ts = started.ts ?? '';
        return display.ts === '' ? undefined : display.ts;
      } catch (error) {
        displays.delete(target.revision.id);
        const code = platformErrorOf(error) ?? String(error);
        deps.logger.info({ channel: parent.channel, code }, 'Slack refused the plan display; placeholders instead');
        return undefined;
      }
    },
    /** Section events move their tasks; after a restart the display is picked up at `plan_started`. */
    progress(parent: SlackMessageRef, target: DeliveryTarget, event: PlanEvent): void {
      let display = displays.get(target.revision.id);
      if (display === undefined && event.type === 'plan_started' && parent.progress !== undefined) {
        display = track(target, parent.channel, parent.progress, event.sections);
      }
      const moved = movedTask(event);
      if (display === undefined || display.dead || moved === undefined) return;
      if (display.board.move(...moved)) push(display);
    },
    /** Ends the display: what is left shown complete or, after a failure, as an error with its reason. */
    async close(target: DeliveryTarget, failure: string | undefined): Promise<void> {
      const display = displays.get(target.revision.id);
      displays.delete(target.revision.id);
      if (display === undefined) return;
      await display.sender.settle();
      if (display.dead) return;
      const final = (status: TaskStatus): TaskStatus =>
        failure === undefined || status === 'complete' ? 'complete' : 'error';
      const chunks = display.board.unseen(final, failure);
      await deps.client.chat
        .stopStream({ channel: display.channel, ts: display.ts, ...(chunks.length > 0 ? { chunks } : {}) })
        .catch((error: unknown) => giveUp(display, error));
    },
  };
}
