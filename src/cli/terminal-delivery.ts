import type { AppError } from '../errors.ts';
import { changeHeadline } from '../core/field-changes.ts';
import type { PlanEvent } from '../core/plan-types.ts';
import type { Language } from '../core/section-keys.ts';
import { userMessage } from '../core/user-messages.ts';
import type { PlanDelivery, SectionOutline } from '../jobs/plan-delivery.ts';
import { computeScaleFigures, describeScaleFigures } from '../core/scale-figures.ts';
import type { PlanRecord, RevisionRecord, RevisionWithSections, SectionRecord } from '../store/plan-records.ts';
import { createProgressReporter } from './progress-reporter.ts';

export interface TerminalDeliveryOptions {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** JSON mode: sections are not printed as they come; the caller prints one object at the end. */
  readonly quiet: boolean;
  /** Revisions whose sections this process has printed, so the caller does not print them again. */
  readonly printed: Set<string>;
}

const TEXT = {
  en: {
    plan: 'Plan',
    revision: 'revision',
    missing: 'Still missing from this section',
    changed: 'Changed',
    figures: 'Scale figures (computed)',
    whatChanged: (previous: number) => `What changed since revision ${previous}`,
  },
  de: {
    plan: 'Plan',
    revision: 'Revision',
    missing: 'In diesem Abschnitt fehlt noch',
    changed: 'Geändert',
    figures: 'Skalierungswerte (berechnet)',
    whatChanged: (previous: number) => `Was sich seit Revision ${previous} geändert hat`,
  },
} as const;

/** A section as Markdown, with what it still misses. */
export function sectionMarkdown(section: SectionRecord, language: Language): string {
  let text = `## ${section.position}. ${section.title}\n\n${section.markdown}\n`;
  if (section.missingItems.length > 0) {
    text += `\n> **${TEXT[language].missing}:** ${section.missingItems.map((item) => item.label).join('; ')}\n`;
  }
  return `${text}\n`;
}

/** The revision's header: title, plan number and revision, what changed, the computed figures. */
export function revisionHeader(target: { plan: PlanRecord; revision: RevisionRecord }): string {
  const { plan, revision } = target;
  const language = revision.request.language;
  const text = TEXT[language];
  let header = `# ${plan.title}\n\n${text.plan} ${plan.number}, ${text.revision} ${revision.number}\n`;
  if (revision.changes.length > 0) header += `\n${text.changed}: ${changeHeadline(revision.changes, language)}\n`;
  const figures = describeScaleFigures(computeScaleFigures(revision.request), language);
  header += `\n## ${text.figures}\n\n${figures.map((figure) => `- ${figure.label}: ${figure.value}`).join('\n')}\n`;
  return `${header}\n`;
}

/** "What changed" after a re-run's sections. */
export function changeSummaryMarkdown(revision: RevisionRecord): string {
  if (revision.changeSummary === undefined) return '';
  return `## ${TEXT[revision.request.language].whatChanged(revision.number - 1)}\n\n${revision.changeSummary}\n`;
}

/** A whole stored revision as one Markdown document. */
export function revisionMarkdown(plan: PlanRecord, revision: RevisionWithSections): string {
  const language = revision.request.language;
  return `${revisionHeader({ plan, revision })}${revision.sections.map((section) => sectionMarkdown(section, language)).join('')}${changeSummaryMarkdown(revision)}`;
}

/**
 * The terminal as a delivery platform: the plan as one Markdown document on stdout, in order,
 * progress on stderr. Its message reference records that this process printed the section.
 */
export function createTerminalDelivery(options: TerminalDeliveryOptions): PlanDelivery {
  const reporters = new Map<string, ReturnType<typeof createProgressReporter>>();
  const reporterFor = (revision: RevisionRecord) => {
    let reporter = reporters.get(revision.id);
    if (reporter === undefined) {
      reporter = createProgressReporter(options.stderr, revision.request.language);
      reporters.set(revision.id, reporter);
    }
    return reporter;
  };
  const ref = () => ({ terminal: String(process.pid) });
  return {
    ordered: true,
    begin(target, _outline: readonly SectionOutline[], existing) {
      if (!options.quiet && existing === undefined) options.stdout.write(revisionHeader(target));
      return Promise.resolve(existing ?? ref());
    },
    progress(target, event: PlanEvent) {
      reporterFor(target.revision)(event);
    },
    // Recorded before printing: after a crash, a section is never printed a second time.
    reserve: ref,
    section(target, section) {
      if (!options.quiet) {
        options.stdout.write(sectionMarkdown(section, target.revision.request.language));
        options.printed.add(target.revision.id);
      }
      return Promise.resolve(ref());
    },
    finish(target, revision) {
      const seconds = ((revision.durationMs ?? 0) / 1000).toFixed(1);
      options.stderr.write(
        `Plan ${target.plan.number}, revision ${revision.number} saved · ${seconds} s · ${revision.usage.outputTokens} output tokens · $${revision.costUsd.toFixed(4)}\n`,
      );
      if (!options.quiet) options.stdout.write(changeSummaryMarkdown(revision));
      return Promise.resolve();
    },
    fail(target, error: AppError) {
      options.stderr.write(`error: ${userMessage(error, target.revision.request.language)} [${error.code}]\n`);
      return Promise.resolve();
    },
  };
}
