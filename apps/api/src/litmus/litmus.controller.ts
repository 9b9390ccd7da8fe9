import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@mmreplay/teams';
import { Caller, Requires } from '../http/auth.js';
import { ApiProblems } from '../http/openapi.js';
import { Run } from '../runs/run.models.js';
import { TeamRuns } from '../runs/team-runs.service.js';
import { LitmusRequestDto } from './litmus.dto.js';
import { LitmusResultModel } from './litmus.models.js';
import { runLitmus, type LitmusAnswer } from './litmus.service.js';
import { recordLitmusWitness } from './litmus-witness.service.js';

@ApiTags('litmus')
@ApiBearerAuth()
@Controller()
export class LitmusController {
  constructor(@Inject(TeamRuns) private readonly runs: TeamRuns) {}

  @Post('litmus')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Check a C litmus test (tools/memory-model format) under the Linux-kernel memory model: final states, witnesses, Observation, as herd7 answers',
  })
  @ApiOkResponse({ type: LitmusResultModel })
  @ApiProblems(400, 401, 413, 429)
  check(@Body() body: LitmusRequestDto): LitmusAnswer {
    return runLitmus(body.test);
  }

  @Post('litmus/runs')
  @Requires('write')
  @ApiOperation({
    summary:
      "Record a litmus test's witness execution as a run of the team: the engine's lkmm reaches the LKMM witness's final state, and the run's time travel shows which store had not reached which CPU (docs/memory-model.md). Tests outside the engine's instruction set are a 400 naming the construct and line.",
  })
  @ApiCreatedResponse({ type: Run })
  @ApiProblems(400, 401, 403, 413, 429, 503)
  record(@Body() body: LitmusRequestDto, @Caller() caller: Principal): Promise<Run> {
    return recordLitmusWitness(this.runs, body.test, caller);
  }
}
