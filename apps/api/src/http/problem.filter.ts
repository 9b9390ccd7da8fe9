import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GraphQLError } from 'graphql';
import { PROBLEM_TYPES, toProblem, type Problem, type ProblemSlug } from './problem.js';

/** Every error, REST or GraphQL, answered as a problem: `application/problem+json`, or a GraphQL error with `extensions.code`. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('mmreplay');

  catch(error: unknown, host: ArgumentsHost): unknown {
    const p = toProblem(error, (e) => this.logger.error(e instanceof Error ? (e.stack ?? e.message) : String(e)));
    if (host.getType<string>() === 'graphql') return graphqlError(p);
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    sendProblem(reply, { ...p, instance: request?.url?.split('?')[0] });
    return undefined;
  }
}

export function sendProblem(reply: FastifyReply, p: Problem): void {
  if (reply.sent || reply.raw.headersSent) {
    // A stream (server-sent events) that failed after its headers: nothing more can be said.
    reply.raw.end();
    return;
  }
  if (p.retryAfter !== undefined) void reply.header('Retry-After', String(p.retryAfter));
  void reply.status(p.status).header('Content-Type', 'application/problem+json; charset=utf-8').send(JSON.stringify(p));
}

export function graphqlError(p: Problem): GraphQLError {
  const slug = p.type.replace('/problems/', '') as ProblemSlug;
  const code = PROBLEM_TYPES[slug]?.code ?? 'INTERNAL';
  return new GraphQLError(p.detail, {
    extensions: {
      code,
      status: p.status,
      type: p.type,
      ...(p.errors ? { errors: p.errors } : {}),
      ...(p.retryAfter !== undefined ? { retryAfter: p.retryAfter } : {}),
    },
  });
}
