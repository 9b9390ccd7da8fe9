import { parseArgs } from 'node:util';
import { parsed } from './args.js';
import { UsageError, type Io } from './io.js';
import type { BackendProvider } from './backend/backend.js';
import { stepOption } from './step-option.js';
import { renderState } from './render/state-text.js';

export const STATE_USAGE = 'mmreplay state <run> --at N|initial|last [--json]';

/** The full simulation state of a run after one step, rebuilt from the log. */
export async function stateCommand(argv: string[], io: Io, withBackend: BackendProvider): Promise<number> {
  const { values, positionals } = parsed(() => parseArgs({ args: argv, allowPositionals: true, options: { at: { type: 'string' }, json: { type: 'boolean' } } }));
  const at = stepOption(values.at, 'at');
  if (positionals.length !== 1 || at === undefined) throw new UsageError(`usage: ${STATE_USAGE}`);
  const state = await withBackend(async (queries) => {
    const step = at === 'last' ? await queries.lastStep(positionals[0]) : at;
    return queries.stateAt(positionals[0], step);
  });
  if (values.json) io.out(`${JSON.stringify({ runId: state.runId, step: state.step, event: state.event, state: state.view })}\n`);
  else io.out(renderState(state.view as Parameters<typeof renderState>[0], state.event));
  return 0;
}
