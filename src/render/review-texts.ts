import type { Language } from '../prompts/section-keys.ts';
import type { DecisionRecord } from '../store/decisions.ts';

const TEXTS = {
  en: {
    inReview: 'In review',
    states: { in_review: 'in review', approved: 'approved', changes_requested: 'changes requested' },
    approved: (who: string, when: string) => `Approved by ${who}, ${when}`,
    changes: (who: string, when: string, reason: string) => `Changes requested by ${who}, ${when}: ${reason}`,
    approve: 'Approve',
    requestChanges: 'Request changes',
    notAllowed:
      'Only the approvers named by the administrator (PLAN_APPROVERS) can decide on plans; nothing was recorded.',
    notFinished: 'This revision is not finished yet: decide once it is written.',
    gone: 'This plan or revision does not exist (any more); nothing was recorded.',
    reasonNeeded: 'Please say what should change.',
    reasonLabel: 'What should change?',
    reasonPlaceholder: 'e.g. use webhooks instead of polling; budget for 2 developers only',
    changesTitle: 'Request changes',
    send: 'Send',
    cancel: 'Cancel',
  },
  de: {
    inReview: 'In Prüfung',
    states: { in_review: 'in Prüfung', approved: 'freigegeben', changes_requested: 'Änderungen angefordert' },
    approved: (who: string, when: string) => `Freigegeben von ${who}, ${when}`,
    changes: (who: string, when: string, reason: string) => `Änderungen angefordert von ${who}, ${when}: ${reason}`,
    approve: 'Freigeben',
    requestChanges: 'Änderungen anfordern',
    notAllowed:
      'Nur die von der Administration benannten Freigebenden (PLAN_APPROVERS) können über Pläne entscheiden; es wurde nichts gespeichert.',
    notFinished: 'Diese Revision ist noch nicht fertig: Entscheide, sobald sie geschrieben ist.',
    gone: 'Diesen Plan oder diese Revision gibt es nicht (mehr); es wurde nichts gespeichert.',
    reasonNeeded: 'Bitte sag, was sich ändern soll.',
    reasonLabel: 'Was soll sich ändern?',
    reasonPlaceholder: 'z. B. Webhooks statt Polling; Budget nur für 2 Entwickler',
    changesTitle: 'Änderungen anfordern',
    send: 'Senden',
    cancel: 'Abbrechen',
  },
} as const satisfies Record<Language, unknown>;

export const REVIEW_TEXTS = TEXTS;

/** "3 Dec, 14:05 UTC" / "3. Dez., 14:05 UTC". */
function when(date: Date, language: Language): string {
  const format = new Intl.DateTimeFormat(language === 'de' ? 'de-DE' : 'en-GB', {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'UTC',
  });
  return `${format.format(date)} UTC`;
}

/**
 * A revision's review state as one line: "In review", "Approved by Ada, 3 Dec, 14:05 UTC", or
 * "Changes requested by Ada, …: reason". `who` renders a person id the surface's way.
 */
export function reviewLine(
  decision: DecisionRecord | undefined,
  language: Language,
  who: (id: string) => string,
): string {
  const t = TEXTS[language];
  if (decision === undefined) return t.inReview;
  const at = when(decision.decidedAt, language);
  return decision.kind === 'approved'
    ? t.approved(who(decision.decidedBy), at)
    : t.changes(who(decision.decidedBy), at, decision.reason ?? '');
}

/** A plan row's state: "done · in review", "done · approved" …, or the revision's status while it is not done. */
export function planRowState(
  plan: { readonly latestStatus: string; readonly latestReview: keyof (typeof TEXTS)['en']['states'] },
  language: Language,
): string {
  return plan.latestStatus === 'done' ? `done · ${TEXTS[language].states[plan.latestReview]}` : plan.latestStatus;
}
