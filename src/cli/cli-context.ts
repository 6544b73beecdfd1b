import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { openRuntime, type Runtime } from '../runtime.ts';
import type { CliIo } from './cli-io.ts';

/** What every command gets: configuration, logs, the terminal, and the runtime on demand. */
export interface CliContext {
  readonly config: Config;
  readonly logger: Logger;
  readonly io: CliIo;
  /** Opens prompts and the migrated database once; later calls return the same runtime. */
  runtime(): Promise<Runtime>;
  close(): Promise<void>;
}

export function createCliContext(config: Config, logger: Logger, io: CliIo): CliContext {
  let opened: Promise<Runtime> | undefined;
  return {
    config,
    logger,
    io,
    runtime: () => (opened ??= openRuntime(config, logger)),
    async close() {
      if (opened !== undefined) await (await opened).db.close();
    },
  };
}
