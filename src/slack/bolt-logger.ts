import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import { libraryLogger, type Logger } from '../logger.ts';

/** Slack's logger interface (Bolt, the Web API client) over our pino logger, so their lines are structured like ours. */
export function boltLogger(logger: Logger, component = 'bolt'): BoltLogger {
  let level = LogLevel.INFO;
  return {
    ...libraryLogger(logger, component),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
