import type { AppError } from '../errors.ts';
import type { PlanEvent } from '../core/plan-types.ts';
import { userMessage } from '../core/user-messages.ts';
import type { PlanDelivery, SectionOutline } from '../plans/plan-delivery.ts';
import { changeSummaryMarkdown, revisionHeader, sectionMarkdown } from '../render/plan-markdown.ts';
import type { MessageRef } from '../store/message-refs.ts';
import type { RevisionRecord } from '../store/plan-records.ts';
import { createProgressReporter } from './progress-reporter.ts';

export interface TerminalDeliveryOptions {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** JSON mode: sections are not printed as they come; the caller prints one object at the end. */
  readonly quiet: boolean;
  /** Revisions whose sections this process has printed, so the caller does not print them again. */
  readonly printed: Set<string>;
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
  const ref = (): MessageRef => ({ platform: 'terminal', v: 1, pid: process.pid });
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
