import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { checkLitmus, formatHerd, formatWitness, parseLitmus, type LitmusResult } from '@mmreplay/litmus';
import { DomainError } from '@mmreplay/model';
import { litmusWitnessRequest } from '@mmreplay/runs';
import { parseCommand, usageLine, type CommandSpec } from './args.js';
import { UsageError, type Io } from './io.js';
import type { BackendProvider } from './backend/backend.js';

export const LITMUS_SPEC: CommandSpec = {
  name: 'litmus',
  summary: 'C litmus tests of tools/memory-model under the LKMM, answered as herd7 does.',
  usage: ['mmreplay litmus <file.litmus>... [--witness] [--record] [--json]'],
  options: {
    witness: { type: 'boolean', help: 'also print one allowed execution, load by load' },
    record: { type: 'boolean', help: "record the witness as a run under the engine's lkmm (time travel shows which store had not reached which CPU)" },
    json: { type: 'boolean', help: 'one JSON array of the results' },
  },
  details: 'A test that does not parse, or uses a construct the checker does not model, is reported by file and line (exit code 2); the others still run.',
};

/**
 * `mmreplay litmus`: each test's final states, witnesses and Observation in herd7's shape (or one
 * JSON array); `--witness` also prints one allowed execution, load by load (what each read and
 * which newer stores it did not see). Runs in-process whatever the target: the check is a pure computation. A test that
 * does not parse, or uses a construct the checker does not model, is reported by file and line
 * (exit code 2) and the others still run.
 */
export async function litmusCommand(argv: string[], io: Io, withBackend: BackendProvider): Promise<number> {
  const { values, positionals } = parseCommand(LITMUS_SPEC, argv);
  if (positionals.length === 0) throw new UsageError(`no test given\n  ${usageLine(LITMUS_SPEC)}`);
  const results: (LitmusResult & { file: string; runId?: string })[] = [];
  let failed = false;
  for (const file of positionals) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      io.err(`mmreplay litmus: ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}\n`);
      failed = true;
      continue;
    }
    try {
      const r = checkLitmus(parseLitmus(text));
      results.push({ file: basename(file), ...r });
      let recorded = '';
      if (values.record) {
        const req = litmusWitnessRequest(text);
        const run = await withBackend((service) => service.startRun(req));
        const at = Object.entries(req.finalState)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ');
        recorded = `Recorded the witness (${at}) as run ${run.runId}, ${run.steps} steps: mmreplay trace ${run.runId}; mmreplay diff ${run.runId} --at -1 --to last\n`;
        results[results.length - 1] = { ...results[results.length - 1], runId: run.runId } as (typeof results)[number];
      }
      if (!values.json)
        io.out(
          `${formatHerd(r)}${values.witness && r.witness ? `Witness (${r.witness.state.satisfies ? 'the condition holds' : 'the condition does not hold'}):\n${formatWitness(r.witness)}` : ''}${recorded}\n`,
        );
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      io.err(`mmreplay litmus: ${file}: ${e.message}\n`);
      failed = true;
    }
  }
  if (values.json) io.out(`${JSON.stringify(results, null, 2)}\n`);
  return failed ? 2 : 0;
}
