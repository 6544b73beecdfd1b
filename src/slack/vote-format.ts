import type { VoteTally } from '../store/feedback-store.ts';

/** "👍 4 · 👎 1" */
export function tallyText(tally: VoteTally): string {
  return `:+1: ${tally.helpful} · :-1: ${tally.notHelpful}`;
}

/** Sums tallies (a revision's sections, a prompt version's sections). */
export function sumTallies(tallies: Iterable<VoteTally>): VoteTally {
  let helpful = 0;
  let notHelpful = 0;
  for (const tally of tallies) {
    helpful += tally.helpful;
    notHelpful += tally.notHelpful;
  }
  return { helpful, notHelpful };
}

/** "80 % helpful" of a tally with votes; undefined without votes. */
export function helpfulShare(tally: VoteTally): number | undefined {
  const total = tally.helpful + tally.notHelpful;
  return total === 0 ? undefined : Math.round((tally.helpful / total) * 100);
}
