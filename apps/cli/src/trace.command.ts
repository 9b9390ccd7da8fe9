import { parseArgs } from 'node:util';
import { renderTraceText } from '@mmreplay/runs';
import { intOption, parsed } from './args.js';
import { UsageError, type Io } from './io.js';
import type { BackendProvider } from './backend/backend.js';

export const TRACE_USAGE = 'mmreplay trace <run> [--from N] [--to N] [--format text|json]   (default: the last 1,000 steps)';

/** A run as the interleaving diagram kernel developers paste into commit messages. */
export async function traceCommand(argv: string[], io: Io, withBackend: BackendProvider): Promise<number> {
  const { values, positionals } = parsed(() =>
    parseArgs({ args: argv, allowPositionals: true, options: { from: { type: 'string' }, to: { type: 'string' }, format: { type: 'string' } } }),
  );
  if (positionals.length !== 1) throw new UsageError(`usage: ${TRACE_USAGE}`);
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError('--format must be text or json');
  const range = {
    from: values.from === undefined ? undefined : intOption(values.from, 'from', 0),
    to: values.to === undefined ? undefined : intOption(values.to, 'to', 0),
  };
  const trace = await withBackend((queries) => queries.trace(positionals[0], range));
  io.out(format === 'json' ? `${JSON.stringify(trace)}\n` : renderTraceText(trace));
  return 0;
}
