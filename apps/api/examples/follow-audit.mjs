// Follows an audit over a GraphQL subscription (graphql-ws) until it completes:
//   node apps/api/examples/follow-audit.mjs <auditId>      (TOKEN and, optionally, MMREPLAY_API in the environment)
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [auditId] = process.argv.slice(2);
const api = process.env.MMREPLAY_API ?? 'http://127.0.0.1:3000';
const client = createClient({
  url: `${api.replace(/^http/, 'ws')}/graphql`,
  webSocketImpl: WebSocket,
  connectionParams: { authorization: `Bearer ${process.env.TOKEN}` },
});

const query = `subscription ($id: ID!) {
  auditEvents(id: $id) { type audit { status verdict progress { states transitions } counterexample { runId step invariant } } }
}`;

await new Promise((resolve, reject) =>
  client.subscribe(
    { query, variables: { id: auditId } },
    {
      next: ({ data, errors }) => {
        if (errors) return reject(new Error(errors.map((e) => `${e.extensions?.code}: ${e.message}`).join('; ')));
        const { type, audit } = data.auditEvents;
        console.log(type, audit.status, audit.verdict ?? '', audit.progress ? `${audit.progress.states} states` : '', audit.counterexample ? `counterexample run ${audit.counterexample.runId}` : '');
      },
      error: reject,
      complete: resolve,
    },
  ),
);
await client.dispose();
