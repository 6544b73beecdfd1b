import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { ActivityHandler, CloudAdapter, Request as BotRequest, Response as BotResponse } from 'botbuilder';
import { z } from 'zod';
import { sendJson } from '../http/json-response.ts';
import { BodyTooLarge, readBody, sendTooLarge } from '../http/read-body.ts';
import type { Logger } from '../logger.ts';

/** Teams activities are small; anything far bigger is not one. */
export const MAX_ACTIVITY_BYTES = 1024 * 1024;

/** The fields every activity we handle must have: checked first, so a malformed one gets 400, not a later 500. */
export const incomingActivitySchema = z.looseObject({
  type: z.string().min(1),
  id: z.string().min(1).optional(),
  channelId: z.string().min(1),
  serviceUrl: z.url({ protocol: /^https?$/u }),
  from: z.looseObject({ id: z.string().min(1) }),
  recipient: z.looseObject({ id: z.string().min(1) }),
  conversation: z.looseObject({ id: z.string().min(1) }),
  text: z.string().optional(),
  name: z.string().optional(),
  locale: z.string().optional(),
});

/** botbuilder's Express-like response over node:http: status, headers, one body, end. */
function botResponse(res: ServerResponse): BotResponse {
  let status = 200;
  let body: unknown;
  return {
    socket: res.socket,
    status(code: number) {
      status = code;
      return this;
    },
    header(name: string, value: unknown) {
      res.setHeader(name, String(value));
      return this;
    },
    send(value: unknown) {
      body = value;
      return this;
    },
    end() {
      if (res.headersSent) return;
      if (body === undefined) {
        res.writeHead(status).end();
      } else if (typeof body === 'string' || Buffer.isBuffer(body)) {
        res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(body);
      } else {
        sendJson(res, status, body as object);
      }
    },
  };
}

/**
 * POST /api/messages on plain node:http: the body read with a size cap, checked against
 * {@link incomingActivitySchema} (400 otherwise), then handed to `adapter.process`, which
 * authenticates it (401 without a valid token when an app id is configured) and answers.
 */
export function teamsRequestListener(deps: {
  adapter: CloudAdapter;
  bot: ActivityHandler;
  logger: Logger;
}): RequestListener {
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    let raw: string;
    try {
      raw = (await readBody(req, MAX_ACTIVITY_BYTES)).toString('utf8');
    } catch (error) {
      if (error instanceof BodyTooLarge) return sendTooLarge(res, 'activity too large');
      throw error;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      deps.logger.warn('Teams request with malformed JSON refused');
      return sendJson(res, 400, { error: 'malformed JSON' });
    }
    const activity = incomingActivitySchema.safeParse(parsed);
    if (!activity.success) {
      deps.logger.warn(
        { issues: activity.error.issues.map((issue) => issue.path.join('.')) },
        'malformed Teams activity refused',
      );
      return sendJson(res, 400, { error: 'malformed activity' });
    }
    const request: BotRequest = { body: activity.data, headers: req.headers, method: req.method ?? 'POST' };
    await deps.adapter.process(request, botResponse(res), (context) => deps.bot.run(context));
  };
  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      deps.logger.error({ err: error }, 'Teams request failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
    });
  };
}
