/**
 * The command grammar every chat surface shares: `help`, `list [text]`, `show <number>`,
 * `diff <number> [<from> <to>]`, and `plan [use case]` for the form. Slack's slash command already
 * means "plan", so there text that is no command is the use case; in a Teams chat or thread it is
 * a question about the conversation's plan (the help where there is none).
 */
export type PlanCommand =
  | { readonly kind: 'help' }
  | { readonly kind: 'list'; readonly search: string | undefined }
  /** `number` is undefined when the argument is no plan number; `argument` is what was typed. */
  | { readonly kind: 'show'; readonly number: number | undefined; readonly argument: string }
  | { readonly kind: 'form'; readonly useCase: string }
  /** Text that is no command, where such text asks about a plan. */
  | { readonly kind: 'question'; readonly text: string }
  /**
   * `diff <plan> [<from> <to>]`: two revisions compared (the last two without numbers).
   * `number` is undefined when the arguments are not that; `argument` is what was typed.
   */
  | {
      readonly kind: 'diff';
      readonly number: number | undefined;
      readonly from: number | undefined;
      readonly to: number | undefined;
      readonly argument: string;
    };

/** What text that starts with no command word means on this surface. */
export type BareText = 'useCase' | 'help' | 'question';

/** Parses a plan number as users type it ("42" or "#42"). */
export function parsePlanNumber(text: string | undefined): number | undefined {
  const match = /^#?(\d{1,9})$/u.exec(text?.trim() ?? '');
  const number = match?.[1] === undefined ? undefined : Number(match[1]);
  return number !== undefined && number > 0 ? number : undefined;
}

/** `diff 42`, `diff 42 1 3`: the plan and, both or neither, the revisions. */
function parseDiff(words: readonly string[], argument: string): PlanCommand {
  const numbers = words.map((word) => parsePlanNumber(word));
  const valid = (words.length === 1 || words.length === 3) && numbers.every((n) => n !== undefined);
  const [number, from, to] = valid ? numbers : [];
  return { kind: 'diff', number, from, to, argument };
}

/** Parses a command line (the bot's mention and a leading slash already removed). */
export function parsePlanCommand(text: string, bareText: BareText): PlanCommand {
  const trimmed = text.trim();
  const [first = '', ...rest] = trimmed.split(/\s+/u);
  const argument = rest.join(' ');
  switch (first.toLowerCase()) {
    case 'help':
      return { kind: 'help' };
    case 'list':
      return { kind: 'list', search: argument === '' ? undefined : argument };
    case 'show':
      return { kind: 'show', number: parsePlanNumber(argument), argument };
    case 'plan':
      return { kind: 'form', useCase: argument };
    case 'diff':
      return parseDiff(rest, argument);
    default:
      if (bareText === 'useCase') return { kind: 'form', useCase: trimmed };
      return bareText === 'question' && trimmed !== '' ? { kind: 'question', text: trimmed } : { kind: 'help' };
  }
}
