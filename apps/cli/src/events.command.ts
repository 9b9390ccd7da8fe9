import { parseArgs } from 'node:util';
import { intOption, parsed } from './args.js';
import { UsageError, type Io } from './io.js';
import type { BackendProvider } from './backend/backend.js';

/** Events read per request to the store or the API. */
const PAGE = 5_000;

export const EVENTS_USAGE = 'mmreplay events <run> [--from N] [--to N] [--thread T] [--type KIND ...] [--object page:P|pte:e0|...] [--limit N] [--json]';

/** The step events of a run, one line each: the step, its thread, label, kind, operands and what it changed. */
export async function eventsCommand(argv: string[], io: Io, withBackend: BackendProvider): Promise<number> {
  const { values, positionals } = parsed(() =>
    parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        thread: { type: 'string' },
        type: { type: 'string', multiple: true },
        object: { type: 'string' },
        limit: { type: 'string' },
        json: { type: 'boolean' },
      },
    }),
  );
  if (positionals.length !== 1) throw new UsageError(`usage: ${EVENTS_USAGE}`);
  const runId = positionals[0];
  const query = {
    from: values.from === undefined ? undefined : intOption(values.from, 'from', 0),
    to: values.to === undefined ? undefined : intOption(values.to, 'to', 0),
    thread: values.thread,
    types: values.type,
    object: values.object,
    limit: values.limit === undefined ? undefined : intOption(values.limit, 'limit', 0),
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
    for await (const page of pages()) for (const e of page) {
      const args = Object.entries(e.args).map(([k, v]) => `${k}=${v}`).join(' ');
      // Program counters move on every step: the label already says where the thread is.
      const changes = e.deltas
        .filter((d) => d.field !== 'pc')
        .map((d) => `${d.object}.${d.field} ${formatField(d.object, d.field, d.before)} -> ${formatField(d.object, d.field, d.after)}`)
        .join('; ');
      io.out(`${String(e.step).padStart(6)}  ${e.thread.padEnd(6)} ${e.label.padEnd(28)} ${e.kind.padEnd(24)} ${args}${changes ? `  | ${changes}` : ''}\n`.replace(/ +\n$/, '\n'));
    }
    return 0;
  });
}
