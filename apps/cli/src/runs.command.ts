import { didYouMean } from '@mmreplay/model';
import { opt, parseCommand, type CommandSpec } from './args.js';
import { UsageError, type Io } from './io.js';
import type { BackendProvider } from './backend/backend.js';

export const RUNS_SPEC: CommandSpec = {
  name: 'runs',
  summary: 'The recorded runs (and audits), newest last: id, team, scenario, variant, outcome, author, model.',
  usage: ['mmreplay runs [--team T] [--audits] [--json]'],
  options: {
    team: { type: 'string', arg: 'T', help: 'only the runs of team T' },
    audits: { type: 'boolean', help: "also the audits recorded on the store (mmreplay audit and compare, and a server's)" },
    json: { type: 'boolean', help: 'the catalogue as JSON' },
  },
};

/** The run catalogue (and, with --audits, the audit catalogue), brought up to date with the log. */
export async function runsCommand(argv: string[], io: Io, withBackend: BackendProvider): Promise<number> {
  const { values, positionals } = parseCommand(RUNS_SPEC, argv);
  if (positionals.length) throw new UsageError(`runs takes no arguments, got '${positionals[0]}' (mmreplay runs --help)`);
  const team = opt.string(values.team);
  const filter = team === undefined ? {} : { team };
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
  for (const r of rows)
    io.out(
      `${r
        .map((c, i) => c.padEnd(widths[i]))
        .join('  ')
        .trimEnd()}\n`,
    );
  if (runs.length === 0) {
    if (team === undefined) io.out('(no runs yet: mmreplay run <scenario> records one)\n');
    else {
      // Say whether the team has no runs or the name is wrong.
      const teams = [...new Set((await withBackend((c) => c.runs({}))).map((r) => r.team))].sort();
      io.out(`(no runs of team '${team}'${teams.length ? `; teams with runs: ${teams.join(', ')}${didYouMean(team, teams)}` : '; no team has runs yet'})\n`);
    }
  }
  if (audits) {
    io.out(audits.length ? 'audits:\n' : '(no audits yet: mmreplay audit <scenario> records one)\n');
  }
  for (const a of audits ?? []) {
    io.out(
      `audit ${a.auditId} ${a.team} ${a.scenario} (${a.variant ?? 'kernel'}) ${a.status} ${a.verdict ?? '-'} by ${a.author}${a.counterexamples.length ? ` counterexamples ${a.counterexamples.join(',')}` : ''}\n`,
    );
  }
  return 0;
}
