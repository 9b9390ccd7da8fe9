import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { map } from 'rxjs';
import { AuditService, type StartAuditRequest, type StartComparisonRequest } from '@mmreplay/audits';
import { actorOf, type Principal } from '@mmreplay/teams';
import { Caller, Requires, teamOf } from '../http/auth.js';
import { ApiProblems } from '../http/openapi.js';
import { LiveStreams } from '../live/sse.js';
import { AuditListQueryDto, StartAuditDto, StartComparisonDto } from './audit.dto.js';
import { Audit, AuditPage, Comparison, toAudit, toComparison } from './audit.models.js';
import { withAuditState } from './audit-stream.js';
import { ScenarioLibrary } from '../scenarios/scenario-library.js';

@ApiTags('audits')
@ApiBearerAuth()
@Controller('audits')
export class AuditsController {
  constructor(
    @Inject(AuditService) private readonly audits: AuditService,
    @Inject(LiveStreams) private readonly live: LiveStreams,
    @Inject(ScenarioLibrary) private readonly library: ScenarioLibrary,
  ) {}

  @Post()
  @HttpCode(202)
  @Requires('write')
  @ApiOperation({ summary: 'Start an audit: explore the interleavings of a scenario under a variant and check its invariants' })
  @ApiAcceptedResponse({ type: Audit, description: 'the audit runs; `Location` is where to follow it' })
  @ApiProblems(400, 401, 403, 413, 422, 429, 503)
  async start(@Body() body: StartAuditDto, @Caller() caller: Principal, @Res({ passthrough: true }) reply: FastifyReply): Promise<Audit> {
    const req = await this.library.resolve(teamOf(caller), body);
    const view = await this.audits.request(req as StartAuditRequest, teamOf(caller), actorOf(caller));
    void reply.header('Location', `/audits/${view.auditId}`);
    return toAudit(view);
  }

  @Get()
  @ApiOperation({ summary: "The team's audits, newest first" })
  @ApiOkResponse({ type: AuditPage })
  @ApiProblems(400, 401, 403)
  list(@Query() q: AuditListQueryDto, @Caller() caller: Principal): AuditPage {
    const { limit, after, ...filter } = q;
    const page = this.audits.list(teamOf(caller), filter, { limit, after });
    return { nodes: page.audits.map(toAudit), next: page.next };
  }

  @Get(':id')
  @ApiOperation({ summary: 'An audit: status, progress, verdict, counterexample' })
  @ApiOkResponse({ type: Audit })
  @ApiProblems(401, 403, 404)
  get(@Param('id') id: string, @Caller() caller: Principal): Audit {
    return toAudit(this.audits.get(id, teamOf(caller)));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Requires('write')
  @ApiOperation({ summary: 'Cancel a running audit: it completes as inconclusive (cancelled)' })
  @ApiOkResponse({ type: Audit })
  @ApiProblems(401, 403, 404, 409)
  async cancel(@Param('id') id: string, @Caller() caller: Principal): Promise<Audit> {
    return toAudit(await this.audits.cancel(id, teamOf(caller), actorOf(caller)));
  }

  @Get(':id/live')
  @ApiOperation({
    summary: "Server-sent events: the audit's events from its first, live, until it completes",
    description:
      'Each SSE event is named after the audit event (`AuditRequested`, `AuditProgressed`, `CounterexampleFound`, `AuditCompleted`); its data is `{revision, data, audit}` with the audit as of that event. The stream ends with `event: end`.',
  })
  @ApiProduces('text/event-stream')
  @ApiProblems(401, 403, 404)
  follow(@Param('id') id: string, @Caller() caller: Principal, @Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    const events = withAuditState(this.audits.events(id, teamOf(caller)));
    this.live.send(
      request,
      reply,
      events.pipe(map((e) => ({ event: e.type, id: String(e.revision), data: { revision: e.revision, data: e.data, audit: e.audit } }))),
    );
  }
}

@ApiTags('audits')
@ApiBearerAuth()
@Controller('comparisons')
export class ComparisonsController {
  constructor(
    @Inject(AuditService) private readonly audits: AuditService,
    @Inject(ScenarioLibrary) private readonly library: ScenarioLibrary,
  ) {}

  @Post()
  @HttpCode(202)
  @Requires('write')
  @ApiOperation({ summary: 'Audit a baseline (the suspected bug) and a fix side by side' })
  @ApiAcceptedResponse({ type: Comparison })
  @ApiProblems(400, 401, 403, 413, 422, 429, 503)
  async start(@Body() body: StartComparisonDto, @Caller() caller: Principal, @Res({ passthrough: true }) reply: FastifyReply): Promise<Comparison> {
    const req = await this.library.resolve(teamOf(caller), body);
    const c = await this.audits.compare(req as StartComparisonRequest, teamOf(caller), actorOf(caller));
    void reply.header('Location', `/comparisons/${c.comparisonId}`);
    return toComparison(c);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A comparison: both audits and what they say together' })
  @ApiOkResponse({ type: Comparison })
  @ApiProblems(401, 403, 404)
  get(@Param('id') id: string, @Caller() caller: Principal): Comparison {
    return toComparison(this.audits.comparison(id, teamOf(caller)));
  }
}
