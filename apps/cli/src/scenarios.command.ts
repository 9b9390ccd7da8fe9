import { describeInvariant, documentToYaml, exportScenario, findScenario, INVARIANTS, invariantBacking, UnknownScenarioError } from '@mmreplay/model';
import { opt, paramsOption, parseCommand, type CommandSpec } from './args.js';
import { UsageError, type Io } from './io.js';
import type { BackendProvider, ScenarioListing } from './backend/backend.js';
import { scenarioListing } from './backend/local-backend.js';
import { isScenarioFile, loadedDocument, scenarioArgument } from './scenario-file.js';
import { INVARIANT_CLASS_WORDS } from './render/invariant-class.js';

export const SCENARIOS_SPEC: CommandSpec = {
  name: 'scenarios',
  summary:
    'The scenarios this mmreplay knows: parameters, switches, named variants and invariants, each explained; show one with its paths, or export one as a document.',
  usage: [
    'mmreplay scenarios [<scenario>] [--steps] [--json]',
    'mmreplay scenarios show <scenario|file.yaml> [--paths] [--json]',
    'mmreplay scenarios export <scenario> [--param k=v ...] [--json]',
    'mmreplay --api URL scenarios publish <file.yaml> [--json]',
  ],
  options: {
    steps: { type: 'boolean', help: "every step of the scenario's paths: label, instruction and kernel citation (file function version)" },
    paths: { type: 'boolean', help: 'show: the paths step by step (labels, instructions, kernel citations)' },
    param: {
      type: 'string',
      multiple: true,
      arg: 'k=v',
      help: 'export: the scenario at these parameters (default: a built-in document as it is, or its defaults)',
    },
    json: { type: 'boolean', help: 'the listing (export: the document) as JSON' },
  },
  details: `docs/model.md explains threads, objects, instructions, step labels and invariants;
docs/scenarios.md the scenario documents that show and export read and write.

Examples:
  mmreplay scenarios show c13-mremap --paths
  mmreplay scenarios export c13-mremap > my-race.yaml
  mmreplay scenarios show ./my-race.yaml
  mmreplay --api http://host:3000 scenarios publish ./my-race.yaml
  mmreplay --api http://host:3000 audit my-race@<version> --variant buggy`,
};

export async function scenariosCommand(argv: string[], io: Io, withBackend: BackendProvider): Promise<number> {
  const { values, positionals } = parseCommand(SCENARIOS_SPEC, argv);
  const [sub, ...rest] = positionals;
  if (sub === 'export') return exportCommand(rest, values, io);
  if (sub === 'publish') {
    if (rest.length !== 1 || !isScenarioFile(rest[0])) throw new UsageError('usage: mmreplay --api URL scenarios publish <file.yaml> [--json]');
    return publish(rest[0], values, io, withBackend);
  }
  if (sub === 'show') {
    if (rest.length !== 1) throw new UsageError('usage: mmreplay scenarios show <scenario|file.yaml> [--paths] [--json]');
    return show(rest[0], values, io, withBackend);
  }
  if (opt.list(values.param)) throw new UsageError('--param goes with export: mmreplay scenarios export <scenario> --param k=v');
  if (positionals.length > 1) throw new UsageError('usage: mmreplay scenarios [<scenario>] [--steps] [--json]');
  const [only] = positionals;
  if (only && isScenarioFile(only)) return show(only, values, io, withBackend);
  if (values.steps || values.paths) {
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
      io.out(`  ${i.name.padEnd(18)} ${INVARIANT_CLASS_WORDS[i.class]}: ${invariantBacking(i.name)?.backing ?? ''}\n`);
    }
  }
  return 0;
}

type Values = Record<string, string | boolean | string[] | undefined>;

/** One scenario, a built-in or a document file: its listing, and its paths with --paths. */
/** Checks the file here (exit 2 with the problems' paths), then publishes it in the team's library. */
async function publish(file: string, values: Values, io: Io, withBackend: BackendProvider): Promise<number> {
  const name = scenarioArgument(file, io);
  const published = await withBackend((backend) => {
    if (!backend.publishScenario) throw new UsageError("scenarios publish needs --api: the team's library lives on a server");
    return backend.publishScenario(loadedDocument(name));
  });
  if (values.json) io.out(`${JSON.stringify(published, null, 2)}\n`);
  else io.out(`${published.ref}${published.created ? '' : ' (already published: the same document)'}\n`);
  return 0;
}

async function show(arg: string, values: Values, io: Io, withBackend: BackendProvider): Promise<number> {
  const name = scenarioArgument(arg, io);
  // a file is known to this process only; a name is what the backend (local or --api) knows
  const list = isScenarioFile(arg) ? scenarioListing() : await withBackend((backend) => backend.scenarios());
  const s = list.find((x) => x.name === name);
  if (!s) throw new UnknownScenarioError(name);
  const paths = opt.flag(values.paths) || opt.flag(values.steps);
  if (values.json) {
    io.out(`${JSON.stringify(paths ? { ...s, paths: pathsOf(name) } : s, null, 2)}\n`);
    return 0;
  }
  printScenario(s, io, false);
  if (paths) {
    io.out('  paths (default parameters and switches):\n');
    printSteps(name, false, io, '    ');
  }
  return 0;
}

/** `scenarios export <name>`: the scenario as a document (YAML, or JSON with --json). */
function exportCommand(rest: string[], values: Values, io: Io): number {
  if (rest.length !== 1) throw new UsageError('usage: mmreplay scenarios export <scenario> [--param k=v ...] [--json]');
  const s = findScenario(rest[0]);
  if (!s) throw new UnknownScenarioError(rest[0]);
  const given = paramsOption(opt.list(values.param));
  const params: Record<string, number> = {};
  for (const [k, v] of Object.entries(given)) {
    const spec = s.params.find((p) => p.name === k);
    const n = /^-?\d+$/.test(v) ? Number(v) : NaN;
    if (!spec) throw new UsageError(`scenario '${s.name}' has no parameter '${k}' (it has ${s.params.map((p) => p.name).join(', ') || 'none'})`);
    if (!Number.isSafeInteger(n) || n < spec.min || n > spec.max) throw new UsageError(`--param ${k} must be an integer from ${spec.min} to ${spec.max}`);
    params[k] = n;
  }
  const doc = exportScenario(s.name, Object.keys(params).length ? { params } : {});
  if (!doc) throw new UnknownScenarioError(rest[0]);
  io.out(values.json ? `${JSON.stringify(doc, null, 2)}\n` : documentToYaml(doc));
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
  for (const name of s.invariants) {
    const user = s.userInvariants.find((u) => u.name === name);
    io.out(`    ${user ? `${name} (user invariant): ${user.description}` : describeInvariant(name)}\n`);
  }
}

/** The scenario's paths at its default parameters and switches. */
function pathsOf(name: string) {
  const s = findScenario(name);
  if (!s) throw new UnknownScenarioError(name);
  const params = Object.fromEntries(s.params.map((p) => [p.name, p.default]));
  const switches = Object.fromEntries([...s.switches].map((w) => [w.name, w.default]));
  return Object.values(s.build({ params, switches }).paths).map((p) => ({
    path: p.name,
    title: p.title,
    steps: p.steps.map((st) => ({ label: st.label, op: st.op, args: st.args, src: st.src })),
  }));
}

/** The scenario's paths step by step, from the model (default parameters and switches). */
function printSteps(name: string, json: boolean, io: Io, indent = ''): void {
  const paths = pathsOf(name);
  if (json) {
    io.out(`${JSON.stringify(paths)}\n`);
    return;
  }
  for (const p of paths) {
    io.out(`${indent}${p.path}: ${p.title}\n`);
    const width = Math.max(...p.steps.map((st) => st.label.length));
    for (const st of p.steps) io.out(`${indent}  ${st.label.padEnd(width)}  ${st.op.padEnd(18)} ${st.src.file} ${st.src.fn} ${st.src.version}\n`);
  }
}
