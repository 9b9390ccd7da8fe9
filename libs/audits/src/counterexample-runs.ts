import type { RunService } from '@mmreplay/runs';
import type { CounterexampleRecorder } from './audit.service.js';

/**
 * Records a counterexample as a run: the audit's model replaying the counterexample's schedule, in
 * the audit's team, by the audit's author. The run then answers every time-travel query.
 *
 * The replay runs with the scenario's invariants: an audit of other invariants still yields the
 * run (every step up to the violating one), whose outcome may then not say `violation`.
 */
export function counterexampleRuns(runs: RunService): CounterexampleRecorder {
  return async ({ runId, audit, variant, schedule, by }) => {
    await runs.startRun({
      runId,
      scenario: audit.scenario,
      ...(audit.document ? { document: audit.document } : {}),
      params: audit.params as Record<string, number | string>,
      variant: variant ?? undefined,
      // the audit's memory model may come from the request rather than the variant's MEM switch:
      // without it the schedule would replay under another model and diverge
      memoryModel: audit.memoryModel ?? undefined,
      strategy: 'replay',
      schedule,
      actor: by.actor,
      team: audit.team,
    });
  };
}
