import { pino, type DestinationStream, type Logger } from 'pino';
import { logContextFields } from './log-context.ts';

export type { Logger } from 'pino';

/**
 * Paths whose values never reach a log line. Security: keys, tokens and signing secrets may
 * sit in config objects, HTTP headers or SDK errors that get logged.
 */
export const REDACT_PATHS = [
  '*.apiKey',
  '*.*.apiKey',
  '*.token',
  '*.botToken',
  '*.appToken',
  '*.signingSecret',
  '*.password',
  '*.authorization',
  '*.Authorization',
  '*.headers.authorization',
  '*.headers["x-api-key"]',
  '*.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-slack-signature"]',
];

export interface LoggerOptions {
  readonly level: string;
  readonly pretty: boolean;
  readonly destination?: DestinationStream;
}

/** Structured JSON logs; readable lines in development (pino-pretty when installed). */
export function createLogger(options: LoggerOptions): Logger {
  // mixin: a plan job's ids on every line written for it (observability/log-context.ts).
  const base = { level: options.level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, mixin: logContextFields };
  if (options.destination !== undefined) return pino(base, options.destination);
  if (options.pretty) {
    return pino({ ...base, transport: { target: 'pino-pretty', options: { destination: 2, colorize: true } } });
  }
  return pino(base, pino.destination(2));
}

/** The logger interface of the libraries we use (Slack's, the model SDKs'): level methods taking any parts. */
export interface LibraryLogger {
  debug(...parts: unknown[]): void;
  info(...parts: unknown[]): void;
  warn(...parts: unknown[]): void;
  error(...parts: unknown[]): void;
}

function partText(part: unknown): string {
  if (typeof part === 'string') return part;
  if (part instanceof Error) return part.message;
  try {
    return JSON.stringify(part);
  } catch {
    return String(part);
  }
}

/**
 * A library's log lines as ours: JSON through pino, tagged with `component`, with the plan's ids
 * when written for one (a library's own logger would print plain text to the console).
 */
export function libraryLogger(logger: Logger, component: string): LibraryLogger {
  const log = logger.child({ component });
  // Libraries log every request at debug: format only what the level lets through.
  const at =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...parts: unknown[]) => {
      if (log.isLevelEnabled(level)) log[level](parts.map(partText).join(' '));
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
