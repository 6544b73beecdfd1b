import type { MarkedToken } from 'marked';
import { lexInline, ownTokens } from '../render/markdown-blocks.ts';
import { escapeMrkdwn } from './slack-markdown-neutralize.ts';

/**
 * `[label](url)` as mrkdwn: `<url|label>` for http(s) only, with `&` escaped and `<>|` percent
 * encoded so the URL cannot end the token early; the label escaped, `|` (which would end the
 * URL part) shown as `∣`. Any other scheme (`javascript:`, `slack:`) is shown as text.
 */
function mrkdwnLink(label: string, url: string): string {
  if (!/^https?:\/\/\S+$/i.test(url)) return escapeMrkdwn(label ? `${label} (${url})` : url);
  const href = url.replace(/&/g, '&amp;').replace(/</g, '%3C').replace(/>/g, '%3E').replace(/\|/g, '%7C');
  const text = escapeMrkdwn(label.replace(/\*\*|__|~~|`/g, '')).replace(/\|/g, '∣');
  return text ? `<${href}|${text}>` : `<${href}>`;
}

function inlineToken(token: MarkedToken): string {
  switch (token.type) {
    case 'strong':
      return `*${inlineMrkdwn(ownTokens(token.tokens))}*`;
    case 'em':
      return `_${inlineMrkdwn(ownTokens(token.tokens))}_`;
    case 'del':
      return `~${inlineMrkdwn(ownTokens(token.tokens))}~`;
    case 'codespan':
      return `\`${escapeMrkdwn(token.text.trim() || ' ')}\``;
    case 'image':
    case 'link':
      // Bare URLs and e-mail addresses (GFM autolinks) stay text: Slack links them itself.
      if (!/^!?\[|^</.test(token.raw)) return escapeMrkdwn(token.raw);
      return mrkdwnLink(token.raw.startsWith('<') ? '' : token.text, token.href);
    case 'text':
      return token.tokens ? inlineMrkdwn(ownTokens(token.tokens)) : escapeMrkdwn(token.text);
    case 'br':
      return '\n';
    default:
      return escapeMrkdwn(token.raw);
  }
}

/**
 * Inline Markdown as mrkdwn: `**b**`→`*b*`, `*i*`/`_i_`→`_i_`, `~~s~~`→`~s~`, links per
 * {@link mrkdwnLink}; everything else (text, HTML, code spans) escaped, so no `<…>` token survives.
 */
export function inlineMrkdwn(tokens: readonly MarkedToken[]): string {
  return tokens.map(inlineToken).join('');
}

/** A heading as one bold mrkdwn line (its own bold markers dropped: mrkdwn bold does not nest). */
export function headingMrkdwn(text: string): string {
  const content = text.replace(/\*\*|__/g, '').trim();
  return content ? `*${inlineMrkdwn(lexInline(content))}*` : '';
}
