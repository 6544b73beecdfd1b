import type { Activity } from 'botbuilder';
import type { Logger } from '../logger.ts';
import type { AnswerPoster, AnswerStream, AnswerTarget } from '../plans/answer-poster.ts';
import { createPacedSender } from '../plans/paced-sender.ts';
import { answerFooter, QUESTION_TEXTS } from '../render/question-texts.ts';
import type { TeamsConversation } from '../store/message-refs.ts';
import { adaptiveCard, cardMessage, text } from './adaptive-card.ts';
import { modelWritten } from './ai-content.ts';
import type { TeamsConnector } from './teams-connector.ts';
import { markdownElements } from './teams-markdown.ts';
import { neutralizeTeamsText } from './teams-neutralize.ts';

/** An answer being written is updated in place at most this often (Teams allows a few posts per second per thread). */
const UPDATE_EVERY_MS = 1000;
/** Answers are short; this keeps the card well under Teams' 28 KB. */
const MAX_ANSWER_CHARS = 12_000;

export interface TeamsAnswerDeps {
  readonly connector: TeamsConnector;
  readonly logger: Logger;
}

function answerCard(markdown: string, footer: string, attention = false): Partial<Activity> {
  const body = markdown.length > MAX_ANSWER_CHARS ? `${markdown.slice(0, MAX_ANSWER_CHARS)}…` : markdown;
  const card = adaptiveCard([
    ...markdownElements(body),
    text(neutralizeTeamsText(footer), {
      isSubtle: !attention,
      size: 'small',
      separator: body.trim() !== '',
      ...(attention ? { color: 'attention' as const } : {}),
    }),
  ]);
  return cardMessage(card, body.trim() === '' ? footer : body.slice(0, 200));
}

/**
 * One answer in a Teams conversation (the plan's channel thread or its chat): posted at the first
 * text and updated in place as more arrives; a retried attempt continues in the same message.
 */
function createTeamsAnswer(
  deps: TeamsAnswerDeps,
  target: AnswerTarget,
  conversation: TeamsConversation,
  existing: string | undefined,
  onMessage: (activityId: string) => Promise<void>,
): AnswerStream {
  const t = QUESTION_TEXTS[target.language];
  let activityId = existing;
  let shown = '';
  const show = async (payload: Partial<Activity>) => {
    if (activityId === undefined) {
      activityId = await deps.connector.send(conversation, payload);
      await onMessage(activityId);
    } else await deps.connector.update(conversation, activityId, payload);
  };
  const sender = createPacedSender({
    everyMs: () => UPDATE_EVERY_MS,
    onError: (error) => deps.logger.warn({ err: error }, 'could not show the answer being written'),
  });
  return {
    append(delta) {
      shown += delta;
      sender.request(() => show(modelWritten(answerCard(shown, t.writing), { feedback: false })));
    },
    restart() {
      shown = '';
    },
    async finish(answer) {
      await sender.settle();
      const footer = answerFooter(target.language, target.revision, answer.sources);
      await show(modelWritten(answerCard(answer.text, footer), { feedback: true }));
    },
    async fail(message) {
      await sender.settle();
      await show(modelWritten(answerCard(shown, `${t.failed} ${message}`, true), { feedback: false }));
    },
  };
}

/** Answers in Teams plan conversations (see createTeamsAnswer). */
export function createTeamsAnswerPoster(deps: TeamsAnswerDeps): AnswerPoster {
  return {
    open(target, existing, onMessage) {
      const thread = target.plan.threadRef;
      if (thread?.platform !== 'teams') throw new Error(`plan ${target.plan.id} has no Teams conversation`);
      const conversation = thread.conversation;
      const own = existing?.platform === 'teams' ? existing.activityId : undefined;
      return Promise.resolve(
        createTeamsAnswer(deps, target, conversation, own, (activityId) =>
          onMessage({ platform: 'teams', v: 1, conversation, activityId }),
        ),
      );
    },
  };
}
