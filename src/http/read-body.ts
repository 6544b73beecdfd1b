import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './json-response.ts';

/** The request body went past the endpoint's limit: answer with {@link sendTooLarge}. */
export class BodyTooLarge extends Error {
  readonly limitBytes: number;
  constructor(limitBytes: number) {
    super(`request body over ${limitBytes} bytes`);
    this.limitBytes = limitBytes;
  }
}

/** Reads a request body up to `limitBytes`; past it, keeps nothing more and rejects with BodyTooLarge. */
export function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        req.off('data', onData);
        chunks.length = 0;
        reject(new BodyTooLarge(limitBytes));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** 413 with `connection: close`: Node discards the rest of the body and closes the connection. */
export function sendTooLarge(res: ServerResponse, message: string): void {
  res.setHeader('connection', 'close');
  sendJson(res, 413, { error: message });
}
