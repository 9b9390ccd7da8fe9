import { Readable } from 'node:stream';
import { Body, Controller, Get, HttpCode, HttpException, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { actorOf, type Principal } from '@mmreplay/teams';
import { Caller, Requires, teamOf } from '../http/auth.js';
import { ApiProblems } from '../http/openapi.js';
import { LiveStreams, type SseMessage } from '../live/sse.js';
import {
  DiffQueryDto,
  EventsQueryDto,
  FirstWhereDto,
  HistoryQueryDto,
  LiveQueryDto,
  LocksQueryDto,
  RunListQueryDto,
  StartRunDto,
  StateQueryDto,
  TraceQueryDto,
} from './run.dto.js';
import {
  DiffModel,
  DivergenceResult,
  FirstWhereResult,
  HistoryEntryModel,
  LocksModel,
  Run,
  RunPage,
  RunStateModel,
  StepEventModel,
  toRun,
  toStepEvent,
  RunModelView,
} from './run.models.js';
import { TeamRuns } from './team-runs.service.js';
import { ScenarioLibrary } from '../scenarios/scenario-library.js';

/** An exported run's media type: one JSON event a line. */
export const NDJSON = 'application/x-ndjson';
/** Where an exported run is imported (the only route that reads NDJSON bodies). */
export const IMPORT_PATH = '/runs/import';

@ApiTags('runs')
@ApiBearerAuth()
@Controller('runs')
export class RunsController {
  constructor(
    @Inject(TeamRuns) private readonly runs: TeamRuns,
    @Inject(LiveStreams) private readonly live: LiveStreams,
    @Inject(ScenarioLibrary) private readonly library: ScenarioLibrary,
  ) {}

  @Post()
  @Requires('write')
  @ApiOperation({ summary: 'Record a run: one interleaving of a scenario under a scheduler (201 once recorded; with `wait: false`, 202 at once)' })
  @ApiCreatedResponse({ type: Run })
  @ApiProblems(400, 401, 403, 409, 413, 422, 429, 503)
  async create(
    @Body() body: StartRunDto,
    @Caller() caller: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Run | { id: string; status: string }> {
    const { wait = true, ...asked } = body;
    const team = teamOf(caller);
    const req = await this.library.resolve(team, asked);
    const { runId } = await this.runs.start(req, team, actorOf(caller), wait);
    void reply.header('Location', `/runs/${runId}`);
    if (!wait) {
      void reply.status(202);
      return { id: runId, status: 'running' };
    }
    void reply.status(201);
    return toRun(await this.runs.get(runId, team));
  }

  @Post('import')
  @Requires('write')
  @ApiOperation({
    summary: 'Store a run exported with `GET /runs/{id}/export` (NDJSON), after re-simulating it and checking every event',
    description: `The body is the export as it was served, one JSON event a line (\`Content-Type: ${'application/x-ndjson'}\`, at most MMREPLAY_IMPORT_LIMIT bytes). The server names the run and keeps it in your team; a file that was changed, or that does not replay, is a 400 naming the first event that differs.`,
  })
  @ApiConsumes(NDJSON)
  @ApiBody({ schema: { type: 'string', description: 'one JSON event ({type, data, metadata}) a line, the first a RunStarted' } })
  @ApiCreatedResponse({ type: Run })
  @ApiProblems(400, 401, 403, 413, 415)
  async importRun(
    @Body() body: unknown,
    @Caller() caller: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Run> {
    if (typeof body !== 'string' || !String(request.headers['content-type'] ?? '').startsWith(NDJSON))
      throw new HttpException(`the body must be an exported run: Content-Type ${NDJSON}, one JSON event a line`, 415);
    const team = teamOf(caller);
    const runId = await this.runs.importRun(body, team);
    void reply.header('Location', `/runs/${runId}`);
    return toRun(await this.runs.get(runId, team));
  }

  @Get()
  @ApiOperation({ summary: "The team's runs, newest first, filtered, a page at a time" })
  @ApiOkResponse({ type: RunPage })
  @ApiProblems(400, 401, 403, 503)
  async list(@Query() q: RunListQueryDto, @Caller() caller: Principal): Promise<RunPage> {
    const { limit, after, ...filter } = q;
    const page = await this.runs.list(teamOf(caller), filter, { limit, after });
    return { nodes: page.runs.map(toRun), next: page.next };
  }

  @Get(':id')
  @ApiOperation({ summary: 'A run: model, scheduler, outcome, violation, schedule token' })
  @ApiOkResponse({ type: Run })
  @ApiProblems(401, 403, 404, 503)
  async get(@Param('id') id: string, @Caller() caller: Principal): Promise<Run> {
    return toRun(await this.runs.get(id, teamOf(caller)));
  }

  @Get(':id/model')
  @ApiOperation({ summary: "The run's exact model and its initial deltas: fold the events with them" })
  @ApiOkResponse({ type: RunModelView })
  @ApiProblems(401, 403, 404)
  async model(@Param('id') id: string, @Caller() caller: Principal): Promise<RunModelView> {
    return this.runs.model(id, teamOf(caller));
  }

  @Get(':id/export')
  @ApiOperation({
    summary: "The run's events as they are stored, one JSON object a line (NDJSON, streamed): `POST /runs/import` or `mmreplay import` stores it elsewhere",
  })
  @ApiProduces(NDJSON)
  @ApiOkResponse({ description: 'one JSON event ({type, data, metadata}) a line, from RunStarted to RunCompleted' })
  @ApiProblems(401, 403, 404)
  async exportRun(@Param('id') id: string, @Caller() caller: Principal, @Res({ passthrough: true }) reply: FastifyReply): Promise<Readable> {
    const lines = await this.runs.exportRun(id, teamOf(caller));
    void reply.header('Content-Type', `${NDJSON}; charset=utf-8`);
    void reply.header('Content-Disposition', `attachment; filename="run-${id}.ndjson"`);
    // read from the store only as fast as the client takes it
    return Readable.from(lines);
  }

  @Get(':id/events')
  @ApiOperation({ summary: 'Step events, filtered by step range, kind or op, thread, object' })
  @ApiOkResponse({ type: [StepEventModel] })
  @ApiProblems(400, 401, 403, 404)
  async events(
    @Param('id') id: string,
    @Query() q: EventsQueryDto,
    @Caller() caller: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StepEventModel[]> {
    const limit = q.limit ?? 1_000;
    const events = await this.runs.events(id, teamOf(caller), { ...q, limit });
    // a full page: the next one starts after its last step (RFC 8288 Link)
    if (events.length === limit) reply.header('link', nextLink(request, 'from', events[events.length - 1].step + 1));
    return events.map(toStepEvent);
  }

  @Get(':id/state')
  @ApiOperation({ summary: 'Time travel: the state (pages, PTEs, PTLs, threads) after step `at`' })
  @ApiOkResponse({ type: RunStateModel })
  @ApiProblems(400, 401, 403, 404)
  async state(@Param('id') id: string, @Query() q: StateQueryDto, @Caller() caller: Principal): Promise<RunStateModel> {
    return this.runs.stateAt(id, teamOf(caller), q.at);
  }

  @Get(':id/history')
  @ApiOperation({ summary: 'Every step that touched one page, PTE, PTL, VMA or thread, a page at a time (`Link: rel="next"` while there may be more)' })
  @ApiOkResponse({ type: [HistoryEntryModel] })
  @ApiProblems(400, 401, 403, 404)
  async history(
    @Param('id') id: string,
    @Query() q: HistoryQueryDto,
    @Caller() caller: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<HistoryEntryModel[]> {
    const limit = q.limit ?? 1_000;
    const entries = await this.runs.history(id, teamOf(caller), q.object, { after: q.after, limit });
    if (entries.length === limit) reply.header('link', nextLink(request, 'after', entries[entries.length - 1].step));
    return entries;
  }

  @Post(':id/first-where')
  @HttpCode(200)
  @ApiOperation({ summary: 'The first step after which a predicate holds (a query: nothing is written)' })
  @ApiOkResponse({ type: FirstWhereResult })
  @ApiProblems(400, 401, 403, 404, 413)
  async firstWhere(@Param('id') id: string, @Body() body: FirstWhereDto, @Caller() caller: Principal): Promise<FirstWhereResult> {
    return { match: await this.runs.firstWhere(id, teamOf(caller), body.where, body.from) };
  }

  @Get(':id/diff')
  @ApiOperation({ summary: 'What differs between two steps of this run, or between this run and `otherRun`' })
  @ApiOkResponse({ type: DiffModel })
  @ApiProblems(400, 401, 403, 404)
  async diff(@Param('id') id: string, @Query() q: DiffQueryDto, @Caller() caller: Principal): Promise<DiffModel> {
    return this.runs.diff(id, teamOf(caller), q.from, q.to, q.otherRun);
  }

  @Get(':id/divergence/:other')
  @ApiOperation({ summary: 'The first step where two runs differ' })
  @ApiOkResponse({ type: DivergenceResult })
  @ApiProblems(401, 403, 404)
  async divergence(@Param('id') id: string, @Param('other') other: string, @Caller() caller: Principal): Promise<DivergenceResult> {
    return { divergence: await this.runs.divergence(id, teamOf(caller), other) };
  }

  @Get(':id/locks')
  @ApiOperation({ summary: 'The page locks and PTLs a thread holds after a step' })
  @ApiOkResponse({ type: LocksModel })
  @ApiProblems(400, 401, 403, 404)
  async locks(@Param('id') id: string, @Query() q: LocksQueryDto, @Caller() caller: Principal): Promise<LocksModel> {
    return this.runs.locksHeld(id, teamOf(caller), q.thread, q.at);
  }

  @Get(':id/trace')
  @ApiOperation({
    summary: 'The interleaving diagram of a step range (default: the last 1,000 steps), as text, as an 80-column trace for a mail (lkml) or as JSON',
  })
  @ApiProduces('text/plain', 'application/json')
  @ApiOkResponse({ description: 'text/plain: the diagram (format text or lkml); application/json: {threads, columns, rows, ...}' })
  @ApiProblems(400, 401, 403, 404)
  async trace(
    @Param('id') id: string,
    @Query() q: TraceQueryDto,
    @Caller() caller: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<unknown> {
    const { trace, text, lkml } = await this.runs.trace(id, teamOf(caller), { from: q.from, to: q.to });
    const accept = String(request.headers.accept ?? '');
    const format = q.format ?? (/text\/plain/.test(accept) && !/application\/json/.test(accept) ? 'text' : 'json');
    if (format === 'json') return trace;
    void reply.header('Content-Type', 'text/plain; charset=utf-8');
    return format === 'lkml' ? lkml() : text();
  }

  @Get(':id/live')
  @ApiOperation({
    summary: "Server-sent events: the run's events as they are appended, until RunCompleted",
    description:
      'Each SSE event is named after the run event (`RunStarted`, `StepRecorded`, `RunCompleted`) with `id` its revision; the stream ends with `event: end`.',
  })
  @ApiProduces('text/event-stream')
  @ApiProblems(401, 403, 404)
  async follow(
    @Param('id') id: string,
    @Query() q: LiveQueryDto,
    @Caller() caller: Principal,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const feed = await this.runs.live(id, teamOf(caller), q.fromStep, caller.tokenId);
    this.live.sendPulled(reply, {
      next: async (): Promise<IteratorResult<SseMessage>> => {
        const r = await feed.next();
        return r.done ? r : { done: false, value: { event: r.value.type, id: String(r.value.revision), data: r.value } };
      },
      return: () => feed.return(),
    });
  }
}

/** The URL of the next page: this request's, with the cursor parameter set. */
function nextLink(request: FastifyRequest, cursor: string, value: number): string {
  const url = new URL(request.url, 'http://x');
  url.searchParams.set(cursor, String(value));
  return `<${url.pathname}${url.search}>; rel="next"`;
}
