import { escapeMrkdwn } from './slack-markdown-neutralize.ts';

// Private-use characters mark spans already converted (links) and bold markers while the
// emphasis rules run; they are stripped from the input first so model text cannot forge them.
const KEEP_OPEN = '\uE000';
const KEEP_CLOSE = '\uE001';
const BOLD = '\uE002';

/** A mrkdwn link label: escaped, `|` (which would end the URL part) replaced by `∣`. */
export function mrkdwnLinkLabel(label: string): string {
  return escapeMrkdwn(label.replace(/\*\*|__|~~|`/g, '')).replace(/\|/g, '∣');
}

/**
 * `[label](url)` as mrkdwn: `<url|label>` for http(s) only, with `&` escaped and `<>|` percent
 * encoded so the URL cannot end the token early; any other scheme (`javascript:`, `slack:`) is
 * shown as text.
 */
export function mrkdwnLink(label: string, url: string): string {
  const target = url.startsWith('<') && url.endsWith('>') ? url.slice(1, -1) : url;
  if (!/^https?:\/\/\S+$/i.test(target)) return escapeMrkdwn(label ? `${label} (${target})` : target);
  const href = target.replace(/&/g, '&amp;').replace(/</g, '%3C').replace(/>/g, '%3E').replace(/\|/g, '%7C');
  const text = mrkdwnLinkLabel(label);
  return text ? `<${href}|${text}>` : `<${href}>`;
}

const MARKDOWN_LINK = /!?\[([^\]\n]*)\]\((<[^>\n]*>|[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:[ \t]+"[^"\n]*")?\)/g;
const AUTOLINK = /<(https?:\/\/[^\s<>|]+)>/gi;

// Spans are capped at 500 characters so a line full of unmatched markers stays linear.
function emphasis(text: string): string {
  return text
    .replace(/\*\*\*(?=\S)([^*\n]{1,500}?)(?<=\S)\*\*\*/g, `${BOLD}_$1_${BOLD}`)
    .replace(/\*\*(?=\S)(.{1,500}?)(?<=\S)\*\*/g, `${BOLD}$1${BOLD}`)
    .replace(/(?<!\w)__(?=\S)(.{1,500}?)(?<=\S)__(?!\w)/g, `${BOLD}$1${BOLD}`)
    .replace(/(?<![*\w])\*(?=\S)([^*\n]{1,500}?)(?<=\S)\*(?![*\w])/g, '_$1_')
    .replace(/~~(?=\S)(.{1,500}?)(?<=\S)~~/g, '~$1~')
    .replaceAll(BOLD, '*');
}

function prose(text: string): string {
  const kept: string[] = [];
  const keep = (converted: string): string => `${KEEP_OPEN}${kept.push(converted) - 1}${KEEP_CLOSE}`;
  const linked = text
    .replace(MARKDOWN_LINK, (_, label: string, url: string) => keep(mrkdwnLink(label, url)))
    .replace(AUTOLINK, (_, url: string) => keep(mrkdwnLink('', url)));
  return emphasis(escapeMrkdwn(linked)).replace(
    new RegExp(`${KEEP_OPEN}(\\d+)${KEEP_CLOSE}`, 'g'),
    (_, index: string) => kept[Number(index)] ?? '',
  );
}

/** Converts one line of Markdown inline syntax to mrkdwn; code spans keep their text, escaped. */
export function convertInline(line: string): string {
  const text = line.replace(/[\uE000-\uE002]/g, '');
  let out = '';
  let pos = 0;
  const runs = /`+/g;
  const unclosed = new Set<number>(); // run lengths never closed later on: skip re-scanning
  let match: RegExpExecArray | null;
  while ((match = runs.exec(text)) !== null) {
    const fence = match[0];
    const start = match.index + fence.length;
    const close = new RegExp(`(?<!\`)${fence}(?!\`)`, 'g');
    close.lastIndex = start;
    const end = unclosed.has(fence.length) ? undefined : close.exec(text)?.index;
    if (end === undefined) {
      unclosed.add(fence.length);
      continue;
    }
    out += prose(text.slice(pos, match.index)) + '`' + escapeMrkdwn(text.slice(start, end).trim() || ' ') + '`';
    pos = end + fence.length;
    runs.lastIndex = pos;
  }
  return out + prose(text.slice(pos));
}
