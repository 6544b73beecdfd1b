import type { LookupAddress, LookupOptions } from 'node:dns';
import { once } from 'node:events';
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { FetchTarget } from './fetch-target.ts';
import { portOf } from './spec-fetch-settings.ts';
import { SpecError, type DownloadFailure } from './spec-error.ts';

/** What one request brought back: a redirect to follow or the body of a 200. */
export type DownloadHop =
  | { readonly kind: 'redirect'; readonly location: string }
  | { readonly kind: 'body'; readonly bytes: Uint8Array; readonly contentType: string | undefined };

export interface DownloadContext {
  readonly maxBytes: number;
  readonly userAgent: string;
  /** Aborts the request and its body (the whole download's deadline, the caller's cancel). */
  readonly signal: AbortSignal;
  /** Extra trusted certificates (tests); certificate verification itself is never switched off. */
  readonly ca: string | Buffer | undefined;
  readonly source: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * A `lookup` that answers with the checked address whatever it is asked. Security: this pins the
 * connection (DNS rebinding between the check and the connect cannot move it), while the URL's
 * host still goes into the Host header, TLS SNI and the certificate check.
 */
export function pinnedLookup(address: string, family: 4 | 6): LookupFunction {
  return (_hostname: string, options: LookupOptions, callback) => {
    const answer: LookupAddress = { address, family };
    if (options.all === true) callback(null, [answer]);
    else callback(null, address, family);
  };
}

function requestOptions(target: FetchTarget, context: DownloadContext): RequestOptions {
  return {
    method: 'GET',
    hostname: target.hostname,
    port: portOf(target.url),
    path: `${target.url.pathname}${target.url.search}`,
    // No cookies, no Authorization: nothing of ours or the user's travels with the request.
    headers: {
      'user-agent': context.userAgent,
      accept: 'application/json, application/yaml, text/yaml, text/plain;q=0.9, */*;q=0.8',
      'accept-encoding': 'identity',
    },
    lookup: pinnedLookup(target.address, target.family),
    // Security: a fresh connection and agent per request. A keep-alive pool would hand out a
    // socket opened for another request (another check), and an agent made for us has no proxy.
    agent: false,
    signal: context.signal,
    ...(target.url.protocol === 'https:' ? { rejectUnauthorized: true } : {}),
    ...(target.url.protocol === 'https:' && context.ca !== undefined ? { ca: context.ca } : {}),
  };
}

/** One GET to the pinned address; redirects are returned, not followed. */
export async function downloadOnce(target: FetchTarget, context: DownloadContext): Promise<DownloadHop> {
  const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
  const request = send(requestOptions(target, context));
  // `once` below rejects on an error before the response; later ones arrive through the body.
  request.on('error', () => undefined);
  request.end();
  let response: IncomingMessage;
  try {
    [response] = (await once(request, 'response')) as [IncomingMessage];
  } catch (error) {
    throw failure(error, target, context);
  }
  try {
    return await readResponse(response, target, context);
  } finally {
    // Closes the connection whatever happened: a redirect's or an error's body is not read.
    request.destroy();
  }
}

async function readResponse(
  response: IncomingMessage,
  target: FetchTarget,
  context: DownloadContext,
): Promise<DownloadHop> {
  const status = response.statusCode ?? 0;
  const location = response.headers.location;
  if (REDIRECTS.has(status) && location !== undefined) return { kind: 'redirect', location };
  if (status !== 200 && status !== 203) throw new SpecError({ kind: 'download-status', status }, context.source);
  const encoding = response.headers['content-encoding']?.trim().toLowerCase();
  if (encoding !== undefined && encoding !== '' && encoding !== 'identity') {
    throw new SpecError({ kind: 'download-failed', host: target.hostname, reason: 'encoding' }, context.source);
  }
  const declared = Number(response.headers['content-length'] ?? Number.NaN);
  if (declared > context.maxBytes) {
    throw new SpecError({ kind: 'too-large', sizeBytes: declared, limitBytes: context.maxBytes }, context.source);
  }
  const bytes = await readBody(response, target, context);
  return { kind: 'body', bytes, contentType: response.headers['content-type'] };
}

/** The body, counted as it streams: a server that sends no Content-Length is cut off at the cap. */
async function readBody(response: IncomingMessage, target: FetchTarget, context: DownloadContext): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response as AsyncIterable<Buffer>) {
      size += chunk.byteLength;
      if (size > context.maxBytes) {
        const problem = { kind: 'too-large', sizeBytes: size, limitBytes: context.maxBytes, atLeast: true } as const;
        throw new SpecError(problem, context.source);
      }
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof SpecError) throw error;
    throw failure(error, target, context, 'truncated');
  }
  return new Uint8Array(Buffer.concat(chunks, size));
}

// Node's and OpenSSL's codes for certificate and handshake failures.
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_|EPROTO$)/u;

/** A failed request as a SpecError; an abort is passed on for fetch-spec.ts to name. */
function failure(
  error: unknown,
  target: FetchTarget,
  context: DownloadContext,
  fallback: DownloadFailure = 'connection',
) {
  if (context.signal.aborted) return error;
  const code = (error as { code?: unknown }).code;
  const reason: DownloadFailure = typeof code === 'string' && TLS_CODE.test(code) ? 'tls' : fallback;
  return new SpecError({ kind: 'download-failed', host: target.hostname, reason }, context.source, { cause: error });
}
