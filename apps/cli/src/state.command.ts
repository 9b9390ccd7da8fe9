import { parseArgs } from 'node:util';
import { QueryService } from '@mmreplay/runs';
import { parsed } from './args.js';
import { UsageError, type Io } from './io.js';
import { withStore } from './store.js';
import { stepOption } from './step-option.js';
import { renderState } from './render/state-text.js';

export const STATE_USAGE = 'mmreplay state <run> --at N|initial|last [--json]';

/** The full simulation state of a run after one step, rebuilt from the log. */
export async function stateCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parsed(() => parseArgs({ args: argv, allowPositionals: true, options: { at: { type: 'string' }, json: { type: 'boolean' } } }));
  const at = stepOption(values.at, 'at');
  if (positionals.length !== 1 || at === undefined) throw new UsageError(`usage: ${STATE_USAGE}`);
  const state = await withStore(async (store) => {
    const queries = new QueryService(store);
    const step = at === 'last' ? (await queries.run(positionals[0])).lastStep : at;
    return queries.stateAt(positionals[0], step);
  });
  if (values.json) io.out(`${JSON.stringify({ runId: state.runId, step: state.step, event: state.event, state: state.view })}\n`);
  else io.out(renderState(state.view, state.event));
  return 0;
}
