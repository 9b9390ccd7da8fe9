import {
  assertPathsCanRun,
  OPS,
  resolveModel,
  scenarios,
  type OpName,
  type OperandKind,
  type PatchStep,
  type Patch,
  type PathDef,
  type ResolveRequest,
  type Variant,
} from '@mmreplay/model';
import { Rng } from '@mmreplay/engine';

// Random, well-typed protocol variants for differential testing of the reductions (issue 11
// item 3): steps inserted, deleted, moved and replaced in a path the scenario runs, built from
// locks, unlocks, PTL operations, PTE reads and writes, rmap walks, reference counting, BUG_ON
// checks, jumps and calls, on the path's own registers (each operand gets a register of the kind
// its declaration names). Scenarios run with small parameters so that a reference enumeration
// stays cheap.

/** The ops a generated step may use. */
const OPS_POOL: readonly OpName[] = [
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
];

export interface GeneratedCase {
  readonly seed: number;
  readonly request: ResolveRequest & { readonly variant: Variant };
}

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.below(xs.length)];

/** Small parameters for each scenario: the seed thread with at most two PTEs and two faults. */
function smallParams(rng: Rng, scenario: string): Record<string, number> | undefined {
  if (scenario === 'seed') return { ptes: 1 + rng.below(2), faults: 1 + rng.below(2), passes: 1 + rng.below(3) };
  return undefined;
}

function registersOf(def: PathDef, kind: OperandKind): string[] {
  if (kind === 'reg') return def.regs.map((r) => r.name);
  return def.regs.filter((r) => r.type === kind).map((r) => r.name);
}

/** A step of op `op` on the path's own registers and labels, or null if the path has no register of a kind it needs. */
function makeStep(rng: Rng, def: PathDef, op: OpName, label: string): PatchStep | null {
  const args: (string | number)[] = [];
  for (const o of OPS[op].operands) {
    if (o.kind === 'label') args.push(pick(rng, def.steps).label);
    else if (o.kind === 'imm') args.push(op === 'beq' || op === 'mov' ? rng.below(3) - 1 : 0);
    else {
      const regs = registersOf(def, o.kind);
      if (regs.length === 0) return null;
      args.push(pick(rng, regs));
    }
  }
  return { label, op, args };
}

function newSteps(rng: Rng, def: PathDef, fresh: () => string): PatchStep[] {
  const out: PatchStep[] = [];
  const n = 1 + rng.below(2);
  for (let tries = 0; out.length < n && tries < 20; tries++) {
    const step = makeStep(rng, def, pick(rng, OPS_POOL), fresh());
    if (step) out.push(step);
  }
  return out;
}

function makePatch(rng: Rng, def: PathDef, fresh: () => string): Patch | null {
  const at = pick(rng, def.steps).label;
  const where = rng.below(2) === 0 ? { before: at } : { after: at };
  switch (rng.below(4)) {
    case 0: {
      const steps = newSteps(rng, def, fresh);
      return steps.length ? { op: 'insert', path: def.name, ...where, steps } : null;
    }
    case 1:
      return { op: 'delete', path: def.name, step: pick(rng, def.steps).label };
    case 2:
      return { op: 'move', path: def.name, step: pick(rng, def.steps).label, ...where };
    default: {
      const steps = newSteps(rng, def, fresh);
      return steps.length ? { op: 'replace', path: def.name, step: pick(rng, def.steps).label, steps } : null;
    }
  }
}

/**
 * The variant of one seed: a scenario (sometimes with a named variant as base, WALK=fixed, or a weak
 * memory model where it has relaxed accesses) and one to three patches that link. Null when no
 * linking variant came out of a few attempts.
 */
export function generateCase(seed: number): GeneratedCase | null {
  const rng = new Rng(seed);
  const all = scenarios();
  for (let attempt = 0; attempt < 20; attempt++) {
    const s = pick(rng, all);
    const params = smallParams(rng, s.name);
    const base = s.variants.length && rng.below(3) === 0 ? pick(rng, s.variants).name : undefined;
    const switches: Record<string, string> = {};
    if (rng.below(4) === 0) switches.WALK = 'fixed';
    const memoryModel = rng.below(3) === 0 ? pick(rng, ['tso', 'lkmm'] as const) : undefined;
    let world;
    try {
      world = resolveModel({ scenario: s.name, params, variant: { base, switches }, memoryModel }).world;
    } catch {
      continue; // a switch or model the scenario does not have
    }
    const used = [...new Set(world.threads.map((t) => t.path))];
    const patches: Patch[] = [];
    let n = 0;
    const fresh = () => `fz${n++}`;
    const count = 1 + rng.below(3);
    // the world as the patches so far leave it (each later patch addresses the paths it has)
    let patched = world;
    for (let i = 0; i < count; i++) {
      const def = (patched.paths as Record<string, PathDef>)[pick(rng, used)];
      const p = makePatch(rng, def, fresh);
      if (!p) continue;
      patches.push(p);
      try {
        patched = resolveModel({ scenario: s.name, params, variant: { base, switches, patches }, memoryModel }).world;
      } catch {
        patches.pop();
      }
    }
    if (patches.length === 0) continue;
    // A path that cannot run (a ret with no call, a call that recurses, a local loop with no way
    // out) is refused before any run or audit (libs/model termination.ts): drawn again, not checked,
    // so that the seeds go to variants a user could audit. The seeds whose first draw could run keep it.
    try {
      assertPathsCanRun(patched);
    } catch {
      continue;
    }
    const variant: Variant = { name: `fuzz-${seed}`, ...(base ? { base } : {}), switches, patches };
    return { seed, request: { scenario: s.name, ...(params ? { params } : {}), variant, ...(memoryModel ? { memoryModel } : {}) } };
  }
  return null;
}
