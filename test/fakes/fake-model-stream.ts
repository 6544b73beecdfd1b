/**
 * Body writers for the fake model servers: chunking text into "tokens",
 * pacing them at a token rate, and cutting streams short on demand.
 */
import type { ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';

/** The SSE frames of one streamed reply, produced by a provider adapter. */
export interface StreamFrames {
  /** Frames before the first text chunk (e.g. message_start). */
  readonly head: readonly string[];
  /** Frame carrying one text chunk. */
  chunk(text: string): string;
  /** Frames after the last text chunk (stop events, usage, [DONE]). */
  readonly tail: readonly string[];
}

/** How a reply body is released over time. */
export interface BodyTiming {
  readonly firstTokenLatencyMs: number;
  /** Read per chunk so `setTokensPerSecond` also affects streams already running. */
  readonly tokensPerSecond: () => number;
  readonly signal: AbortSignal;
}

/**
 * Splits text into chunks of `chunkChars` code points. Splitting by code
 * point (not UTF-16 unit) keeps surrogate pairs intact, so every chunk is
 * valid JSON-encodable text and the chunks concatenate back to `text` exactly.
 */
export function splitIntoChunks(text: string, chunkChars: number): string[] {
  const size = Math.max(1, Math.floor(chunkChars));
  const points = Array.from(text);
  const chunks: string[] = [];
  for (let i = 0; i < points.length; i += size) {
    chunks.push(points.slice(i, i + size).join(''));
  }
  return chunks;
}

/** Formats one SSE frame; `event` is omitted for OpenAI-style data-only streams. */
export function sseFrame(data: unknown, event?: string): string {
  const payload = typeof data === 'string' ? data : JSON.stringify(data);
  return event === undefined ? `data: ${payload}\n\n` : `event: ${event}\ndata: ${payload}\n\n`;
}

/** Sleeps unless the response has gone away; rejects with AbortError then. */
export async function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms > 0) await delay(ms, undefined, { signal });
  signal.throwIfAborted();
}

/** Resolves once `data` has been handed to the socket, so a following destroy cannot drop it. */
function writeFlushed(res: ServerResponse, data: string): Promise<void> {
  return new Promise((resolve) => res.write(data, () => resolve()));
}

/**
 * Tracks when the next chunk is due. Deadlines accumulate from the previous
 * deadline (not from "now") so timer overshoot does not slow the overall rate.
 */
async function waitForNextChunk(timing: BodyTiming, state: { deadline: number }): Promise<void> {
  const rate = timing.tokensPerSecond();
  const now = performance.now();
  if (!(rate > 0)) {
    state.deadline = now;
    return;
  }
  state.deadline = Math.max(state.deadline, now - 1000 / rate) + 1000 / rate;
  await pause(state.deadline - now, timing.signal);
}

/**
 * Streams an SSE reply. With `cutAfterChunks` set, writes the head and that
 * many chunks, then destroys the socket without the terminating chunk, which
 * the client sees as a truncated body.
 */
export async function writeSseBody(
  res: ServerResponse,
  frames: StreamFrames,
  chunks: readonly string[],
  timing: BodyTiming,
  cutAfterChunks?: number,
): Promise<void> {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
  });
  // Headers go out at once, as a real API does; the latency applies to the body.
  res.flushHeaders();
  await pause(timing.firstTokenLatencyMs, timing.signal);
  await writeFlushed(res, frames.head.join(''));
  const state = { deadline: performance.now() };
  for (const [index, chunk] of chunks.entries()) {
    if (cutAfterChunks !== undefined && index >= cutAfterChunks) break;
    await waitForNextChunk(timing, state);
    await writeFlushed(res, frames.chunk(chunk));
  }
  if (cutAfterChunks !== undefined) {
    res.destroy();
    return;
  }
  res.end(frames.tail.join(''));
}

/**
 * Sends a JSON reply after the time the same reply would take to stream, so
 * paced benchmarks see realistic non-streaming latency too.
 */
export async function writeJsonBody(
  res: ServerResponse,
  body: unknown,
  chunkCount: number,
  timing: BodyTiming,
): Promise<void> {
  await pause(timing.firstTokenLatencyMs, timing.signal);
  const state = { deadline: performance.now() };
  for (let i = 0; i < chunkCount; i += 1) await waitForNextChunk(timing, state);
  sendJson(res, 200, body);
}

/** Sends headers and half a JSON body, then destroys the socket (cut_stream on a non-streaming call). */
export async function writeTruncatedJson(res: ServerResponse, body: unknown): Promise<void> {
  const text = JSON.stringify(body);
  res.writeHead(200, { 'content-type': 'application/json' });
  await writeFlushed(res, text.slice(0, Math.floor(text.length / 2)));
  res.destroy();
}

/** Sends a complete JSON response with the given status. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}
