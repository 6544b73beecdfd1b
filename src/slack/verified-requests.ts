import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { sendJson } from '../http/json-response.ts';
import { BodyTooLarge, readBody, sendTooLarge } from '../http/read-body.ts';
import type { Logger } from '../logger.ts';
import { z } from 'zod';
import type { ReplayGuard } from './replay-guard.ts';
import { createSlackSignatureCheck } from './slack-signature.ts';

/** Slack's requests are small (a view submission of our form is ~20 KB); Bolt's own cap is 4 MB. */
export const MAX_SLACK_BODY_BYTES = 1024 * 1024;

const header = (req: IncomingMessage, name: string) => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

const typed = z.looseObject({ type: z.string().min(1) });
const eventCallbackSchema = z.looseObject({ type: z.literal('event_callback'), event: typed });
const EVENT_TYPES = new Set(['url_verification', 'app_rate_limited']);
/** The interaction payloads Bolt routes to listeners. */
export const INTERACTION_TYPES = new Set([
  'block_actions',
  'block_suggestion',
  'view_submission',
  'view_closed',
  'shortcut',
  'message_action',
  'interactive_message',
  'dialog_submission',
  'dialog_cancellation',
  'dialog_suggestion',
  'workflow_step_edit',
]);

/**
 * Whether a verified body is a request Slack sends here: a slash command (form with `command`),
 * an interaction (form with a JSON `payload` that has a `type`), or an Events API callback (JSON
 * with a known `type`). Bolt would wait 3 seconds on anything else and answer 404 with an error.
 */
export function isSlackRequestShape(body: string, contentType: string | undefined): boolean {
  try {
    if (contentType?.startsWith('application/json') === true) {
      const json: unknown = JSON.parse(body);
      const parsed = typed.safeParse(json);
      return parsed.success && (EVENT_TYPES.has(parsed.data.type) || eventCallbackSchema.safeParse(json).success);
    }
    const form = new URLSearchParams(body);
    if (form.has('command') || form.has('ssl_check')) return true;
    const payload = typed.safeParse(JSON.parse(form.get('payload') ?? 'null'));
    return payload.success && INTERACTION_TYPES.has(payload.data.type);
  } catch {
    return false;
  }
}

/** Slack's SSL check: a form body with `ssl_check`, sent unsigned. */
const isSslCheck = (body: string, contentType: string | undefined) =>
  contentType?.startsWith('application/x-www-form-urlencoded') === true && new URLSearchParams(body).has('ssl_check');

/**
 * In front of Bolt's request listener on /slack/events: reads the body (413 past the cap),
 * checks Slack's signature and timestamp (401 when missing, wrong or stale), and refuses a signed
 * request seen before (401). Only verified requests reach the replay guard, so unsigned traffic
 * cannot fill its memory. Bolt gets the body already read (`rawBody`) and, its own verification
 * switched off (slack-app.ts), does not verify it a second time; Slack's unsigned ssl_check goes
 * to Bolt, which answers it.
 */
export function verifiedSlackRequests(
  listener: RequestListener,
  options: {
    readonly signingSecret: string;
    readonly replay: ReplayGuard;
    readonly logger: Logger;
    /** Told of every request refused as a client fault (metrics). */
    readonly onRefused?: ((reason: 'too large' | 'signature' | 'replay' | 'unrecognised request') => void) | undefined;
  },
): RequestListener {
  const signed = createSlackSignatureCheck(options.signingSecret);
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    let body: Buffer;
    try {
      body = await readBody(req, MAX_SLACK_BODY_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        options.onRefused?.('too large');
        return sendTooLarge(res, 'request too large');
      }
      options.logger.warn({ err: error }, 'Slack request body could not be read');
      if (!res.headersSent) sendJson(res, 400, { error: 'unreadable request' });
      return;
    }
    const signature = header(req, 'x-slack-signature');
    const verified = signed(body, signature, header(req, 'x-slack-request-timestamp'));
    const text = body.toString('utf8');
    if (!verified) {
      // Slack's own unsigned ssl_check goes to Bolt, which answers it; anything else unsigned is refused here.
      if (!isSslCheck(text, header(req, 'content-type'))) {
        options.logger.warn('Slack request with a missing, wrong or stale signature refused');
        options.onRefused?.('signature');
        return sendJson(res, 401, { error: 'invalid signature' });
      }
    } else if (!options.replay.admit(signature)) {
      options.logger.warn('replayed Slack request refused');
      options.onRefused?.('replay');
      return sendJson(res, 401, { error: 'replayed request' });
    }
    if (verified && !isSlackRequestShape(text, header(req, 'content-type'))) {
      options.logger.warn('signed Slack request of no known kind refused');
      options.onRefused?.('unrecognised request');
      return sendJson(res, 400, { error: 'not a slash command, interaction or event' });
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
