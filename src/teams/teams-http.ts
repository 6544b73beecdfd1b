import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { CloudAdapter, type Activity, type ActivityHandler, type InvokeResponse, type TurnContext } from 'botbuilder';
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

/** What Bot Framework signs its tokens with; anything else (`alg: none` above all) is not one of its tokens. */
const TOKEN_ALGORITHMS = new Set(['RS256', 'RS384', 'RS512']);
const BEARER = /^Bearer ([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]*)$/u;
const tokenHeaderSchema = z.looseObject({ alg: z.string(), kid: z.string().min(1).optional() });

/**
 * Why an Authorization header cannot carry a Bot Framework token, checked before botbuilder sees
 * it: no bearer JWT, an unreadable header, or an algorithm Bot Framework never signs with. This
 * refuses forged and garbage tokens at once, without botbuilder fetching signing keys for them.
 */
export function tokenProblem(authorization: string | undefined): Refusal | undefined {
  const match = BEARER.exec(authorization ?? '');
  if (match === null) return { kind: 'no bearer JWT' };
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(match[1] ?? '', 'base64url').toString('utf8'));
  } catch {
    return { kind: 'unreadable token header' };
  }
  const parsed = tokenHeaderSchema.safeParse(header);
  if (!parsed.success) return { kind: 'unreadable token header' };
  const { alg } = parsed.data;
  return TOKEN_ALGORITHMS.has(alg) ? undefined : { kind: 'token algorithm', detail: alg.slice(0, 16) };
}

/** Why a request was refused: a fixed kind (a metric label) and what the client sent (logged only). */
export interface Refusal {
  readonly kind:
    | 'malformed JSON'
    | 'malformed activity'
    | 'too large'
    | 'no bearer JWT'
    | 'unreadable token header'
    | 'token algorithm'
    | 'not authenticated';
  readonly detail?: string;
}

/** The status an authentication failure asks for (botbuilder's AuthenticationError carries 401), else undefined. */
function refusalStatus(error: unknown): 401 | 403 | undefined {
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  return status === 401 || status === 403 ? status : undefined;
}

/**
 * botbuilder's CloudAdapter with its activity processing in reach: we answer HTTP ourselves
 * (its `process` answers every failure but AuthenticationError with 500 and prints the stack).
 */
export class PlanAdapter extends CloudAdapter {
  /** Authenticates the activity with the request's Authorization header and runs the turn. */
  processIncoming(
    authorization: string,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    return this.processActivity(authorization, activity, logic);
  }
}

function sendInvokeResponse(res: ServerResponse, status: number, body: unknown): void {
  if (body === undefined || body === null) res.writeHead(status).end();
  else if (typeof body === 'string') res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(body);
  else sendJson(res, status, body);
}

export interface TeamsListenerDeps {
  readonly adapter: PlanAdapter;
  readonly bot: ActivityHandler;
  readonly logger: Logger;
  /** Whether tokens are checked (an app id is configured): then a request without a plausible one is refused first. */
  readonly authenticated: boolean;
  /** Told of every refused request (metrics). */
  readonly onRefused?: ((kind: Refusal['kind']) => void) | undefined;
}

/**
 * POST /api/messages on plain node:http: the body read with a size cap, checked against
 * {@link incomingActivitySchema} (400 otherwise), the token's form checked (401), then the
 * activity handed to botbuilder, which authenticates it (401) and runs the turn. Refusals are
 * client faults: the status they ask for and one warning line, never a 500 or a stack trace.
 */
export function teamsRequestListener(deps: TeamsListenerDeps): RequestListener {
  const refuse = (res: ServerResponse, status: number, refusal: Refusal) => {
    deps.logger.warn({ status, reason: refusal.kind, detail: refusal.detail }, 'Teams request refused');
    deps.onRefused?.(refusal.kind);
    sendJson(res, status, { error: status === 401 ? 'unauthorized' : status === 403 ? 'forbidden' : refusal.kind });
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    let raw: string;
    try {
      raw = (await readBody(req, MAX_ACTIVITY_BYTES)).toString('utf8');
    } catch (error) {
      if (!(error instanceof BodyTooLarge)) throw error;
      deps.logger.warn({ status: 413, reason: 'too large' }, 'Teams request refused');
      deps.onRefused?.('too large');
      return sendTooLarge(res, 'activity too large');
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return refuse(res, 400, { kind: 'malformed JSON' });
    }
    const activity = incomingActivitySchema.safeParse(parsed);
    if (!activity.success) {
      const fields = activity.error.issues.map((issue) => issue.path.join('.')).join(', ');
      return refuse(res, 400, { kind: 'malformed activity', detail: fields });
    }
    const authorization = req.headers.authorization;
    const problem = deps.authenticated ? tokenProblem(authorization) : undefined;
    if (problem !== undefined) return refuse(res, 401, problem);
    try {
      // The checked fields are Activity's; the rest passes through as Teams sent it.
      const incoming = activity.data as unknown as Activity;
      const invoke = await deps.adapter.processIncoming(authorization ?? '', incoming, (context) =>
        deps.bot.run(context),
      );
      sendInvokeResponse(res, invoke?.status ?? 200, invoke?.body);
    } catch (error) {
      const status = refusalStatus(error);
      if (status === undefined) throw error;
      refuse(res, status, {
        kind: 'not authenticated',
        detail: error instanceof Error ? error.message.slice(0, 120) : '',
      });
    }
  };
  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      deps.logger.error({ err: error }, 'Teams request failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
    });
  };
}
