import { createParamDecorator, Inject, Injectable, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { FastifyRequest } from 'fastify';
import { can, TeamService, type Permission, type Principal } from '@mmreplay/teams';
import { ApiError } from './problem.js';
import { RateLimiter } from './rate-limiter.js';
import { AuthFailures } from './auth-failures.js';

export { AUTH_FAILURE_BURST, AUTH_FAILURES_PER_SECOND } from './auth-failures.js';

const PUBLIC = 'mmreplay:public';
const PERMISSION = 'mmreplay:permission';

/** No token needed (health, documentation). */
export const Public = () => SetMetadata(PUBLIC, true);
/** What the token's role must allow (any one of them); every other route needs `read`. */
export const Requires = (...permissions: Permission[]) => SetMetadata(PERMISSION, permissions);

type AuthedRequest = FastifyRequest & { principal?: Principal; rateCounted?: boolean };
/** A graphql-ws connection's context: the principal and token it authenticated with (`onConnect`). */
type SocketContext = { principal?: Principal; token?: string };

/** The request (REST or GraphQL over HTTP) or the subscription context of an execution. */
function carrier(ctx: ExecutionContext): { request?: AuthedRequest; context?: SocketContext } {
  if (ctx.getType<string>() === 'graphql') {
    const gql = GqlExecutionContext.create(ctx).getContext<{ req?: AuthedRequest } & SocketContext>();
    return { request: gql.req && 'headers' in gql.req ? gql.req : undefined, context: gql };
  }
  return { request: ctx.switchToHttp().getRequest<AuthedRequest>() };
}

export function bearerToken(header: unknown): string | undefined {
  if (typeof header !== 'string') return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1];
}

/**
 * Authenticates every request by its bearer token, rate-limits it per token, and checks the role
 * the route requires. GraphQL subscriptions authenticate once, when the socket connects.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(AuthFailures) private readonly failures: AuthFailures,
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(TeamService) private readonly teams: TeamService,
    @Inject(RateLimiter) private readonly limiter: RateLimiter,
  ) {}

  canActivate(ctx: ExecutionContext): boolean {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const { request, context } = carrier(ctx);
    let principal = request?.principal ?? context?.principal;
    // A socket authenticated once, at connect: every new subscription on it checks that its token
    // is still live (not revoked, not expired, its member still in the team).
    if (!request && context?.principal && context.token !== undefined) {
      principal = this.teams.authenticate(context.token);
      if (!principal) throw new ApiError('unauthenticated', 'the token of this connection is revoked or expired');
    }
    if (!principal && request) {
      const token = bearerToken(request.headers.authorization);
      if (!token) throw new ApiError('unauthenticated', 'missing bearer token: send Authorization: Bearer <token>');
      // Token guessing (see AuthFailures): refused with 429 before the token is looked at.
      const blocked = this.failures.blocked(request.ip);
      if (blocked > 0) throw new ApiError('too-many-requests', `too many failed authentications; retry in ${blocked} s`, blocked);
      principal = this.teams.authenticate(token);
      if (!principal) {
        this.failures.failed(request.ip);
        throw new ApiError('unauthenticated', 'the token is unknown, revoked or expired');
      }
      request.principal = principal;
    }
    if (!principal) throw new ApiError('unauthenticated', 'missing bearer token');
    // One request counts once, however many GraphQL fields it resolves.
    if (request && !request.rateCounted) {
      request.rateCounted = true;
      const wait = this.limiter.take(principal.tokenId);
      if (wait > 0) throw new ApiError('too-many-requests', `rate limit of this token reached; retry in ${wait} s`, wait);
    }
    const permissions = this.reflector.getAllAndOverride<Permission[]>(PERMISSION, targets) ?? ['read'];
    if (!permissions.some((p) => can(principal, p))) {
      const permission = permissions[0];
      const why =
        principal.kind === 'admin'
          ? 'an admin token manages teams and tokens; use a team token for runs and audits'
          : `a ${principal.role} token cannot do this (needs ${permission})`;
      throw new ApiError('forbidden', why);
    }
    return true;
  }
}

export function principalOf(ctx: ExecutionContext): Principal {
  const { request, context } = carrier(ctx);
  const p = request?.principal ?? context?.principal;
  if (!p) throw new ApiError('unauthenticated', 'missing bearer token');
  return p;
}

/** The authenticated caller. */
export const Caller = createParamDecorator((_: unknown, ctx: ExecutionContext) => principalOf(ctx));

/** The caller's team; a principal without one (an admin) is refused. */
export function teamOf(p: Principal): string {
  if (p.team === null) throw new ApiError('forbidden', 'an admin token belongs to no team; use a team token');
  return p.team;
}
