import type { MercuriusDriverConfig } from '@nestjs/mercurius';
import mercurius from 'mercurius';
import { GraphQLError, Kind, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { TeamService } from '@mmreplay/teams';
import { bearerToken } from '../http/auth.js';
import type { AuthFailures } from '../http/auth-failures.js';
import { ANONYMOUS_INTROSPECTION_BUDGET, operationCost } from './cost.rule.js';
import { costLimitRule } from './cost.rule.js';

export const GRAPHQL_PATH = '/graphql';

type ErrorJson = ReturnType<GraphQLError['toJSON']>;

/** Every GraphQL error carries `extensions.code`; nothing internal is said. */
function withCodes(errors: ErrorJson[], statusCode: number): ErrorJson[] {
  return errors.map((e) => {
    if (e.extensions?.code) return e;
    let code = 'INTERNAL';
    if (statusCode === 413) code = 'PAYLOAD_TOO_LARGE';
    else if (statusCode === 415) code = 'BAD_USER_INPUT';
    else if (/query depth limit/i.test(e.message)) code = 'QUERY_TOO_DEEP';
    else if (statusCode === 400 || /^(Variable|Argument|Unknown|Field|Cannot query|Expected|Syntax Error|Int cannot|String cannot)/.test(e.message))
      code = 'GRAPHQL_VALIDATION_FAILED';
    return { ...e, message: code === 'INTERNAL' ? 'internal error' : e.message, extensions: { ...e.extensions, code } };
  });
}

/**
 * Mercurius, code-first: the schema is built from the resolvers' classes. Queries and mutations
 * at POST/GET `/graphql`, subscriptions over graphql-ws on the same path (the token goes in the
 * `connection_init` payload: `{"authorization": "Bearer <token>"}`).
 */
export function graphqlOptions(teams: TeamService, failures: AuthFailures, limits: { maxDepth: number; maxCost: number }): MercuriusDriverConfig {
  return {
    hooks: {
      // Without a token nothing but introspection can be asked; allow only a glance at it.
      preValidation: (schema: GraphQLSchema, document: DocumentNode, context: { reply?: { request?: { headers?: Record<string, unknown> } } }) => {
        const token = bearerToken(context.reply?.request?.headers?.authorization);
        if (token && teams.authenticate(token)) return;
        for (const d of document.definitions) {
          if (d.kind !== Kind.OPERATION_DEFINITION) continue;
          const { introspection } = operationCost(schema, document, d, undefined);
          if (introspection > ANONYMOUS_INTROSPECTION_BUDGET) {
            const error = new GraphQLError(
              `introspection without a token is limited to cost ${ANONYMOUS_INTROSPECTION_BUDGET} (this query: ${introspection}); send a bearer token`,
              {
                extensions: { code: 'QUERY_TOO_COSTLY', cost: introspection, maxCost: ANONYMOUS_INTROSPECTION_BUDGET },
              },
            );
            // mercurius answers this as a validation failure: 400 with the error as given
            throw Object.assign(new Error('Graphql validation error'), { statusCode: 400, code: 'MER_ERR_GQL_VALIDATION', errors: [error] });
          }
        }
      },
    },
    autoSchemaFile: true,
    sortSchema: true,
    path: GRAPHQL_PATH,
    graphiql: false,
    // Field resolvers (state, trace, ...) answer their errors as typed errors too.
    fieldResolverEnhancers: ['filters'],
    queryDepth: limits.maxDepth,
    // The cost rule reads the variables, which a cached validation could not.
    cache: false,
    validationRules: ({ variables }) => [costLimitRule(limits.maxCost, variables as Record<string, unknown> | undefined)],
    context: (request: unknown, reply: unknown) => ({ req: request, reply }),
    errorFormatter: (execution, ctx) => {
      const formatted = mercurius.defaultErrorFormatter(execution, ctx);
      const response = formatted.response as { data: unknown; errors?: ErrorJson[] };
      if (response.errors) response.errors = withCodes(response.errors, formatted.statusCode);
      return formatted;
    },
    subscription: {
      // graphql-ws: authenticate when the socket connects (each subscription checks the token is
      // still live: AuthGuard). Failed attempts count against the client's address like REST's.
      // mercurius calls onConnect with the connection as `this`; its context holds the upgrade request.
      onConnect: function (this: { context?: { request?: { ip?: string } } } | undefined, { payload }: { payload?: Record<string, unknown> }) {
        const client = this?.context?.request?.ip ?? 'graphql-ws';
        if (failures.blocked(client) > 0) return false;
        const header = payload?.authorization ?? payload?.Authorization ?? (payload?.headers as Record<string, unknown> | undefined)?.authorization;
        const token = bearerToken(header);
        const principal = token ? teams.authenticate(token) : undefined;
        if (!principal || token === undefined) {
          failures.failed(client);
          return false;
        }
        return { principal, token };
      },
      keepAlive: 15_000,
    },
  } as MercuriusDriverConfig;
}
