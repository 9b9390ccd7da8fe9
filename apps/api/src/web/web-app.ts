import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Where `vite build` writes apps/web (from apps/api/dist/web/ or apps/api/src/web/). */
export const WEB_DIST = join(dirname(fileURLToPath(import.meta.url)), '../../../web/dist');

// Paths that are never the web app, even when a browser asks for HTML: the OpenAPI page is HTML
// of its own, GraphQL and the problem documents answer themselves.
const NOT_THE_APP = /^\/(docs|graphql|problems|health|assets)(\/|$)/;

/**
 * A browser's navigation (GET, `Accept: text/html`) gets the web app's page: its routes are the
 * API's own paths (`/runs/<id>?step=N` is the link a teammate opens), and the page then asks the
 * API for JSON with a token. Requests from the page and from every other client never ask for
 * HTML, so they reach the API as before.
 */
export function wantsWebApp(request: Pick<FastifyRequest, 'method' | 'url' | 'headers'>): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const path = request.url.split('?')[0];
  if (NOT_THE_APP.test(path)) return false;
  return path === '/' || /\btext\/html\b/.test(String(request.headers.accept ?? ''));
}

/**
 * Serves the built web app on the API's origin: `/assets/*` (content-hashed, cached for a year)
 * and `index.html` for a browser's navigation. Without a build (`apps/web/dist`), nothing is added.
 */
export async function serveWebApp(fastify: FastifyInstance, dir = WEB_DIST): Promise<boolean> {
  if (!existsSync(join(dir, 'index.html'))) return false;
  await fastify.register(fastifyStatic, { root: join(dir, 'assets'), prefix: '/assets/', immutable: true, maxAge: '365d', index: false, wildcard: true });
  fastify.addHook('onRequest', async (request, reply) => {
    if (!wantsWebApp(request)) return;
    // the page itself is never cached: a rebuilt app is picked up at the next load
    await reply.header('Cache-Control', 'no-cache').sendFile('index.html', dir, { maxAge: 0, immutable: false });
    return reply;
  });
  return true;
}
