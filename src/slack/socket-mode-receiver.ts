import { SocketModeReceiver, type Logger as BoltLogger, type Receiver } from '@slack/bolt';

/**
 * Bolt's SocketModeReceiver, with two changes:
 *
 * - `apps.connections.open` goes to `apiUrl`. SocketModeReceiver builds its own SocketModeClient,
 *   whose WebClient reads only `installerOptions.clientOptions`; that is the path Bolt itself takes
 *   for `new App({ socketMode: true, clientOptions })`. The installer (OAuth) that also reads it is
 *   created only with clientId and clientSecret, which we never pass. Setting `receiver.client` to
 *   a client of our own instead would lose the event listener the constructor attaches to it.
 * - `stop()` resolves once the WebSocket is closed. Bolt's stop() returns right after asking
 *   the socket to close, so the service would shut the database down while commands could still
 *   arrive. @slack/socket-mode bounds the close handshake (30 s), so this cannot hang for ever.
 *
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
