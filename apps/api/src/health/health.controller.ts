import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { EventStore } from '@mmreplay/event-store';
import { EVENT_STORE } from '../core/tokens.js';
import { Public } from '../http/auth.js';
import { ApiError, PROBLEM_TYPES, STORE_RETRY_AFTER_SECONDS, type ProblemSlug } from '../http/problem.js';

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get('health/live')
  @Public()
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  live() {
    return { status: 'ok' };
  }

  @Get('health/ready')
  @Public()
  @ApiOperation({ summary: 'Readiness: the event store answers a read' })
  @ApiOkResponse({ schema: { example: { status: 'ready', store: 'ok' } } })
  @ApiServiceUnavailableResponse({ description: 'the store is unreachable (problem details, Retry-After)' })
  async ready() {
    try {
      await this.store.readAll({ direction: 'backwards', maxCount: 1 });
    } catch {
      throw new ApiError('store-unavailable', 'the event store does not answer', STORE_RETRY_AFTER_SECONDS);
    }
    return { status: 'ready', store: 'ok' };
  }

  @Get('problems/:slug')
  @Public()
  @ApiExcludeEndpoint()
  problemType(@Param('slug') slug: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const t = Object.hasOwn(PROBLEM_TYPES, slug) ? PROBLEM_TYPES[slug as ProblemSlug] : undefined;
    if (!t) throw new ApiError('not-found', `no problem type '${slug}'`);
    void reply.header('Cache-Control', 'public, max-age=86400');
    return { type: `/problems/${slug}`, title: t.title, status: t.status, graphqlCode: t.code, description: t.doc };
  }
}
