import { parseCommand, usageLine, type CommandSpec } from './args.js';
import { UsageError, type Io } from './io.js';
import type { BackendProvider } from './backend/backend.js';

export const HISTORY_SPEC: CommandSpec = {
  name: 'history',
  summary: 'Every step that touched one object: what it changed, or that it read it (a PTE entry naming a page, or a check of its lock, reads the page).',
  usage: [
    'mmreplay history <run> <object> [--json]      (object: page:P, pte:e0, ptl:ptl, vma:vma0, thread:flt0, var:x, litmus, view:P0, loadq:P0, storebuf:P0, msgs:x, or a bare name)',
  ],
  options: { json: { type: 'boolean', help: 'the history as JSON' } },
};

/** Every step that touched one object: what it changed, or that it read it. */
export async function historyCommand(argv: string[], io: Io, withBackend: BackendProvider): Promise<number> {
  const { values, positionals } = parseCommand(HISTORY_SPEC, argv);
  if (positionals.length !== 2) throw new UsageError(`usage: ${usageLine(HISTORY_SPEC)}`);
  const [runId, object] = positionals;
  const history = await withBackend((queries) => queries.history(runId, object));
  if (values.json) {
    io.out(`${JSON.stringify(history)}\n`);
    return 0;
  }
  for (const h of history) {
    const what = h.changes.length
      ? h.changes.map((c) => `${c.field} ${c.before} -> ${c.after}`).join('; ')
      : `(${Object.entries(h.args)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')})`;
    io.out(`${String(h.step).padStart(6)}  ${h.thread.padEnd(6)} ${h.label.padEnd(28)} ${h.kind.padEnd(24)} ${what}\n`);
  }
  if (history.length === 0) io.out(`no step of run ${runId} touched ${object}\n`);
  return 0;
}
