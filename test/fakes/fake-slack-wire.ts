/**
 * Wire-level pieces of the Slack Web API fake: decoding request bodies the
 * three ways Slack accepts them (form-urlencoded — what `@slack/web-api`
 * sends —, JSON, multipart), finding the token, and writing JSON answers.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Arguments whose form value is a JSON string (the WebClient JSON-encodes every non-scalar). */
const JSON_ARGUMENTS = new Set([
  'blocks',
  'chunks',
  'attachments',
  'view',
  'files',
  'metadata',
  'unfurls',
  'user_auth_blocks',
  'document_content',
  'changes',
  'channel_ids',
  'user_ids',
]);

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function decodeJsonArgument(key: string, value: string): unknown {
  if (!JSON_ARGUMENTS.has(key)) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    // Left as the raw string: the method then answers invalid_blocks_format / invalid_arguments like Slack.
    return value;
  }
}

/**
 * Multipart parts (RFC 7578): text fields as strings, file parts (those with a
 * `filename`) as their bytes. Small and strict enough for what fetch's FormData sends.
 */
export function multipartParts(raw: Buffer, contentType: string): Map<string, string | Buffer> {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  const parts = new Map<string, string | Buffer>();
  if (boundary === undefined) return parts;
  const delimiter = Buffer.from(`--${boundary}`);
  let start = raw.indexOf(delimiter);
  while (start !== -1) {
    const partStart = start + delimiter.length;
    const next = raw.indexOf(delimiter, partStart);
    if (next === -1) break;
    // Each part is `\r\n<headers>\r\n\r\n<content>\r\n` between two delimiters.
    const part = raw.subarray(partStart + 2, next - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      const content = part.subarray(headerEnd + 4);
      const name = /name="([^"]*)"/i.exec(headers)?.[1];
      const isFile = /filename="/i.test(headers);
      if (name !== undefined) parts.set(name, isFile ? Buffer.from(content) : content.toString('utf8'));
    }
    start = next;
  }
  return parts;
}

/** Method arguments from the query string and body, JSON-valued form fields decoded. */
export function parseArguments(req: IncomingMessage, raw: Buffer, query: URLSearchParams): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const [key, value] of query) args[key] = decodeJsonArgument(key, value);
  const contentType = req.headers['content-type'] ?? '';
  if (contentType.startsWith('application/json')) {
    const parsed = raw.length === 0 ? {} : (JSON.parse(raw.toString('utf8')) as unknown);
    if (isRecord(parsed)) Object.assign(args, parsed);
  } else if (contentType.startsWith('multipart/form-data')) {
    for (const [key, value] of multipartParts(raw, contentType)) {
      args[key] = typeof value === 'string' ? decodeJsonArgument(key, value) : value;
    }
  } else {
    for (const [key, value] of new URLSearchParams(raw.toString('utf8'))) args[key] = decodeJsonArgument(key, value);
  }
  return args;
}

/** Slack reads `Authorization: Bearer` first and falls back to a `token` argument. */
export function tokenOf(
  req: IncomingMessage,
  args: Record<string, unknown>,
): { token: string | undefined; source: 'header' | 'argument' | undefined } {
  const header = req.headers.authorization;
  if (header !== undefined && header.startsWith('Bearer ') && header.length > 'Bearer '.length) {
    return { token: header.slice('Bearer '.length), source: 'header' };
  }
  const token = args['token'];
  return typeof token === 'string' && token !== ''
    ? { token, source: 'argument' }
    : { token: undefined, source: undefined };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function argString(args: Record<string, unknown>, key: string): string | undefined {
  const value = args[key];
  if (typeof value === 'string' && value !== '') return value;
  return typeof value === 'number' ? String(value) : undefined;
}

/** Form posts carry booleans as "true"/"1"; JSON posts carry real booleans. */
export function argBool(args: Record<string, unknown>, key: string): boolean {
  const value = args[key];
  return value === true || value === 'true' || value === '1' || value === 1;
}

/** Slack-style ids: a type letter followed by upper-case alphanumerics (`V0A1B2C3D4E`). */
export function slackId(prefix: string, length = 10): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const bytes = randomBytes(length);
  let id = prefix;
  for (const byte of bytes) id += alphabet[byte % alphabet.length] ?? 'X';
  return id;
}

/** Message timestamps as Slack formats them (`1712345678.000123`), strictly increasing. */
export class TsClock {
  private lastMicros = 0;

  next(): string {
    this.lastMicros = Math.max(Date.now() * 1000, this.lastMicros + 1);
    const seconds = Math.floor(this.lastMicros / 1_000_000);
    const micros = this.lastMicros % 1_000_000;
    return `${seconds}.${String(micros).padStart(6, '0')}`;
  }
}

/** An `ok: false` answer; `messages` become `response_metadata.messages` with Slack's `[ERROR]` prefix. */
export function slackError(
  error: string,
  messages: readonly string[] = [],
  extra: Record<string, unknown> = {},
): SlackReply {
  const reply: SlackReply = { ok: false, error, ...extra };
  if (messages.length > 0) reply['response_metadata'] = { messages: messages.map((message) => `[ERROR] ${message}`) };
  return reply;
}

/** A JSON body the fake answers with; `ok` decides success. */
export type SlackReply = Record<string, unknown> & { ok: boolean };
