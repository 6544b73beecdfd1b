import type { WebClient } from '@slack/web-api';
import { clip } from '../core/text.ts';
import type { Logger } from '../logger.ts';
import { revisionMarkdown } from '../render/plan-markdown.ts';
import type { PlanCanvas } from '../store/plan-canvas.ts';
import type { PlanRecord, RevisionWithSections } from '../store/plan-records.ts';
import type { PlanStore } from '../store/plan-store.ts';
import { platformErrorOf } from './slack-client.ts';
import { slackThreadOf } from './slack-refs.ts';

export interface CanvasDeps {
  readonly client: WebClient;
  readonly store: PlanStore;
  readonly logger: Logger;
}

const WORD_JOINER = '\u2060';

/**
 * Security: a canvas turns `![](@U123)` and `![](#C123)` into mentions and `<@U123>`, `<!here>`
 * into pings. Model output and typed inputs in the document must not: a word joiner breaks each.
 */
export function neutralizeCanvasMarkdown(markdown: string): string {
  return markdown
    .replace(/!\[([^\]\n]*)\]\(([@#])/gu, `!${WORD_JOINER}[$1](${WORD_JOINER}$2`)
    .replace(/<([@#!])/gu, `<${WORD_JOINER}$1`);
}

const contentOf = (markdown: string) => ({ type: 'markdown' as const, markdown: neutralizeCanvasMarkdown(markdown) });

/** A new canvas with the document, shared read-only with the plan's channel, and its link. */
async function createCanvas(deps: CanvasDeps, plan: PlanRecord, markdown: string): Promise<PlanCanvas> {
  const created = await deps.client.canvases.create({
    title: clip(`Plan ${plan.number}: ${plan.title}`, 120),
    document_content: contentOf(markdown),
  });
  const id = created.canvas_id ?? '';
  const channel = slackThreadOf(plan)?.channel;
  if (channel !== undefined) {
    // The canvas exists now: a refused share (a DM, an archived channel) leaves it unshared, not lost.
    await deps.client.canvases.access
      .set({ canvas_id: id, access_level: 'read', channel_ids: [channel] })
      .catch((error: unknown) => deps.logger.warn({ err: error, channel }, 'the plan canvas could not be shared'));
  }
  const info = await deps.client.files.info({ file: id }).catch(() => undefined);
  const url = info?.file?.permalink;
  return { kind: 'canvas', id, ...(url === undefined ? {} : { url }) };
}

/**
 * Keeps the plan's canvas up to date with a revision (inputs, figures, spec, sections, decisions):
 * edits it in place, or creates it on first use (and again if someone deleted it). Where Slack
 * refuses canvases (a free workspace, canvases switched off: its error code is kept) the plan has
 * none and says why; the Markdown export stays. Never fails the plan: a network failure is logged.
 */
export async function syncPlanCanvas(
  deps: CanvasDeps,
  plan: PlanRecord,
  revision: RevisionWithSections,
): Promise<PlanCanvas | undefined> {
  const decisions = await deps.store.decisionsOf(plan.workspaceId, revision.id);
  const markdown = revisionMarkdown(plan, revision, decisions);
  let canvas: PlanCanvas;
  try {
    if (plan.canvas?.kind === 'canvas') {
      try {
        await deps.client.canvases.edit({
          canvas_id: plan.canvas.id,
          changes: [{ operation: 'replace', document_content: contentOf(markdown) }],
        });
        return plan.canvas;
      } catch (error) {
        if (platformErrorOf(error) !== 'canvas_not_found') throw error;
      }
    }
    canvas = await createCanvas(deps, plan, markdown);
  } catch (error) {
    const code = platformErrorOf(error);
    if (code === undefined) {
      deps.logger.warn({ err: error, planNumber: plan.number }, 'the plan canvas could not be written');
      return plan.canvas;
    }
    deps.logger.info({ code, planNumber: plan.number }, 'no canvas for this plan: Slack refused it');
    canvas = { kind: 'unavailable', error: code };
  }
  await deps.store.setPlanCanvas(plan.workspaceId, plan.id, canvas);
  return canvas;
}
