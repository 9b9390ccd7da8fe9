import { intOption, opt, parseCommand, usageLine, type CommandSpec } from './args.js';
import { UsageError, type Io } from './io.js';
import type { BackendProvider } from './backend/backend.js';

/** Events read per request to the store or the API. */
const PAGE = 5_000;

export const EVENTS_SPEC: CommandSpec = {
  name: 'events',
  summary: 'The step events of a run, one line each: step, thread, label, kind, operands and what changed.',
  usage: ['mmreplay events <run> [--from N] [--to N] [--thread T] [--type KIND ...] [--object page:P|pte:e0|...] [--limit N] [--json]'],
  options: {
    from: { type: 'string', arg: 'N', help: 'from step N' },
    to: { type: 'string', arg: 'N', help: 'to step N (inclusive)' },
    thread: { type: 'string', arg: 'T', help: 'only the steps of thread T' },
    type: { type: 'string', multiple: true, arg: 'KIND', help: 'only steps of this event kind (PageUnlocked, PteRead, ...)' },
    object: { type: 'string', arg: 'OBJECT', help: 'only steps that touch this object (page:P, pte:e0, ptl:ptl, vma:vma0, thread:flt0)' },
    limit: { type: 'string', arg: 'N', help: 'at most N events' },
    json: { type: 'boolean', help: 'the events as stored: a JSON array streamed one event per line' },
  },
};

/** The step events of a run, one line each: the step, its thread, label, kind, operands and what it changed. */
export async function eventsCommand(argv: string[], io: Io, withBackend: BackendProvider): Promise<number> {
  const { values: v, positionals } = parseCommand(EVENTS_SPEC, argv);
  const values = { json: opt.flag(v.json) };
  if (positionals.length !== 1) throw new UsageError(`usage: ${usageLine(EVENTS_SPEC)}`);
  const runId = positionals[0];
  const num = (name: 'from' | 'to' | 'limit') => (v[name] === undefined ? undefined : intOption(opt.string(v[name]), name, 0));
  const query = {
    from: num('from'),
    to: num('to'),
    thread: opt.string(v.thread),
    types: opt.list(v.type),
    object: opt.string(v.object),
    limit: num('limit'),
  };
  return withBackend(async (queries) => {
    // A page at a time (a run may have millions of events): never the whole run in memory, and
    // the first lines are out before the last page is read.
    const pages = async function* () {
      let from = query.from ?? 0;
      let left = query.limit ?? Infinity;
      while (left > 0) {
        const want = Math.min(PAGE, left);
        const page = await queries.events(runId, { ...query, from, limit: want });
        yield page;
        if (page.length < want) return;
        left -= page.length;
        from = page[page.length - 1].step + 1;
        if (query.to !== undefined && from > query.to) return;
      }
    };
    if (values.json) {
      // A JSON array streamed one event per line: JSON.parse reads the whole, `head` and `grep` the lines.
      let first = true;
      io.out('[');
      for await (const page of pages()) {
        for (const e of page) {
          io.out(`${first ? '\n' : ',\n'}${JSON.stringify(e)}`);
          first = false;
        }
      }
      io.out(first ? ']\n' : '\n]\n');
      return 0;
    }
    const formatField = await queries.fieldFormatter(runId);
    for await (const page of pages())
      for (const e of page) {
        const args = Object.entries(e.args)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ');
        // Program counters move on every step: the label already says where the thread is.
        const changes = e.deltas
          .filter((d) => d.field !== 'pc')
          .map((d) => `${d.object}.${d.field} ${formatField(d.object, d.field, d.before)} -> ${formatField(d.object, d.field, d.after)}`)
          .join('; ');
        io.out(
          `${String(e.step).padStart(6)}  ${e.thread.padEnd(6)} ${e.label.padEnd(28)} ${e.kind.padEnd(24)} ${args}${changes ? `  | ${changes}` : ''}\n`.replace(
            / +\n$/,
            '\n',
          ),
        );
      }
    return 0;
  });
}
