import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { HttpException, Logger, type LogLevel } from '@nestjs/common';
import type { FastifyError } from 'fastify';
import { AppModule } from './app.module.js';
import type { ApiConfig } from './core/config.js';
import type { CoreOverrides } from './core/core.module.js';
import { GRAPHQL_PATH } from './graphql/graphql.options.js';
import { ProblemFilter, sendProblem } from './http/problem.filter.js';
import { toProblem } from './http/problem.js';
import { DOCS_PATH, OPENAPI_JSON, setupOpenApi } from './http/openapi.js';
import { serveWebApp } from './web/web-app.js';
import { IMPORT_PATH, NDJSON } from './runs/runs.controller.js';

const logger = new Logger('mmreplay');

export interface Server {
  app: NestFastifyApplication;
  /** e.g. `http://127.0.0.1:3000` */
  url: string;
  /** whether the built web app is served (at `url`) */
  web: boolean;
  close(): Promise<void>;
}

export interface ServerOptions extends CoreOverrides {
  logLevels?: LogLevel[] | false;
}

/** Builds, initialises and starts the API on `config.host:config.port` (port 0: any free port). */
export async function startServer(config: ApiConfig, options: ServerOptions = {}): Promise<Server> {
  const adapter = new FastifyAdapter({ bodyLimit: config.bodyLimit, logger: false, trustProxy: config.trustProxy as boolean | string });
  // Fastify's own errors (body over the limit, malformed JSON, unsupported media type) as problems.
  // Set before any route: Fastify binds a route to the error handler of the moment it is added,
  // and GraphQL's registration adds Nest's routes before Nest sets its own handler.
  const fastify = adapter.getInstance();
  fastify.setErrorHandler((error: FastifyError, request, reply) => {
    const mapped = typeof error.statusCode === 'number' && error.statusCode < 500 ? new HttpException(error.message, error.statusCode) : error;
    sendProblem(reply, {
      ...toProblem(mapped, (e) => logger.error(e instanceof Error ? (e.stack ?? e.message) : String(e))),
      instance: request.url.split('?')[0],
    });
  });
  // This handler is the one every route uses: Nest's (set later, and only for routes added later) is not needed.
  adapter.setErrorHandler = () => fastify;
  // JSON bodies nested deeper than MAX_JSON_DEPTH are refused (400) before parsing: validation and
  // class-transformer recurse over the body, and a few thousand levels overflow the stack (a 500).
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (jsonDepth(body as string) > MAX_JSON_DEPTH) {
      done(Object.assign(new Error(`the JSON body is nested deeper than ${MAX_JSON_DEPTH} levels`), { statusCode: 400 }), undefined);
      return;
    }
    parseJson(request, body as string, done);
  });
  // An exported run (one JSON event a line) is read as text by `POST /runs/import` alone, with its own limit.
  fastify.addContentTypeParser(NDJSON, { parseAs: 'string', bodyLimit: config.importLimit }, (request, body, done) => {
    if (request.url.split('?')[0] !== IMPORT_PATH)
      done(Object.assign(new Error(`${NDJSON} is accepted by POST ${IMPORT_PATH} only`), { statusCode: 415 }), undefined);
    else done(null, body);
  });
  // Scenario documents may be sent as YAML (POST /scenarios): the text goes to the document loader,
  // which parses it with its own limits (aliases, depth, size) and reports problems by path.
  fastify.addContentTypeParser(['application/yaml', 'application/x-yaml', 'text/yaml'], { parseAs: 'string' }, (request, body, done) => {
    if (request.url.split('?')[0] === '/scenarios') done(null, body);
    else done(Object.assign(new Error(`Unsupported Media Type: ${String(request.headers['content-type'])}`), { statusCode: 415 }), undefined);
  });
  // A GraphQL document nested deeper than MAX_GRAPHQL_DEPTH (a literal such as [[[[...]]]]) is
  // refused before graphql-js parses it: its parser recurses once per level and overflows the stack.
  fastify.addHook('preHandler', async (request, reply) => {
    if (request.url.split('?')[0] !== GRAPHQL_PATH) return;
    const body = request.body as { query?: unknown } | undefined;
    const query = request.method === 'GET' ? (request.query as { query?: unknown } | undefined)?.query : body?.query;
    if (typeof query !== 'string') return;
    // Parsing and validating cost time in proportion to the text: a document longer than any
    // real query (thousands of aliases) is refused before it is parsed.
    const refusal =
      query.length > MAX_GRAPHQL_LENGTH
        ? {
            message: `the query is ${query.length} characters long, more than the ${MAX_GRAPHQL_LENGTH} this server parses`,
            extensions: { code: 'QUERY_TOO_COSTLY', maxLength: MAX_GRAPHQL_LENGTH },
          }
        : graphqlDepth(query) > MAX_GRAPHQL_DEPTH
          ? { message: `the query nests deeper than ${MAX_GRAPHQL_DEPTH} levels`, extensions: { code: 'QUERY_TOO_DEEP' } }
          : undefined;
    if (!refusal) return;
    return reply
      .code(400)
      .type('application/json; charset=utf-8')
      .send({ data: null, errors: [refusal] });
  });

  // The web app (apps/web), when built, on this origin: a browser's navigation gets its page.
  const web = await serveWebApp(fastify);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, options), adapter, {
    logger: options.logLevels ?? ['error', 'warn'],
    abortOnError: false,
    // the JSON parser is ours (above: the depth limit); Nest would register fastify's default again
    bodyParser: false,
  });
  app.useGlobalFilters(new ProblemFilter());
  setupOpenApi(app);
  await app.listen(config.port, config.host);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return { app, url: `http://${host}:${port}`, web, close: () => app.close() };
}

/** How deeply a request's JSON body may nest arrays and objects. */
export const MAX_JSON_DEPTH = 128;

/** The nesting depth of JSON text (brackets outside strings), in one pass without parsing. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \\ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123 /* [ { */) {
      if (++depth > max) max = depth;
    } else if (c === 93 || c === 125) depth--;
  }
  return max;
}

/** The longest GraphQL document the server parses, in characters (the longest real query is a few KB). */
export const MAX_GRAPHQL_LENGTH = 50_000;

/** How deeply a GraphQL document may nest selections, lists, objects and arguments. */
export const MAX_GRAPHQL_DEPTH = 64;

/** The nesting depth of GraphQL text ({ [ ( outside strings and comments), in one pass. */
export function graphqlDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      if (text.startsWith('"""', i)) {
        const end = text.indexOf('"""', i + 3);
        i = end < 0 ? text.length : end + 2;
      } else {
        for (i++; i < text.length && text.charCodeAt(i) !== 34 && text.charCodeAt(i) !== 10; i++) if (text.charCodeAt(i) === 92) i++;
      }
    } else if (c === 35 /* # */) {
      while (i < text.length && text.charCodeAt(i) !== 10) i++;
    } else if (c === 91 || c === 123 || c === 40 /* [ { ( */) {
      if (++depth > max) max = depth;
    } else if (c === 93 || c === 125 || c === 41) depth--;
  }
  return max;
}

export function banner(url: string, store: string, web = false): string {
  const ws = url.replace(/^http/, 'ws');
  return [
    `mmreplay API listening on ${url}`,
    `  OpenAPI page:     ${url}/${DOCS_PATH}   (document: ${url}${OPENAPI_JSON})`,
    `  GraphQL:          ${url}${GRAPHQL_PATH}   (subscriptions: graphql-ws on ${ws}${GRAPHQL_PATH})`,
    ...(web ? [`  web app:          ${url}/`] : []),
    `  health:           ${url}/health/live, ${url}/health/ready`,
    `  event store:      ${store}`,
  ].join('\n');
}
