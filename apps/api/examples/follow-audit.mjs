// Follows an audit over a GraphQL subscription (graphql-ws) until it completes:
//   node apps/api/examples/follow-audit.mjs <auditId> [API-URL]
// API-URL defaults to $MMREPLAY_API, then http://127.0.0.1:3000; the token is $TOKEN.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [auditId, apiArg] = process.argv.slice(2);
if (!auditId) {
  console.error('usage: node apps/api/examples/follow-audit.mjs <auditId> [API-URL]   (TOKEN in the environment)');
  process.exit(2);
}
const api = (apiArg ?? process.env.MMREPLAY_API ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');
const url = `${api.replace(/^http/, 'ws')}/graphql`;
const client = createClient({
  url,
  webSocketImpl: WebSocket,
  connectionParams: { authorization: `Bearer ${process.env.TOKEN}` },
  retryAttempts: 0,
});

const query = `subscription ($id: ID!) {
  auditEvents(id: $id) { type audit { status verdict progress { states transitions } counterexample { runId step invariant } } }
}`;

/** One line for a failure: GraphQL errors (an array), a refused connection (an Error or Event), a closed one (a CloseEvent). */
const describe = (e) =>
  Array.isArray(e)
    ? e.map((x) => `${x.extensions?.code ? `${x.extensions.code}: ` : ''}${x.message}`).join('; ')
    : (e?.message ?? (e?.code ? `closed (${e.code}${e.reason ? `: ${e.reason}` : ''})` : (e?.error?.message ?? e?.type ?? String(e))));

try {
  await new Promise((resolve, reject) =>
    client.subscribe(
      { query, variables: { id: auditId } },
      {
        next: ({ data, errors }) => {
          if (errors) return reject(new Error(errors.map((e) => `${e.extensions?.code}: ${e.message}`).join('; ')));
          const { type, audit } = data.auditEvents;
          console.log(
            type,
            audit.status,
            audit.verdict ?? '',
            audit.progress ? `${audit.progress.states} states` : '',
            audit.counterexample ? `counterexample run ${audit.counterexample.runId}` : '',
          );
        },
        error: reject,
        complete: resolve,
      },
    ),
  );
} catch (e) {
  console.error(`follow-audit: ${url}: ${describe(e)}`);
  process.exitCode = 1;
} finally {
  await client.dispose();
}
