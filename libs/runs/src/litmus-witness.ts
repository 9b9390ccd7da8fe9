import { checkLitmus, litmusEngineWorld, parseLitmus } from '@mmreplay/litmus';
import { explore } from '@mmreplay/explorer';
import { modelBoundWords } from '@mmreplay/engine';
import type { StartRunRequest } from './run-request.js';
import { InvalidRunRequestError } from './errors.js';

/**
 * A litmus test's witness execution as a run (docs/memory-model.md): the LKMM checker finds an
 * allowed execution where the condition holds (else one where it does not), the test becomes an
 * engine world under `lkmm` whose weak outcome is that execution's final state, and the engine's
 * exhaustive search finds a schedule that reaches it. Recorded, the run's time travel shows which
 * store had not reached which CPU (`view:P1`, `memory.threads.P1.notYetSeen`).
 */
export function litmusWitnessRequest(
  text: string,
  opts: { runId?: string; actor?: string; team?: string } = {},
): StartRunRequest & { finalState: Record<string, string> } {
  const test = parseLitmus(text);
  const result = checkLitmus(test);
  const witness = result.witness;
  if (!witness) throw new InvalidRunRequestError('test', `${test.name}: the LKMM allows no execution (after its filter): there is no witness to record`);
  const finalState = { ...witness.state.values };
  const world = litmusEngineWorld(test, finalState, 'lkmm');
  const found = explore(world, { bounds: { maxStates: 2_000_000, maxSeconds: 60 } });
  if (!found.counterexample) {
    const state = Object.entries(finalState)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    // Why: the search stopped at its own bound, or the engine held threads back (its bounds and
    // orderings, each where it did first), or neither was recorded.
    const why =
      found.boundHit !== null
        ? `the search stopped at its ${found.boundHit} bound first`
        : found.modelBounds?.length
          ? `the engine held threads back where the LKMM does not: ${found.modelBounds.map(modelBoundWords).join('; ')}`
          : "here the engine's lkmm is stronger than the LKMM";
    throw new InvalidRunRequestError(
      'test',
      `${test.name}: the engine's lkmm does not reach the witness's final state (${state}): ${why} (docs/memory-model.md, "Where the engine's lkmm still differs from the LKMM")`,
    );
  }
  return {
    runId: opts.runId,
    scenario: world.scenario,
    world,
    strategy: 'replay',
    schedule: found.counterexample.schedule,
    actor: opts.actor,
    team: opts.team,
    finalState,
  };
}
