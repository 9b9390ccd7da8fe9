import {
  describeUserInvariant,
  findScenario,
  INVARIANTS,
  namedVariants,
  resolveScenarioModel,
  scenarioUserInvariants,
  scenarios,
  switchesOf,
  UnknownScenarioError,
  violatedInvariantLabel,
  type Scenario,
  type UserInvariant,
} from '@mmreplay/model';

// What the API says about the built-in scenarios: their parameters, switches, named variants and
// invariants, and (for one scenario) its kernel paths step by step with their source references.

export function scenarioSummary(s: Scenario) {
  return {
    name: s.name,
    title: s.title,
    row: s.row,
    description: s.description,
    params: s.params.map((p) => ({ name: p.name, default: p.default, min: p.min, max: p.max, description: p.description })),
    switches: switchesOf(s).map((w) => ({ name: w.name, values: [...w.values], default: w.default, description: w.description })),
    variants: namedVariants(s).map((v) => ({ name: v.name, description: v.description, switches: v.switches ?? {}, patches: v.patches ?? [] })),
    // what is listed is what is audited by default: the built-ins, then a document's own invariants
    invariants: [...s.invariants.map((name) => invariantInfo(name)), ...scenarioUserInvariants(s).map(userInvariantInfo)],
  };
}

export type ScenarioSummary = ReturnType<typeof scenarioSummary>;

export function invariantInfo(name: string) {
  const i = INVARIANTS.find((x) => x.name === name);
  // a name the built-in table lacks is a document's user invariant: class `user`, never `protocol`
  const b = violatedInvariantLabel(name);
  return { name, ref: i?.ref ?? '-', kind: i?.kind ?? 'safety', description: i?.description ?? '', class: b.class, backing: b.backing };
}

/** A document's user invariant as the API lists it: a safety property of the document's, class `user`. */
function userInvariantInfo(u: UserInvariant) {
  const b = violatedInvariantLabel(u.name);
  return { name: u.name, ref: '-', kind: 'safety', description: describeUserInvariant(u), class: b.class, backing: b.backing };
}

export function listScenarios(): ScenarioSummary[] {
  return scenarios().map(scenarioSummary);
}

/**
 * One scenario with the paths its threads run (of the named variant, when given): every step with
 * its label, instruction, operands and the kernel function, file and version it models.
 */
export function describeScenario(name: string, variant?: string) {
  const s = findScenario(name);
  if (!s) throw new UnknownScenarioError(name);
  return describeScenarioObject(s, variant);
}

/** describeScenario of a scenario given as an object (a published document). */
export function describeScenarioObject(s: Scenario, variant?: string) {
  const model = resolveScenarioModel(s, { variant });
  const w = model.world;
  return {
    ...scenarioSummary(s),
    variant: model.variant,
    modelHash: model.modelHash,
    threads: w.threads.map((t) => ({ name: t.name, path: t.path, args: t.args })),
    paths: Object.values(w.paths).map((p) => ({
      name: p.name,
      title: p.title,
      registers: p.regs.map((r) => ({ name: r.name, type: r.type })),
      steps: p.steps.map((st) => ({ label: st.label, op: st.op, args: [...st.args], src: { ...st.src } })),
    })),
  };
}

export const allInvariants = () => INVARIANTS.map((i) => invariantInfo(i.name));
