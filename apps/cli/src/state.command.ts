import { opt, parseCommand, usageLine, type CommandSpec } from './args.js';
import { UsageError, type Io } from './io.js';
import type { BackendProvider } from './backend/backend.js';
import { stepOption } from './step-option.js';
import { renderState } from './render/state-text.js';

export const STATE_SPEC: CommandSpec = {
  name: 'state',
  summary: 'The full simulation state of a run after one step, rebuilt from its events.',
  usage: ['mmreplay state <run> --at N|initial|last [--json]'],
  options: {
    at: { type: 'string', arg: 'N', help: "the step (-1 or 'initial': before the first step; 'last': after the last)" },
    json: { type: 'boolean', help: 'the state and the step event as JSON' },
  },
};

/** The full simulation state of a run after one step, rebuilt from the log. */
export async function stateCommand(argv: string[], io: Io, withBackend: BackendProvider): Promise<number> {
  const { values, positionals } = parseCommand(STATE_SPEC, argv);
  const at = stepOption(opt.string(values.at), 'at');
  if (positionals.length !== 1 || at === undefined) throw new UsageError(`usage: ${usageLine(STATE_SPEC)}`);
  const state = await withBackend(async (queries) => {
    const step = at === 'last' ? await queries.lastStep(positionals[0]) : at;
    return queries.stateAt(positionals[0], step);
  });
  if (values.json) io.out(`${JSON.stringify({ runId: state.runId, step: state.step, event: state.event, state: state.view })}\n`);
  else io.out(renderState(state.view as Parameters<typeof renderState>[0], state.event));
  return 0;
}
