import { SocketModeReceiver, type Logger as BoltLogger, type Receiver } from '@slack/bolt';

/**
 * Bolt's SocketModeReceiver, with two changes:
 * - `apps.connections.open` goes to `apiUrl`: the receiver's own SocketModeClient builds its
 *   WebClient from `installerOptions.clientOptions` only (Bolt's own path for `socketMode: true`;
 *   the OAuth installer that reads it too needs a clientId, which we never pass). Replacing
 *   `receiver.client` instead would lose the event listener the constructor attaches to it.
 * - `stop()` resolves once the WebSocket is closed, not right after asking it to close, so the
 *   service cannot shut the database down while commands still arrive. @slack/socket-mode bounds
 *   the close handshake (30 s), so this cannot hang for ever.
 * @see https://docs.slack.dev/apis/events-api/using-socket-mode
 */
export function createSocketModeReceiver(appToken: string, apiUrl: string | undefined, logger: BoltLogger): Receiver {
  const receiver = new SocketModeReceiver({
    appToken,
    logger,
    // A fresh object: SocketModeClient writes its reconnect retryConfig into it.
    installerOptions: { clientOptions: apiUrl === undefined ? {} : { slackApiUrl: apiUrl } },
  });
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
