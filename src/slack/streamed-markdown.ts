import { neutralizeSlackText } from './slack-markdown.ts';

/** Characters whose meaning depends on what follows them on their line (tokens, code spans, quotes, broadcasts). */
const LINE_DEPENDENT = /[<>@`&]/u;

/**
 * Streamed Markdown made safe exactly as {@link neutralizeSlackText} makes the whole text:
 * complete lines are neutralised as they end; of the line still being written, only the part
 * before its first character whose treatment depends on the rest of the line is sent. So what
 * was sent is always the start of the neutralised whole, and the end of the stream is the rest.
 */
export function createSlackStreamText() {
  let text = '';
  let sent = '';
  const sendable = () => {
    const end = text.lastIndexOf('\n');
    const complete = end < 0 ? '' : `${neutralizeSlackText(text.slice(0, end))}\n`;
    const partial = text.slice(end + 1);
    const cut = partial.search(LINE_DEPENDENT);
    return complete + (cut < 0 ? partial : partial.slice(0, cut));
  };
  return {
    /** Adds streamed text; returns what may be sent now (possibly empty). */
    push(delta: string): string {
      text += delta;
      const now = sendable();
      if (!now.startsWith(sent) || now.length === sent.length) return '';
      const added = now.slice(sent.length);
      sent = now;
      return added;
    },
    /** What was sent so far. */
    sent: () => sent,
    /**
     * The rest to send so the stream shows `whole` neutralised; undefined when what was sent is
     * not its start (the model started over): the message must then be replaced.
     */
    rest(whole: string): string | undefined {
      const final = neutralizeSlackText(whole);
      return final.startsWith(sent) ? final.slice(sent.length) : undefined;
    },
    reset() {
      text = '';
      sent = '';
    },
  };
}
