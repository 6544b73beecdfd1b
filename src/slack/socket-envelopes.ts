import type { SocketModeReceiver } from '@slack/bolt';
import { z } from 'zod';
import type { Logger } from '../logger.ts';
import { INTERACTION_TYPES } from './verified-requests.ts';

/** Messages of the connection itself, not envelopes: passed on as they are. */
const controlSchema = z.looseObject({ type: z.enum(['hello', 'disconnect']) });
const envelopeId = z.string().min(1);
const named = z.looseObject({ type: z.string().min(1) });

/** The envelopes Bolt can handle: anything else would throw inside the client or never be acknowledged. */
const envelopeSchema = z.discriminatedUnion('type', [
  z.looseObject({
    type: z.literal('events_api'),
    envelope_id: envelopeId,
    payload: z.looseObject({ event: named }),
  }),
  z.looseObject({
    type: z.literal('slash_commands'),
    envelope_id: envelopeId,
    payload: z.looseObject({ command: z.string().min(1) }),
  }),
  z.looseObject({
    type: z.literal('interactive'),
    envelope_id: envelopeId,
    payload: z.looseObject({ type: z.string().refine((type) => INTERACTION_TYPES.has(type)) }),
  }),
]);

/**
 * The client's own acknowledgement (`send(envelopeId)`, what Bolt's `ack()` calls; typed private,
 * present in every release). Best effort: a closed socket means Slack delivers it again.
 */
function acknowledge(client: object, id: string): void {
  const { send } = client as { send?: (envelopeId: string) => Promise<void> };
  if (typeof send === 'function') send.call(client, id).catch(() => undefined);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Socket Mode's counterpart of the HTTP checks: a message on the socket that is no envelope Bolt
 * can handle (not JSON, an Events API envelope without its event, a payload of no known kind)
 * is acknowledged when it has an envelope id, so Slack does not deliver it again, and logged as
 * one warning line. @slack/socket-mode would otherwise throw on some of them inside its message
 * handler (an unhandled rejection) and leave others unacknowledged until Slack gives up.
 */
export function guardSocketEnvelopes(
  client: SocketModeReceiver['client'],
  logger: Pick<Logger, 'warn'>,
  onRefused?: (reason: 'malformed envelope') => void,
): void {
  // The client's own handler of the WebSocket's messages ('ws_message'), kept and called for good ones.
  const handlers = client.listeners('ws_message') as ((data: unknown, isBinary: boolean) => unknown)[];
  client.removeAllListeners('ws_message');
  client.on('ws_message', (data: string | ArrayBuffer, isBinary: boolean) => {
    const pass = () => {
      for (const handler of handlers) void handler.call(client, data, isBinary);
    };
    if (isBinary) return pass();
    const text = typeof data === 'string' ? data : new TextDecoder().decode(data);
    const message = parseJson(text);
    if (controlSchema.safeParse(message).success || envelopeSchema.safeParse(message).success) return pass();
    const id = envelopeId.safeParse((message as { envelope_id?: unknown } | undefined)?.envelope_id);
    const type = named.safeParse(message);
    logger.warn(
      { envelopeType: type.success ? type.data.type : undefined, acknowledged: id.success, bytes: text.length },
      'malformed Slack Socket Mode envelope refused',
    );
    onRefused?.('malformed envelope');
    if (id.success) acknowledge(client, id.data);
  });
}
