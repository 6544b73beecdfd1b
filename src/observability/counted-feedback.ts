import type { Counter } from 'prom-client';
import type { FeedbackStore } from '../store/feedback-store.ts';

/** The feedback store, counting each recorded vote in `planner_feedback_total` (every surface alike). */
export function countedFeedback(feedback: FeedbackStore, counter: Counter<'target' | 'vote'>): FeedbackStore {
  const count = (target: 'section' | 'answer', helpful: boolean) =>
    counter.inc({ target, vote: helpful ? 'up' : 'down' });
  return {
    revisionTallies: (workspaceId, revisionId) => feedback.revisionTallies(workspaceId, revisionId),
    promptFeedback: (workspaceId, options) => feedback.promptFeedback(workspaceId, options),
    async vote(vote) {
      const tally = await feedback.vote(vote);
      if (tally !== undefined) count('section', vote.helpful);
      return tally;
    },
    async voteAnswer(vote) {
      const voted = await feedback.voteAnswer(vote);
      if (voted !== undefined) count('answer', vote.helpful);
      return voted;
    },
    async voteOnMessage(vote) {
      const target = await feedback.voteOnMessage(vote);
      if (target !== undefined) count(target, vote.helpful);
      return target;
    },
  };
}
