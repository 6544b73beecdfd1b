import type { PlanRequest } from '../core/plan-request.ts';
import type { PlanResult } from '../core/plan-types.ts';

const HEADINGS = {
  en: { figures: 'Scale figures (computed)', missing: 'Still missing from this section' },
  de: { figures: 'Skalierungswerte (berechnet)', missing: 'In diesem Abschnitt fehlt noch' },
} as const;

/** The plan as one Markdown document. */
export function planToMarkdown(request: PlanRequest, result: PlanResult, title: string): string {
  const text = HEADINGS[result.language];
  const parts = [`# ${title}: ${request.existingSystem.split('\n')[0] ?? ''} → ${request.targetApi}`];
  parts.push(`## ${text.figures}\n\n${result.figures.map((figure) => `- ${figure.label}: ${figure.value}`).join('\n')}`);
  for (const section of result.sections) {
    let body = `## ${section.number}. ${section.title}\n\n${section.markdown}`;
    if (section.missingItems.length > 0) {
      body += `\n\n> **${text.missing}:** ${section.missingItems.map((item) => item.label).join('; ')}`;
    }
    parts.push(body);
  }
  return `${parts.join('\n\n')}\n`;
}

/** The `--json` shape, stable for scripts. */
export function planToJson(result: PlanResult): object {
  return {
    provider: result.provider,
    model: result.model,
    language: result.language,
    strategy: result.strategy,
    variation: result.variation,
    prompt: result.prompt,
    figures: result.figures,
    sections: result.sections.map((section) => ({
      key: section.key,
      title: section.title,
      markdown: section.markdown,
      missingItems: section.missingItems.map((item) => item.label),
    })),
    usage: {
      inputTokens: result.usage.inputTokens + result.usage.cacheReadTokens + result.usage.cacheWriteTokens,
      outputTokens: result.usage.outputTokens,
      cachedTokens: result.usage.cacheReadTokens,
      costUsd: Number(result.costUsd.toFixed(6)),
    },
    durationMs: Math.round(result.durationMs),
  };
}
