import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { isValidSlackRequest } from '@slack/bolt';
import { sendJson } from '../http/json-response.ts';
import { BodyTooLarge, readBody, sendTooLarge } from '../http/read-body.ts';
import type { Logger } from '../logger.ts';
import type { ReplayGuard } from './replay-guard.ts';

/** Slack's requests are small (a view submission of our form is ~20 KB); Bolt's own cap is 4 MB. */
export const MAX_SLACK_BODY_BYTES = 1024 * 1024;

const header = (req: IncomingMessage, name: string) => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * In front of Bolt's request listener on /slack/events: reads the body (413 past the cap),
 * checks Slack's signature and timestamp, and refuses a signed request seen before (401). Only
 * verified requests reach the replay guard, so unsigned traffic cannot fill its memory. Bolt
 * gets the body it would have read (`rawBody`) and verifies again; requests that fail here
 * (and Slack's unsigned ssl_check) go to Bolt unchanged, which answers them as it always does.
 */
export function verifiedSlackRequests(
  listener: RequestListener,
  options: { readonly signingSecret: string; readonly replay: ReplayGuard; readonly logger: Logger },
): RequestListener {
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    let body: Buffer;
    try {
      body = await readBody(req, MAX_SLACK_BODY_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLarge) return sendTooLarge(res, 'request too large');
      options.logger.warn({ err: error }, 'Slack request body could not be read');
      if (!res.headersSent) sendJson(res, 400, { error: 'unreadable request' });
      return;
    }
    const signature = header(req, 'x-slack-signature');
    const verified =
      signature !== undefined &&
      isValidSlackRequest({
        signingSecret: options.signingSecret,
        body: body.toString('utf8'),
        headers: {
          'x-slack-signature': signature,
          'x-slack-request-timestamp': Number(header(req, 'x-slack-request-timestamp')),
        },
      });
    if (verified && !options.replay.admit(signature)) {
      options.logger.warn('replayed Slack request refused');
      return sendJson(res, 401, { error: 'replayed request' });
    }
    // Bolt reads a body that is already there instead of the (consumed) stream.
    Object.assign(req, { rawBody: body });
    listener(req, res);
  };
  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.logger.error({ err: error }, 'Slack request failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
    });
  };
}
