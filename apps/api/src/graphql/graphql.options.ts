import type { MercuriusDriverConfig } from '@nestjs/mercurius';
import mercurius from 'mercurius';
import type { GraphQLError } from 'graphql';
import type { TeamService } from '@mmreplay/teams';
import { bearerToken } from '../http/auth.js';
import { costLimitRule } from './cost.rule.js';

export const GRAPHQL_PATH = '/graphql';

type ErrorJson = ReturnType<GraphQLError['toJSON']>;

/** Every GraphQL error carries `extensions.code`; nothing internal is said. */
function withCodes(errors: ErrorJson[], statusCode: number): ErrorJson[] {
  return errors.map((e) => {
    if (e.extensions?.code) return e;
    let code = 'INTERNAL';
    if (/query depth limit/i.test(e.message)) code = 'QUERY_TOO_DEEP';
    else if (statusCode === 400 || /^(Variable|Argument|Unknown|Field|Cannot query|Expected|Syntax Error|Int cannot|String cannot)/.test(e.message)) code = 'GRAPHQL_VALIDATION_FAILED';
    return { ...e, message: code === 'INTERNAL' ? 'internal error' : e.message, extensions: { ...e.extensions, code } };
  });
}

/**
 * Mercurius, code-first: the schema is built from the resolvers' classes. Queries and mutations
 * at POST/GET `/graphql`, subscriptions over graphql-ws on the same path (the token goes in the
 * `connection_init` payload: `{"authorization": "Bearer <token>"}`).
 */
export function graphqlOptions(teams: TeamService, limits: { maxDepth: number; maxCost: number }): MercuriusDriverConfig {
  return {
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
      // graphql-ws: authenticate once, when the socket connects.
      onConnect: ({ payload }: { payload?: Record<string, unknown> }) => {
        const header = payload?.authorization ?? payload?.Authorization ?? (payload?.headers as Record<string, unknown> | undefined)?.authorization;
        const token = bearerToken(header);
        const principal = token ? teams.authenticate(token) : undefined;
        return principal ? { principal } : false;
      },
      keepAlive: 15_000,
    },
  } as MercuriusDriverConfig;
}
