import { LitmusBoundError, LitmusSyntaxError, UnsupportedConstructError } from '@mmreplay/litmus';
import { InvalidRunRequestError, litmusWitnessRequest } from '@mmreplay/runs';
import { actorOf, type Principal } from '@mmreplay/teams';
import { teamOf } from '../http/auth.js';
import { ApiError } from '../http/problem.js';
import { toRun, type Run } from '../runs/run.models.js';
import type { TeamRuns } from '../runs/team-runs.service.js';
import { runLitmus } from './litmus.service.js';

/**
 * Records a litmus test's witness execution as a run of the caller's team: one implementation for
 * `POST /litmus/runs` and the GraphQL mutation `recordLitmusWitness`. The same bounds and 400s as
 * checking the test; a test outside the engine's instruction set is a 400 naming the construct.
 */
export async function recordLitmusWitness(runs: TeamRuns, test: string, caller: Principal): Promise<Run> {
  runLitmus(test);
  let request;
  try {
    const { finalState: _finalState, runId: _runId, actor: _actor, team: _team, ...req } = litmusWitnessRequest(test);
    request = req;
  } catch (e) {
    if (e instanceof LitmusSyntaxError || e instanceof UnsupportedConstructError || e instanceof LitmusBoundError) throw ApiError.invalid('test', e.message);
    if (e instanceof InvalidRunRequestError) throw ApiError.invalid('test', e.message);
    throw e;
  }
  const team = teamOf(caller);
  const { runId } = await runs.start(request, team, actorOf(caller), true);
  return toRun(await runs.get(runId, team));
}
