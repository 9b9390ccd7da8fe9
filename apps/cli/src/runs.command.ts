import { parseArgs } from 'node:util';
import { parsed } from './args.js';
import type { Io } from './io.js';
import type { BackendProvider } from './backend/backend.js';

export const RUNS_USAGE = 'mmreplay runs [--team T] [--audits] [--json]';

/** The run catalogue (and, with --audits, the audit catalogue), brought up to date with the log. */
export async function runsCommand(argv: string[], io: Io, withBackend: BackendProvider): Promise<number> {
  const { values } = parsed(() => parseArgs({ args: argv, options: { team: { type: 'string' }, audits: { type: 'boolean' }, json: { type: 'boolean' } } }));
  const filter = values.team === undefined ? {} : { team: values.team };
  const { runs, audits } = await withBackend(async (catalogue) => {
    return { runs: await catalogue.runs(filter), audits: values.audits ? await catalogue.audits(filter) : undefined };
  });
  if (values.json) {
    io.out(`${JSON.stringify(audits ? { runs, audits } : runs)}\n`);
    return 0;
  }
  const rows = [
    ['id', 'team', 'scenario', 'variant', 'status', 'outcome', 'steps', 'author', 'created', 'model'],
    ...runs.map((r) => [
      r.runId,
      r.team,
      r.scenario,
      r.variant ?? 'kernel',
      r.status,
      r.violation ? `${r.outcome} (${r.violation.invariant}@${r.violation.step})` : (r.outcome ?? '-'),
      r.steps === null ? '-' : String(r.steps),
      r.author,
      r.createdAt.replace(/\.\d+Z$/, 'Z'),
      r.modelHash.slice(0, 12) + (r.counterexampleOf.length ? `  counterexample of ${r.counterexampleOf.join(',')}` : ''),
    ]),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) io.out(`${r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()}\n`);
  if (runs.length === 0) io.out('(no runs yet: mmreplay run <scenario> records one)\n');
  for (const a of audits ?? []) {
    io.out(`audit ${a.auditId} ${a.team} ${a.scenario} (${a.variant ?? 'kernel'}) ${a.status} ${a.verdict ?? '-'} by ${a.author}${a.counterexamples.length ? ` counterexamples ${a.counterexamples.join(',')}` : ''}\n`);
  }
  return 0;
}
