import { Args, Query, Resolver } from '@nestjs/graphql';
import { LITMUS_MAX_TEXT, runLitmus } from './litmus.service.js';
import { LitmusResultModel } from './litmus.models.js';
import { ApiError } from '../http/problem.js';

@Resolver(() => LitmusResultModel)
export class LitmusResolver {
  @Query(() => LitmusResultModel, { description: 'a C litmus test (tools/memory-model format) checked under the LKMM, answered as herd7 does' })
  litmus(@Args('test') test: string): LitmusResultModel {
    if (test.length === 0 || test.length > LITMUS_MAX_TEXT) throw ApiError.invalid('test', `must be 1 to ${LITMUS_MAX_TEXT} characters`);
    return runLitmus(test) as LitmusResultModel;
  }
}
