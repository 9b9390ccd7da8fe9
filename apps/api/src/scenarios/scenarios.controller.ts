import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { exportScenario, scenarioJsonSchema, UnknownScenarioError } from '@mmreplay/model';
import { actorOf, type Principal } from '@mmreplay/teams';
import { Caller, Requires, teamOf } from '../http/auth.js';
import { ApiError } from '../http/problem.js';
import { ApiProblems } from '../http/openapi.js';
import { allInvariants, describeScenario } from './scenario-description.js';
import { ScenarioLibrary } from './scenario-library.js';
import { describePublished, scenarioPage } from './library-views.js';

export class ScenarioQueryDto {
  @ApiPropertyOptional({ description: 'show the paths as this named variant patches them', example: 'unlock-before-remove' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  variant?: string;
}

export class ScenarioPageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'the `next` cursor of the previous page (a scenario name)' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9._+-]{1,100}$/)
  after?: string;
}

@ApiTags('scenarios')
@ApiBearerAuth()
@Controller()
export class ScenariosController {
  constructor(@Inject(ScenarioLibrary) private readonly library: ScenarioLibrary) {}

  @Get('scenarios')
  @ApiOperation({
    summary: "The built-in scenarios, then the latest version of each of the team's published ones: parameters, switches, named variants, invariants (paged)",
  })
  @ApiOkResponse({ description: '`{ nodes, next }`: pass `next` as `after` for the next page' })
  @ApiProblems(400, 401)
  async list(@Query() q: ScenarioPageQueryDto, @Caller() caller: Principal) {
    return scenarioPage((name) => this.library.isBuiltIn(name), await this.library.latest(teamOf(caller)), q.limit ?? 100, q.after);
  }

  @Get('scenarios/schema')
  @ApiOperation({ summary: 'The JSON Schema of scenario documents (for editors; the server checks more than the schema says)' })
  @ApiOkResponse({ description: 'a JSON Schema (draft 2020-12)' })
  @ApiProblems(401)
  schema(): object {
    return scenarioJsonSchema();
  }

  @Post('scenarios')
  @HttpCode(201)
  @Requires('write')
  @ApiOperation({
    summary:
      "Publish a version of a scenario document (JSON, or YAML as application/yaml) in the team's library: immutable, addressed by its content hash; the name then stands for it",
  })
  @ApiConsumes('application/json', 'application/yaml')
  @ApiBody({ description: 'a scenario document (GET /scenarios/schema)', schema: { type: 'object' } })
  @ApiCreatedResponse({ description: 'the version (201; 200 when the same document was already published)' })
  @ApiProblems(400, 401, 403, 409, 413, 415, 503)
  async publish(@Body() body: unknown, @Caller() caller: Principal, @Res({ passthrough: true }) reply: FastifyReply) {
    const { version, created, warnings } = await this.library.publish(teamOf(caller), actorOf(caller).actor, body);
    void reply.header('Location', `/scenarios/${encodeURIComponent(version.name)}/versions/${version.version}`);
    if (!created) void reply.code(200);
    return { ...version, ref: `${version.name}@${version.version}`, created, warnings: warnings.map((w) => ({ field: w.path, message: w.message })) };
  }

  @Get('scenarios/:name')
  @ApiOperation({
    summary:
      "One scenario (a built-in, or the latest version of the team's published one), with its threads and their kernel paths step by step (labels, instructions, kernel source references), and its document",
  })
  @ApiOkResponse({ description: 'the scenario and its paths' })
  @ApiProblems(401, 404, 422)
  async get(@Param('name') name: string, @Query() q: ScenarioQueryDto, @Caller() caller: Principal) {
    try {
      // a built-in's document too (its catalogue file as loaded), to start a document of one's own from
      if (this.library.isBuiltIn(name)) return { source: 'built-in', ...describeScenario(name, q.variant), document: exportScenario(name) };
      return describePublished(await this.library.find(teamOf(caller), name), q.variant);
    } catch (e) {
      if (e instanceof UnknownScenarioError) throw new ApiError('not-found', e.message);
      throw e;
    }
  }

  @Get('scenarios/:name/versions')
  @ApiOperation({ summary: 'The versions the team published of one scenario, newest first' })
  @ApiOkResponse({ description: 'the versions' })
  @ApiProblems(401, 404)
  async versions(@Param('name') name: string, @Caller() caller: Principal) {
    if (this.library.isBuiltIn(name)) throw new ApiError('not-found', `'${name}' is a built-in scenario: it has no published versions`);
    return (await this.library.versions(teamOf(caller), name)).map(({ document: _document, ...v }) => ({ ...v, ref: `${v.name}@${v.version}` }));
  }

  @Get('invariants')
  @ApiOperation({ summary: 'Every invariant mmreplay checks, with its reference and kind' })
  @ApiProblems(401)
  invariants() {
    return allInvariants();
  }
}
