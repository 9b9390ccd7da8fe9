import { renderTraceLkml, renderTraceText } from '@mmreplay/runs';
import { intOption, opt, parseCommand, usageLine, type CommandSpec } from './args.js';
import { UsageError, type Io } from './io.js';
import type { BackendProvider } from './backend/backend.js';

export const TRACE_SPEC: CommandSpec = {
  name: 'trace',
  summary: 'A run as an interleaving diagram, one column per thread (default: the last 1,000 steps).',
  usage: ['mmreplay trace <run> [--from N] [--to N] [--format text|lkml|json]   (default: the last 1,000 steps)'],
  options: {
    from: { type: 'string', arg: 'N', help: 'from step N' },
    to: { type: 'string', arg: 'N', help: 'to step N' },
    format: {
      type: 'string',
      arg: 'text|lkml|json',
      help: 'the diagram (default); lkml: 80 columns, one per CPU that ran, sources listed under it, for a mail; or the rows as JSON',
    },
  },
};

/** A run as the interleaving diagram kernel developers paste into commit messages. */
export async function traceCommand(argv: string[], io: Io, withBackend: BackendProvider): Promise<number> {
  const { values, positionals } = parseCommand(TRACE_SPEC, argv);
  if (positionals.length !== 1) throw new UsageError(`usage: ${usageLine(TRACE_SPEC)}`);
  const format = opt.string(values.format) ?? 'text';
  if (format !== 'text' && format !== 'json' && format !== 'lkml') throw new UsageError('--format must be text, lkml or json');
  const range = {
    from: values.from === undefined ? undefined : intOption(opt.string(values.from), 'from', 0),
    to: values.to === undefined ? undefined : intOption(opt.string(values.to), 'to', 0),
  };
  const trace = await withBackend((queries) => queries.trace(positionals[0], range));
  io.out(format === 'json' ? `${JSON.stringify(trace)}\n` : format === 'lkml' ? renderTraceLkml(trace) : renderTraceText(trace));
  return 0;
}
