/**
 * Loopback fake of Slack's Socket Mode WebSocket server, for the real
 * `@slack/socket-mode` client behind Bolt's SocketModeReceiver. Hand its `url`
 * to the Web API fake (`startFakeSlackApi({ socketUrl })`), which gives it out
 * from `apps.connections.open` with a fresh `ticket` and the `app_id`.
 *
 * On the wire it behaves as Slack does
 * (https://docs.slack.dev/apis/events-api/using-socket-mode): on connect it
 * sends `{ type: 'hello', num_connections, debug_info, connection_info }`;
 * deliveries are envelopes `{ envelope_id, type, payload,
 * accepts_response_payload }` that the app must acknowledge within 3 s with
 * `{ envelope_id, payload? }`; `{ type: 'disconnect', reason }` asks the app to
 * fetch a new URL and reconnect. Client pings are answered with pongs (`ws`
 * does that). Not faked: server pings, redelivery of unacknowledged envelopes,
 * rejecting unknown tickets.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { z } from 'zod';

/** What Slack delivers over Socket Mode (slash commands, interactivity, Events API). */
export type SocketEnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

/** One delivery as sent to the app. */
export interface SocketEnvelope {
  readonly envelope_id: string;
  readonly type: SocketEnvelopeType;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly accepts_response_payload: boolean;
}

/** The app's acknowledgement of an envelope; `payload` is what Bolt's `ack(…)` was given. */
export interface SocketAck {
  readonly envelope_id: string;
  readonly payload?: Readonly<Record<string, unknown>>;
}

/** How a connection ended: 1000 with a close frame when the app closed it cleanly, 1006 when it just dropped. */
export interface SocketClose {
  readonly code: number;
  readonly reason: string;
}

/** One WebSocket connection the app opened. */
export interface SocketConnection {
  /** 1, 2, … in connection order. */
  readonly id: number;
  /** The request path and query, e.g. `/link/?ticket=…&app_id=…`. */
  readonly path: string;
  /** The `ticket` the app connected with (from its `apps.connections.open` answer). */
  readonly ticket: string | undefined;
  /** Resolves when the connection has closed, by either side. */
  readonly closed: Promise<SocketClose>;
  isOpen(): boolean;
}

/** Options of {@link FakeSlackSocket.send}. */
export interface SendOptions {
  /** Default: the newest open connection. */
  readonly connection?: SocketConnection;
  /** Default true for slash commands and interactions, false for Events API deliveries, as Slack sends them. */
  readonly acceptsResponsePayload?: boolean;
  /** How long the app has to acknowledge. Default 3000 ms, Slack's limit. */
  readonly ackTimeoutMs?: number;
}

/** A running fake Socket Mode server. */
export interface FakeSlackSocket {
  /** `ws://127.0.0.1:PORT/link/`: give it to the Web API fake as `socketUrl`. */
  readonly url: string;
  /** Every connection so far, oldest first. */
  readonly connections: readonly SocketConnection[];
  /** Every envelope delivered, in order. */
  readonly envelopes: readonly SocketEnvelope[];
  /** The envelope ids named to {@link FakeSlackSocket.sendRaw}, in order. */
  readonly rawEnvelopeIds: readonly string[];
  /** Every well-formed acknowledgement, in arrival order. */
  readonly acks: readonly SocketAck[];
  /** Every message the app sent, parsed (`{ unparsable }` for non-JSON), in arrival order. */
  readonly received: readonly unknown[];
  /** Resolves with the `count`-th connection once it is open and greeted (hello sent). */
  connection(count: number, timeoutMs?: number): Promise<SocketConnection>;
  /** Delivers an envelope and resolves with it and the app's acknowledgement; rejects when no ack comes in time. */
  send(
    type: SocketEnvelopeType,
    payload: Readonly<Record<string, unknown>>,
    options?: SendOptions,
  ): Promise<{ envelope: SocketEnvelope; ack: SocketAck }>;
  /**
   * Sends `text` as it is (a malformed envelope, say) on the newest open connection; resolves with
   * the acknowledgement of `envelopeId` when one is named and comes within `ackTimeoutMs`.
   */
  sendRaw(text: string, envelopeId?: string, ackTimeoutMs?: number): Promise<SocketAck | undefined>;
  /** Sends `{ type: 'disconnect', reason }` on a connection (default: the newest open one). */
  requestDisconnect(reason?: 'refresh_requested' | 'warning' | 'link_disabled', connection?: SocketConnection): void;
  /** Drops every connection and stops listening. */
  close(): Promise<void>;
}

interface LiveConnection extends SocketConnection {
  readonly socket: WebSocket;
}

const HOST = 'applink-fake-1';

function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`fake Slack socket: ${what} within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** An acknowledgement as Slack accepts it; anything else counts as no ack. */
const ackSchema = z.object({ envelope_id: z.string().min(1), payload: z.record(z.string(), z.unknown()).optional() });

function textOf(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  return (Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data)).toString('utf8');
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { unparsable: text };
  }
}

/** Starts a Socket Mode server on 127.0.0.1 with an ephemeral port. */
export async function startFakeSlackSocket(): Promise<FakeSlackSocket> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const connections: LiveConnection[] = [];
  const envelopes: SocketEnvelope[] = [];
  const acks: SocketAck[] = [];
  const rawEnvelopeIds: string[] = [];
  const received: unknown[] = [];
  const ackWaiters = new Map<string, (ack: SocketAck) => void>();
  const connectionWaiters: (() => void)[] = [];
  const notifyConnections = () => {
    for (const wake of connectionWaiters.splice(0)) wake();
  };

  server.on('connection', (socket, request) => {
    const path = request.url ?? '/';
    const query = new URL(path, 'ws://fake').searchParams;
    const closed = new Promise<SocketClose>((resolve) => {
      socket.once('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') }));
    });
    const connection: LiveConnection = {
      id: connections.length + 1,
      path,
      ticket: query.get('ticket') ?? undefined,
      closed,
      socket,
      isOpen: () => socket.readyState === socket.OPEN,
    };
    connections.push(connection);
    socket.on('message', (data) => {
      const message = parse(textOf(data));
      received.push(message);
      const ack = ackSchema.safeParse(message);
      if (!ack.success) return;
      acks.push(ack.data);
      ackWaiters.get(ack.data.envelope_id)?.(ack.data);
      ackWaiters.delete(ack.data.envelope_id);
    });
    socket.send(
      JSON.stringify({
        type: 'hello',
        num_connections: connections.filter((live) => live.isOpen()).length,
        debug_info: { host: HOST, build_number: 1, approximate_connection_time: 18_060 },
        connection_info: { app_id: query.get('app_id') ?? '' },
      }),
    );
    notifyConnections();
  });

  const newestOpen = (): LiveConnection => {
    const live = connections.findLast((connection) => connection.isOpen());
    if (live === undefined) throw new Error('fake Slack socket: no open connection');
    return live;
  };
  const liveOf = (connection: SocketConnection | undefined): LiveConnection => {
    if (connection === undefined) return newestOpen();
    const live = connections.find((candidate) => candidate.id === connection.id);
    if (live === undefined) throw new Error(`fake Slack socket: unknown connection ${connection.id}`);
    return live;
  };

  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/link/`,
    connections,
    envelopes,
    rawEnvelopeIds,
    acks,
    received,
    connection: (count, timeoutMs = 10_000) => {
      const found = () => connections[count - 1];
      const waited = new Promise<SocketConnection>((resolve) => {
        const check = () => {
          const connection = found();
          if (connection === undefined) connectionWaiters.push(check);
          else resolve(connection);
        };
        check();
      });
      return withTimeout(waited, timeoutMs, `connection ${count} did not open`);
    },
    send: async (type, payload, options = {}) => {
      const live = liveOf(options.connection);
      const envelope: SocketEnvelope = {
        envelope_id: randomUUID(),
        type,
        payload,
        accepts_response_payload: options.acceptsResponsePayload ?? type !== 'events_api',
      };
      const acked = new Promise<SocketAck>((resolve) => ackWaiters.set(envelope.envelope_id, resolve));
      envelopes.push(envelope);
      live.socket.send(JSON.stringify(envelope));
      try {
        const ack = await withTimeout(
          acked,
          options.ackTimeoutMs ?? 3_000,
          `envelope ${envelope.envelope_id} (${type}) was not acknowledged`,
        );
        return { envelope, ack };
      } finally {
        ackWaiters.delete(envelope.envelope_id);
      }
    },
    sendRaw: async (text, envelopeId, ackTimeoutMs = 3_000) => {
      const acked =
        envelopeId === undefined ? undefined : new Promise<SocketAck>((resolve) => ackWaiters.set(envelopeId, resolve));
      newestOpen().socket.send(text);
      if (acked === undefined || envelopeId === undefined) return undefined;
      rawEnvelopeIds.push(envelopeId);
      try {
        return await withTimeout(acked, ackTimeoutMs, `envelope ${envelopeId} was not acknowledged`);
      } finally {
        ackWaiters.delete(envelopeId);
      }
    },
    requestDisconnect: (reason = 'refresh_requested', connection) => {
      liveOf(connection).socket.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: HOST } }));
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const connection of connections) connection.socket.terminate();
        server.close(() => resolve());
      }),
  };
}
