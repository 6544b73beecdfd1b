import { SocketModeReceiver, type Logger as BoltLogger, type Receiver } from '@slack/bolt';
import type { Logger } from '../logger.ts';
import { guardSocketEnvelopes } from './socket-envelopes.ts';

/**
 * Bolt's SocketModeReceiver, with two changes:
 * - `apps.connections.open` goes to `apiUrl`: the receiver's own SocketModeClient builds its
 *   WebClient from `installerOptions.clientOptions` only (Bolt's own path for `socketMode: true`;
 *   the OAuth installer that reads it too needs a clientId, which we never pass). Replacing
 *   `receiver.client` instead would lose the event listener the constructor attaches to it.
 * - messages on the socket that are no envelope Bolt can handle are acknowledged and logged once
 *   (socket-envelopes.ts), instead of throwing inside the client or waiting for Slack's retries.
 * - `stop()` resolves once the WebSocket is closed, not right after asking it to close, so the
 *   service cannot shut the database down while commands still arrive. @slack/socket-mode bounds
 *   the close handshake (30 s), so this cannot hang for ever.
 * @see https://docs.slack.dev/apis/events-api/using-socket-mode
 */
export function createSocketModeReceiver(
  appToken: string,
  apiUrl: string | undefined,
  logger: BoltLogger,
  guard: { readonly logger: Logger; readonly onRefused?: ((reason: string) => void) | undefined },
): Receiver {
  const receiver = new SocketModeReceiver({
    appToken,
    logger,
    // A fresh object: SocketModeClient writes its reconnect retryConfig into it.
    installerOptions: { clientOptions: apiUrl === undefined ? {} : { slackApiUrl: apiUrl } },
  });
  guardSocketEnvelopes(receiver.client, guard.logger, guard.onRefused);
  return {
    init: (app) => {
      receiver.init(app);
    },
    start: () => receiver.start(),
    stop: async () => {
      // 'disconnected' is emitted on every path out of disconnect(), also when never connected.
      const closed = new Promise<void>((resolve) => receiver.client.once('disconnected', () => resolve()));
      await receiver.stop();
      await closed;
    },
  };
}
