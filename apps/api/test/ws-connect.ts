import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

/** Whether a graphql-ws connection to the API at `url` with `token` is accepted (no retries). */
export function wsConnects(url: string, token: string): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const client = createClient({
      url: url.replace(/^http/, 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
      lazy: false,
      onNonLazyError: () => resolve(false),
    });
    client.on('connected', () => {
      resolve(true);
      void client.dispose();
    });
    client.on('closed', () => resolve(false));
  });
}
