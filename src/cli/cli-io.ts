import { parseArgs, type ParseArgsConfig } from 'node:util';

/** The terminal the CLI talks to; tests and `src/cli.ts` pass real streams. */
export interface CliIo {
  readonly stdin: NodeJS.ReadableStream;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** Whether a person can answer questions (stdin and stderr are terminals). */
  readonly interactive: boolean;
}

/** Exit codes: 0 done, 1 the plan failed (model, network), 2 bad usage or input. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** node:util's `parseArgs`, its complaint about a flag turned into a usage error. */
export function parseFlags<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}
