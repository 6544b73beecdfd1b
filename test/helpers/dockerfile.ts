/**
 * A reader for the subset of Dockerfile syntax our Dockerfile uses, so tests check the file itself
 * instead of a copy of its lines. It fails loudly on what it does not understand.
 * @see https://docs.docker.com/reference/dockerfile/
 */

export interface Instruction {
  /** Upper-case keyword: FROM, COPY, RUN … */
  readonly keyword: string;
  /** Leading `--name=value` options (`--from`, `--chown`, `--mount`, `--interval` …); a bare `--link` is "true". */
  readonly flags: Readonly<Record<string, string>>;
  /** The rest of the instruction, continuation lines joined. */
  readonly args: string;
  /** 1-based line where the instruction starts, for messages. */
  readonly line: number;
}

export interface Stage {
  /** `AS name`, lower-cased as Docker does; undefined for an unnamed stage. */
  readonly name: string | undefined;
  /** The base image (or an earlier stage's name). */
  readonly base: string;
  readonly instructions: readonly Instruction[];
}

/** Splits off leading `--flag[=value]` tokens. */
function splitFlags(rest: string): { flags: Record<string, string>; args: string } {
  const flags: Record<string, string> = {};
  let args = rest.trimStart();
  for (
    let match = /^--([a-z-]+)(?:=(\S*))?\s*/u.exec(args);
    match !== null;
    match = /^--([a-z-]+)(?:=(\S*))?\s*/u.exec(args)
  ) {
    flags[match[1] ?? ''] = match[2] ?? 'true';
    args = args.slice(match[0].length);
  }
  return { flags, args: args.trim() };
}

/** Joins continuation lines (trailing backslash) and drops comments, as Docker's parser does. */
function logicalLines(text: string): { text: string; line: number }[] {
  const lines: { text: string; line: number }[] = [];
  let pending: { text: string; line: number } | undefined;
  text.split(/\r?\n/u).forEach((raw, index) => {
    const trimmed = raw.trim();
    if (trimmed.startsWith('#')) {
      const directive = /^#\s*escape\s*=\s*(\S)/iu.exec(trimmed);
      if (directive !== null && directive[1] !== '\\')
        throw new Error(`Dockerfile: escape=${directive[1] ?? ''} is not supported`);
      return;
    }
    if (pending === undefined && trimmed === '') return;
    const continued = /\\\s*$/u.test(raw);
    const part = continued ? raw.replace(/\\\s*$/u, '') : raw;
    pending =
      pending === undefined
        ? { text: part.trim(), line: index + 1 }
        : { ...pending, text: `${pending.text} ${part.trim()}` };
    if (!continued) {
      lines.push(pending);
      pending = undefined;
    }
  });
  if (pending !== undefined) lines.push(pending);
  return lines;
}

/** Parses a Dockerfile into its stages, each with its instructions after FROM. */
export function parseDockerfile(text: string): Stage[] {
  const stages: { name: string | undefined; base: string; instructions: Instruction[] }[] = [];
  for (const { text: lineText, line } of logicalLines(text)) {
    const match = /^(\S+)\s*(.*)$/su.exec(lineText);
    if (match === null) continue;
    const keyword = (match[1] ?? '').toUpperCase();
    const { flags, args } = splitFlags(match[2] ?? '');
    if (keyword === 'FROM') {
      const from = /^(\S+)(?:\s+AS\s+(\S+))?$/iu.exec(args);
      if (from === null) throw new Error(`Dockerfile line ${String(line)}: cannot read FROM ${args}`);
      stages.push({ name: from[2]?.toLowerCase(), base: from[1] ?? '', instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (stage === undefined) throw new Error(`Dockerfile line ${String(line)}: ${keyword} before FROM`);
    stage.instructions.push({ keyword, flags, args, line });
  }
  if (stages.length === 0) throw new Error('Dockerfile: no FROM');
  return stages;
}

/** The JSON-array ("exec") form of CMD/RUN/ENTRYPOINT/HEALTHCHECK CMD, or undefined for the shell form. */
export function execForm(args: string): string[] | undefined {
  if (!args.startsWith('[')) return undefined;
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'string')) {
    throw new Error(`not a JSON array of strings: ${args}`);
  }
  return parsed;
}

/** Words of a shell-free argument list (COPY sources and destination), JSON form included. */
export function words(args: string): string[] {
  return execForm(args) ?? args.split(/\s+/u).filter((word) => word !== '');
}

/** `ENV a=1 b="two words"` (or the old `ENV a value`) as key/value pairs. */
export function envPairs(args: string): Record<string, string> {
  if (!/^[^\s=]+=/u.test(args)) {
    const old = /^(\S+)\s+(.*)$/su.exec(args);
    if (old === null) throw new Error(`cannot read ENV ${args}`);
    return { [old[1] ?? '']: old[2] ?? '' };
  }
  const pairs: Record<string, string> = {};
  for (const match of args.matchAll(/([^\s=]+)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/gu)) {
    const raw = match[2] ?? '';
    const value = raw.startsWith('"') ? (JSON.parse(raw) as string) : raw.startsWith("'") ? raw.slice(1, -1) : raw;
    if (value.includes('$'))
      throw new Error(`ENV ${match[1] ?? ''}: variable substitution is not supported by this reader`);
    pairs[match[1] ?? ''] = value;
  }
  return pairs;
}

/** All instructions of one keyword in a stage. */
export function instructionsOf(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((instruction) => instruction.keyword === keyword);
}

/** The last instruction of a keyword (Docker keeps only the last CMD, USER … that applies). */
export function lastOf(stage: Stage, keyword: string): Instruction | undefined {
  return instructionsOf(stage, keyword).at(-1);
}

/** The stage's environment: every ENV in order. */
export function stageEnv(stage: Stage): Record<string, string> {
  return Object.assign({}, ...instructionsOf(stage, 'ENV').map((instruction) => envPairs(instruction.args))) as Record<
    string,
    string
  >;
}
