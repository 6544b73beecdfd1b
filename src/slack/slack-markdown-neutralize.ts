import { closesFence, openingFence, type Fence } from '../core/markdown-fence.ts';
import { WORD_JOINER } from '../core/text.ts';

// Broadcasts Slack turns into notifications when it auto-parses text; `@group` is the legacy
// `@channel` of private channels. Not preceded by word characters, `/`, `.`, `-`, `+` or `@`,
// so e-mail addresses and URL paths (https://x.com/@here) stay intact.
const BARE_BROADCAST = /(?<![\w/@.+-])@(?=(?:channel|here|everyone|group)(?![\w-]))/gi;

/**
 * Makes bare `@channel`/`@here`/`@everyone`/`@group` inert: a WORD JOINER (not U+200D, an emoji
 * joiner) after the `@` looks the same, but Slack's broadcast parsing no longer sees `@here`.
 */
export function defangBroadcasts(text: string): string {
  return text.replace(BARE_BROADCAST, `@${WORD_JOINER}`);
}

/**
 * Escapes text for Slack mrkdwn: `&`, `<`, `>` become entities (Slack's documented escaping, shown
 * as the literal characters, never parsed as `<!here>`/`<@U…>`/`<url|text>`), bare broadcasts defanged.
 */
export function escapeMrkdwn(text: string): string {
  return defangBroadcasts(text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
}

/**
 * For `plain_text` (header blocks). Slack is not known to parse tokens there (slackapi/node-slack-sdk#712)
 * and entities might show as typed, so instead of escaping, an invisible word joiner after any `<`
 * that could start a token keeps the title readable and inert even if Slack did parse it.
 */
export function defangPlainText(text: string): string {
  return defangBroadcasts(text.replace(/<(?=\S)/g, `<${WORD_JOINER}`));
}

// A closed `<…>` that Slack could read as a token: special (`<!here>`, `<!subteam^…>`,
// `<!date^…>`), user (`<@U…>`), channel (`<#C…>`), a URL with a scheme, or anything labelled `|`.
const TOKEN_LIKE = /<([^<>\n]*)>/g;
function isTokenLike(inner: string): boolean {
  // Slack reads `<x|y>` as a labelled link, but not `< b || c >` (comparisons in code).
  return /^[!@#]/.test(inner) || /^[a-z][a-z0-9+.-]*:/i.test(inner) || /^\S[^|]*\|/.test(inner);
}

/** Inside code only token-shaped `<…>` are escaped, so `a < b` or `Map<K, V>` keep their look. */
function neutralizeCode(text: string): string {
  const escaped = text.replace(TOKEN_LIKE, (whole, inner: string) => (isTokenLike(inner) ? `&lt;${inner}&gt;` : whole));
  return defangBroadcasts(escaped);
}

/** Prose: every `<` and `>` escaped, except `>` markers that open a block quote. */
function neutralizeProse(text: string, atLineStart: boolean): string {
  const quote = atLineStart ? (/^ {0,3}(?:>[ \t]?)+/.exec(text)?.[0] ?? '') : '';
  const rest = text.slice(quote.length).replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return quote + defangBroadcasts(rest);
}

/** Splits a line into prose and inline code spans (a run of N backticks closed by N backticks). */
function neutralizeLine(line: string): string {
  let out = '';
  let pos = 0;
  const runs = /`+/g;
  // Run lengths with no closing run further on: skipping them keeps long lines linear.
  const unclosed = new Set<number>();
  let match: RegExpExecArray | null;
  while ((match = runs.exec(line)) !== null) {
    const fence = match[0];
    const closeAt = unclosed.has(fence.length) ? -1 : findClosingRun(line, match.index + fence.length, fence.length);
    if (closeAt < 0) {
      unclosed.add(fence.length);
      continue;
    }
    out += neutralizeProse(line.slice(pos, match.index), pos === 0);
    out += fence + neutralizeCode(line.slice(match.index + fence.length, closeAt)) + fence;
    pos = closeAt + fence.length;
    runs.lastIndex = pos;
  }
  return out + neutralizeProse(line.slice(pos), pos === 0);
}

function findClosingRun(line: string, from: number, length: number): number {
  const runs = /`+/g;
  runs.lastIndex = from;
  let match: RegExpExecArray | null;
  while ((match = runs.exec(line)) !== null) {
    if (match[0].length === length) return match.index;
  }
  return -1;
}

/**
 * Security: makes untrusted model Markdown safe for a Slack `markdown` block. Slack tokens (`<!here>`,
 * `<!channel>`, `<!subteam^…>`, `<!date^…>`, `<@U…>`, `<#C…>`, `<url|text>`, `<http…>`) lose their
 * `<`/`>` to entities, shown literally; bare `@here`-style broadcasts get a word joiner. Markdown
 * links are untouched (Slack renders them); `&` too: Slack does not re-parse decoded entities, and
 * escaping would corrupt query strings. Inside code (where Slack has been seen to parse `<…>`) only
 * token-shaped `<…>` are escaped, so ordinary code is unchanged. Idempotent.
 */
export function neutralizeSlackText(text: string): string {
  let fence: Fence | undefined;
  return text
    .split('\n')
    .map((line) => {
      if (fence) {
        if (closesFence(line, fence)) fence = undefined;
        return neutralizeCode(line);
      }
      fence = openingFence(line);
      return fence ? neutralizeCode(line) : neutralizeLine(line);
    })
    .join('\n');
}

/** Reverses {@link neutralizeSlackText} closely enough to re-render the text as mrkdwn. */
export function unneutralize(text: string): string {
  return text.replaceAll(WORD_JOINER, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}
