import { WORD_JOINER } from '../core/text.ts';

// A WORD JOINER put after a `<` keeps the text looking the same while Teams no longer sees a tag
// (`<at>`, `<a href>`, `<img>`).

const SAFE_SCHEMES = new Set(['http:', 'https:', 'mailto:']);

// [label](destination "title"): the destination without spaces, parentheses only balanced one level deep.
const MARKDOWN_LINK = /\[([^\]\n]*)\]\(\s*<?((?:[^()\s<>]|\([^()\s]*\))+)>?(?:\s+"[^"\n]*")?\s*\)/gu;
const AUTOLINK = /<((?:https?|mailto):[^<>\s]+)>/giu;
// A tag-like `<`: before a letter, `/`, `!` or `?` (`<at>`, `</at>`, `<a href=…>`, `<!-- -->`).
const TAG_START = /<(?=[a-z/!?])/giu;

const hostOf = (url: string) => URL.parse(url)?.host.toLowerCase();

/** A label that names a place ("bank.com", "https://bank.com/login"): the reader trusts it as the target. */
function labelHost(label: string): string | undefined {
  const trimmed = label.trim();
  if (/\s/u.test(trimmed) || !trimmed.includes('.')) return undefined;
  return hostOf(/^[a-z][a-z0-9+.-]*:/iu.test(trimmed) ? trimmed : `https://${trimmed}`);
}

/**
 * A Markdown link as Teams may render it: http(s)/mailto links stay clickable unless their label
 * names another host than they lead to (then the destination is shown next to the label); any
 * other scheme (`javascript:`, `file:`, deep links that act on the user's behalf) becomes text.
 */
function neutralizeLink(label: string, destination: string): string {
  const scheme = URL.parse(destination)?.protocol.toLowerCase();
  if (scheme === undefined || !SAFE_SCHEMES.has(scheme))
    return `${label} (${destination.replace(/:/gu, `:${WORD_JOINER}`)})`;
  const claimed = labelHost(label);
  if (claimed !== undefined && claimed !== hostOf(destination)) return `${label} (${destination})`;
  return `[${label}](${destination})`;
}

/**
 * Makes untrusted text (model output, typed inputs) safe for a Teams TextBlock: tag-like `<`
 * get a word joiner (no `<at>` mention markup, no HTML), autolinks `<https://…>` become bare
 * URLs, Markdown links keep only safe schemes and cannot disguise their destination. Teams
 * mentions need an entity in the activity as well, which we never add for such text; this is
 * defence in depth for clients that render message text as HTML. Idempotent.
 * @see https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/cards-format
 */
export function neutralizeTeamsText(text: string): string {
  return text
    .replace(AUTOLINK, '$1')
    .replace(MARKDOWN_LINK, (_whole, label: string, destination: string) => neutralizeLink(label, destination))
    .replace(TAG_START, `<${WORD_JOINER}`);
}
