import { describe, expect, it } from 'vitest';
import { assertPathsCanRun, OPS, resolveModel, scenarios, type OpName, type PathDef, type Patch, type PatchStep, type Variant } from '@mmreplay/model';
import { generateCase, type GeneratedCase } from './variant-generator.js';

// The generated variants themselves, checked property by property on the first seeds (issue 20:
// reductions.fuzz.spec runs the generator only through the differential check, 75 s a run, and
// does not look at what it generates): each resolves, is one seed's alone, and patches a path the
// scenario runs with well-typed steps of the ops the generator draws from; over many seeds every
// kind of patch, every scenario and every option turns up about as often as drawn.

const SEEDS = Array.from({ length: 120 }, (_, i) => i + 1);
const POOL = new Set<OpName>([
  'lock_page',
  'unlock_page',
  'trylock_page',
  'ptl_lock',
  'ptl_unlock',
  'pte_read',
  'pte_read_lockless',
  'pte_clear',
  'set_migration_pte',
  'set_present_pte',
  'tlb_flush',
  'get_page',
  'put_page',
  'rmap_add',
  'rmap_remove',
  'rmap_next',
  'check_locked',
  'jmp',
  'beq',
  'call',
  'ret',
  'mov',
  'copy',
]);

const cases = new Map<number, GeneratedCase>();
const caseOf = (seed: number): GeneratedCase => {
  if (!cases.has(seed)) cases.set(seed, generateCase(seed)!);
  return cases.get(seed)!;
};

/** The paths of the case's world with its first `n` patches applied. */
function pathsWith(c: GeneratedCase, n: number): Record<string, PathDef> {
  const v = c.request.variant as Variant;
  return resolveModel({ ...c.request, variant: { ...v, patches: v.patches!.slice(0, n) } }).world.paths as Record<string, PathDef>;
}

function checkStep(def: PathDef, step: PatchStep, fresh: Set<string>): void {
  expect(POOL.has(step.op as OpName), step.op).toBe(true);
  expect(step.label).toMatch(/^fz\d+$/);
  expect(fresh.has(step.label), `${step.label} used twice`).toBe(false);
  fresh.add(step.label);
  const operands = OPS[step.op as OpName].operands;
  expect(step.args).toHaveLength(operands.length);
  operands.forEach((o, j) => {
    const a = step.args![j];
    if (o.kind === 'label') expect(def.steps.map((s) => s.label)).toContain(a);
    else if (o.kind === 'imm') expect(step.op === 'beq' || step.op === 'mov' ? [-1, 0, 1] : [0]).toContain(a);
    else {
      const reg = def.regs.find((r) => r.name === a);
      expect(reg, `${step.op} ${String(a)}`).toBeDefined();
      if (o.kind !== 'reg') expect(reg!.type).toBe(o.kind);
    }
  });
}

describe('generated variants', () => {
  it('a seed generates one variant, always the same, named after it; another seed, mostly another', () => {
    for (const seed of SEEDS.slice(0, 20)) {
      const c = caseOf(seed);
      expect(c).not.toBeNull();
      expect(c.seed).toBe(seed);
      expect(c.request.variant.name).toBe(`fuzz-${seed}`);
      expect(generateCase(seed)).toEqual(c);
    }
    const distinct = new Set(SEEDS.slice(0, 20).map((s) => JSON.stringify(caseOf(s).request.variant.patches)));
    expect(distinct.size).toBeGreaterThan(15);
  });

  it('each resolves, with small parameters, one to three patches of the paths its threads run, each well-typed where the earlier ones left the path', () => {
    for (const seed of SEEDS.slice(0, 60)) {
      const c = caseOf(seed);
      const r = c.request;
      expect(() => resolveModel(r), `seed ${seed}`).not.toThrow();
      if (r.scenario === 'seed') {
        const p = r.params as { ptes: number; faults: number; passes: number };
        expect(Object.keys(p).sort()).toEqual(['faults', 'passes', 'ptes']);
        expect([1, 2]).toContain(p.ptes);
        expect([1, 2]).toContain(p.faults);
        expect([1, 2, 3]).toContain(p.passes);
      } else expect(r.params).toBeUndefined();
      const v = r.variant as Variant;
      if (v.base !== undefined)
        expect(
          scenarios()
            .find((s) => s.name === r.scenario)!
            .variants.map((x) => x.name),
        ).toContain(v.base);
      expect(Object.keys(v.switches ?? {}).filter((k) => k !== 'WALK')).toEqual([]);
      if (v.switches?.WALK !== undefined) expect(v.switches.WALK).toBe('fixed');
      if (r.memoryModel !== undefined) expect(['tso', 'lkmm']).toContain(r.memoryModel);
      const patches = v.patches as readonly Patch[];
      expect(patches.length).toBeGreaterThanOrEqual(1);
      expect(patches.length).toBeLessThanOrEqual(3);
      const running = new Set(resolveModel({ ...r, variant: { ...v, patches: [] } }).world.threads.map((t) => t.path));
      const fresh = new Set<string>();
      patches.forEach((p, i) => {
        expect(running.has(p.path), `seed ${seed}: ${p.path}`).toBe(true);
        const def = pathsWith(c, i)[p.path];
        const labels = def.steps.map((s) => s.label);
        if (p.op === 'delete' || p.op === 'move' || p.op === 'replace') expect(labels).toContain(p.step);
        if (p.op === 'insert' || p.op === 'move') {
          const where = [p.before, p.after].filter((x) => x !== undefined);
          expect(where).toHaveLength(1);
          expect(labels).toContain(where[0]);
        }
        if (p.op === 'insert' || p.op === 'replace') {
          expect(p.steps.length).toBeGreaterThanOrEqual(1);
          expect(p.steps.length).toBeLessThanOrEqual(2);
          for (const s of p.steps) checkStep(def, s, fresh);
        }
      });
    }
  });

  // A variant whose path cannot run is refused before any run or audit; the fuzz used to spend
  // about 13 % of its seeds on such variants, skipped after the reference enumerator met the step.
  it('every one passes the static check of its paths (no ret without a call, no recursion, no local loop with no way out)', () => {
    for (const seed of SEEDS) expect(() => assertPathsCanRun(resolveModel(caseOf(seed).request).world), `seed ${seed}`).not.toThrow();
  });

  it('over 120 seeds: every kind of patch, both sides of a step, many scenarios, bases, WALK=fixed and the weak models about as often as drawn', () => {
    const all = SEEDS.map(caseOf);
    const ops = new Map<string, number>();
    let before = 0;
    let after = 0;
    let inserted = 0;
    const stepOps = new Set<string>();
    const perCase: number[] = [0, 0, 0, 0];
    for (const c of all) {
      const patches = c.request.variant.patches as readonly Patch[];
      perCase[patches.length]++;
      for (const p of patches) {
        ops.set(p.op, (ops.get(p.op) ?? 0) + 1);
        if ('before' in p && p.before !== undefined) before++;
        if ('after' in p && p.after !== undefined) after++;
        if (p.op === 'insert' || p.op === 'replace') {
          inserted += p.steps.length;
          p.steps.forEach((s) => stepOps.add(s.op));
        }
      }
    }
    for (const op of ['insert', 'delete', 'move', 'replace']) expect(ops.get(op) ?? 0, op).toBeGreaterThan(all.length / 10);
    expect(before).toBeGreaterThan(10);
    expect(after).toBeGreaterThan(10);
    expect(perCase[1]).toBeGreaterThan(10);
    expect(perCase[2]).toBeGreaterThan(10);
    expect(perCase[3]).toBeGreaterThan(10);
    expect(stepOps.size).toBeGreaterThan(12);
    expect(inserted).toBeGreaterThan((ops.get('insert')! + ops.get('replace')!) * 1.2);
    const scenarioNames = new Set(all.map((c) => c.request.scenario));
    expect(scenarioNames.size).toBeGreaterThan(scenarios().length / 2);
    const share = (f: (c: GeneratedCase) => boolean) => all.filter(f).length / all.length;
    // a named base a third of the time where the scenario has variants, WALK=fixed a quarter (where it exists), a weak model a third (where it resolves)
    expect(share((c) => c.request.variant.base !== undefined)).toBeGreaterThan(0.1);
    expect(share((c) => c.request.variant.base !== undefined)).toBeLessThan(0.5);
    expect(share((c) => c.request.variant.switches?.WALK === 'fixed')).toBeGreaterThan(0.05);
    expect(share((c) => c.request.variant.switches?.WALK === 'fixed')).toBeLessThan(0.4);
    expect(share((c) => c.request.memoryModel !== undefined)).toBeGreaterThan(0.1);
    expect(share((c) => c.request.memoryModel !== undefined)).toBeLessThan(0.5);
    expect(new Set(all.map((c) => c.request.memoryModel))).toEqual(new Set([undefined, 'tso', 'lkmm']));
    const seeds = all.filter((c) => c.request.scenario === 'seed').map((c) => c.request.params as Record<string, number>);
    expect(seeds.length).toBeGreaterThan(3);
    // each small parameter takes each of its values (a value out of range does not resolve, and the draw moves on)
    expect(new Set(seeds.map((p) => p.ptes))).toEqual(new Set([1, 2]));
    expect(new Set(seeds.map((p) => p.faults))).toEqual(new Set([1, 2]));
    expect(new Set(seeds.map((p) => p.passes))).toEqual(new Set([1, 2, 3]));
    // steps whose operands are plain registers (any kind) and labels turn up too
    for (const op of ['mov', 'copy', 'beq', 'jmp', 'call']) expect(stepOps, op).toContain(op);
  });

  it('a first patch may name a step that only the base or the switches put on the path (drawn from the path as they leave it)', () => {
    // the steps a case's first patch names, not on its scenario's plain path (no base, no switches)
    // generated here, not taken from caseOf's cache: the cases must be this generator's own
    const onlyVariant = SEEDS.map((seed) => generateCase(seed)!).filter((c) => {
      const { scenario, params, memoryModel, variant } = c.request;
      if (variant.base === undefined && Object.keys(variant.switches ?? {}).length === 0) return false;
      const first = (variant.patches as readonly Patch[])[0];
      const named =
        'step' in first && first.step !== undefined
          ? first.step
          : 'before' in first && first.before !== undefined
            ? first.before
            : (first as { after?: string }).after;
      const plain = resolveModel({ scenario, params, memoryModel }).world.paths[first.path] as PathDef | undefined;
      return !plain?.steps.some((st) => st.label === named);
    });
    // today seeds 46 (c11-fault-wmb-only's fault path, which the plain zap world does not run), 49
    // (a step of an LB variant's P1) and 86 (a step of c6-no-ttu-sync's split); a generator that
    // drew the first patch from the plain path would have none
    expect(onlyVariant.length).toBeGreaterThan(0);
  });
});
