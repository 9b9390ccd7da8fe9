import { describeInvariant, findScenario, INVARIANTS, invariantBacking, UnknownScenarioError } from '@mmreplay/model';
import { opt, parseCommand, type CommandSpec } from './args.js';
import { UsageError, type Io } from './io.js';
import type { BackendProvider, ScenarioListing } from './backend/backend.js';

export const SCENARIOS_SPEC: CommandSpec = {
  name: 'scenarios',
  summary: 'The scenarios this mmreplay knows: parameters, switches, named variants and invariants, each explained.',
  usage: ['mmreplay scenarios [<scenario>] [--steps] [--json]'],
  options: {
    steps: { type: 'boolean', help: "every step of the scenario's paths: label, instruction and kernel citation (file function version)" },
    json: { type: 'boolean', help: 'the listing as JSON' },
  },
  details: 'docs/model.md explains threads, objects, instructions, step labels and invariants.',
};

export async function scenariosCommand(argv: string[], io: Io, withBackend: BackendProvider): Promise<number> {
  const { values, positionals } = parseCommand(SCENARIOS_SPEC, argv);
  if (positionals.length > 1) throw new UsageError('usage: mmreplay scenarios [<scenario>] [--steps] [--json]');
  const [only] = positionals;
  if (values.steps) {
    if (!only) throw new UsageError('--steps needs a scenario: mmreplay scenarios <scenario> --steps');
    printSteps(only, opt.flag(values.json), io);
    return 0;
  }
  let list = await withBackend((backend) => backend.scenarios());
  if (only) {
    list = list.filter((s) => s.name === only);
    if (list.length === 0) throw new UnknownScenarioError(only);
  }
  if (values.json) {
    io.out(`${JSON.stringify(only ? list[0] : list, null, 2)}\n`);
    return 0;
  }
  list.forEach((s, i) => printScenario(s, io, i > 0));
  if (!only) {
    // What each invariant is: a check the kernel makes, or a protocol argument it does not check.
    io.out('\ninvariants:\n');
    for (const i of INVARIANTS) {
      const b = invariantBacking(i.name);
      io.out(`  ${i.name.padEnd(18)} ${b?.class === 'kernel-assertion' ? 'kernel assertion' : 'protocol invariant'}: ${b?.backing ?? ''}\n`);
    }
  }
  return 0;
}

/** A scenario in full: what `--json` has, in words. */
function printScenario(s: ScenarioListing, io: Io, gap: boolean): void {
  if (gap) io.out('\n');
  io.out(`${s.name}  (${s.row})  ${s.title}\n`);
  if (s.description) io.out(`  ${s.description}\n`);
  if (s.params.length) {
    io.out('  parameters (--param k=v):\n');
    for (const p of s.params) io.out(`    ${p.name}=${p.default}  (${p.min}..${p.max})  ${p.description}\n`);
  }
  io.out('  switches (--switch NAME=VALUE):\n');
  for (const w of s.switches) io.out(`    ${w.name}=${w.values.join('|')}  (default ${w.default})${w.description ? `  ${w.description}` : ''}\n`);
  if (s.variants.length) {
    io.out('  variants (--variant NAME):\n');
    for (const v of s.variants) io.out(`    ${v.name}  ${v.description}\n`);
  }
  io.out('  audits (default --invariant):\n');
  for (const name of s.invariants) io.out(`    ${describeInvariant(name)}\n`);
}

/** The scenario's paths step by step, from the model (default parameters and switches). */
function printSteps(name: string, json: boolean, io: Io): void {
  const s = findScenario(name);
  if (!s) throw new UnknownScenarioError(name);
  const params = Object.fromEntries(s.params.map((p) => [p.name, p.default]));
  const switches = Object.fromEntries([...s.switches].map((w) => [w.name, w.default]));
  const paths = Object.values(s.build({ params, switches }).paths);
  if (json) {
    io.out(`${JSON.stringify(paths.map((p) => ({ path: p.name, title: p.title, steps: p.steps.map((st) => ({ label: st.label, op: st.op, args: st.args, src: st.src })) })))}\n`);
    return;
  }
  for (const p of paths) {
    io.out(`${p.name}: ${p.title}\n`);
    const width = Math.max(...p.steps.map((st) => st.label.length));
    for (const st of p.steps) io.out(`  ${st.label.padEnd(width)}  ${st.op.padEnd(18)} ${st.src.file} ${st.src.fn} ${st.src.version}\n`);
  }
}

