import { Inject } from '@nestjs/common';
import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { Principal } from '@mmreplay/teams';
import { Caller, Requires } from '../http/auth.js';
import { Run } from '../runs/run.models.js';
import { TeamRuns } from '../runs/team-runs.service.js';
import { LITMUS_MAX_TEXT, runLitmus } from './litmus.service.js';
import { LitmusResultModel } from './litmus.models.js';
import { recordLitmusWitness } from './litmus-witness.service.js';
import { ApiError } from '../http/problem.js';

function checkText(test: string): void {
  if (test.length === 0 || test.length > LITMUS_MAX_TEXT) throw ApiError.invalid('test', `must be 1 to ${LITMUS_MAX_TEXT} characters`);
}

@Resolver(() => LitmusResultModel)
export class LitmusResolver {
  constructor(@Inject(TeamRuns) private readonly runs: TeamRuns) {}

  @Query(() => LitmusResultModel, { description: 'a C litmus test (tools/memory-model format) checked under the LKMM, answered as herd7 does' })
  litmus(@Args('test') test: string): LitmusResultModel {
    checkText(test);
    return runLitmus(test) as LitmusResultModel;
  }

  @Mutation(() => Run, {
    description:
      "record a litmus test's witness execution as a run of the caller's team (as POST /litmus/runs): the engine's lkmm reaches the LKMM witness's final state; tests outside the engine's instruction set are a BAD_USER_INPUT naming the construct and line",
  })
  @Requires('write')
  recordLitmusWitness(@Args('test') test: string, @Caller() caller: Principal): Promise<Run> {
    checkText(test);
    return recordLitmusWitness(this.runs, test, caller);
  }
}
