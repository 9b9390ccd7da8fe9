import type { FieldIssue } from './errors.js';
import { OPS } from './isa.js';
import type { PathDef } from './program.js';
import { VariantNotApplicableError } from './scenarios/registry.js';
import type { World } from './world.js';

// What a variant can write that the engine could only fail on at run time: a loop of local
// instructions with no way out (`jmp` to itself), a `ret` with no `call` before it, a `call` that
// recurses. These are refused before a run starts (422 naming the step). A conditional local loop
// that never exits is left to the engine's own bound, and the run ends `failed` with the reason.

const ENDS = new Set(['done', 'exit']);

/** Successors of step i, a `call` going on after its return (its callee is walked apart). */
function successors(path: PathDef, labels: ReadonlyMap<string, number>, i: number): number[] {
  const step = path.steps[i];
  if (step.op === 'ret' || ENDS.has(step.op)) return [];
  const spec = OPS[step.op];
  const targets: number[] = [];
  spec.args.forEach((kind, j) => {
    if (kind !== 'label') return;
    const t = labels.get(String(step.args[j]));
    if (t !== undefined) targets.push(t);
  });
  if (step.op === 'call') return [i + 1];
  if (step.op === 'jmp') return targets;
  return [i + 1, ...targets];
}

/** Steps reachable from `start` at one call depth (not entering callees): the `call`s and `ret`s met. */
function walk(path: PathDef, labels: ReadonlyMap<string, number>, start: number): { calls: number[]; rets: number[] } {
  const seen = new Uint8Array(path.steps.length + 1);
  const stack = [start];
  const calls: number[] = [];
  const rets: number[] = [];
  while (stack.length) {
    const i = stack.pop()!;
    if (i >= path.steps.length || seen[i]) continue;
    seen[i] = 1;
    const op = path.steps[i].op;
    if (op === 'call') calls.push(i);
    if (op === 'ret') rets.push(i);
    for (const n of successors(path, labels, i)) stack.push(n);
  }
  return { calls, rets };
}

export function pathIssues(path: PathDef): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const labels = new Map(path.steps.map((s, i) => [s.label, i]));
  const where = (i: number) => `paths.${path.name}.steps[${i}] (${path.steps[i].label})`;

  // 1. A chain of local steps, each with one way on, that comes back to itself: it never ends.
  for (let i = 0; i < path.steps.length; i++) {
    let at = i;
    for (let n = 0; n <= path.steps.length; n++) {
      const step = path.steps[at];
      if (!step || OPS[step.op].visible) break;
      const next = step.op === 'call' ? labels.get(String(step.args[0])) : successors(path, labels, at);
      const only = typeof next === 'number' ? next : next && next.length === 1 ? next[0] : undefined;
      if (only === undefined) break;
      at = only;
      if (at === i) {
        issues.push({
          field: where(i),
          message: `'${step.op === 'jmp' && only === i ? 'jmp to itself' : 'a loop of local steps'}' never reaches an atomic step: the thread could never go on`,
        });
        break;
      }
    }
    if (issues.length) break;
  }

  // 2. A `ret` the path reaches with no call to return from.
  const top = walk(path, labels, 0);
  for (const r of top.rets) issues.push({ field: where(r), message: "'ret' is reached without a 'call': there is nothing to return to" });

  // 3. A subroutine that calls itself, directly or through others: the call stack only grows.
  const calleeOf = (c: number) => labels.get(String(path.steps[c].args[0]));
  const callsFrom = new Map<number, number[]>();
  const callees = new Set<number>();
  for (const c of walk(path, labels, 0).calls) {
    const t = calleeOf(c);
    if (t !== undefined) callees.add(t);
  }
  for (const t of path.steps.map((s, i) => (s.op === 'call' ? calleeOf(i) : undefined))) if (t !== undefined) callees.add(t);
  for (const t of callees) callsFrom.set(t, walk(path, labels, t).calls);
  const state = new Map<number, 1 | 2>();
  const visit = (t: number, via: number): boolean => {
    if (state.get(t) === 2) return false;
    if (state.get(t) === 1) {
      issues.push({ field: where(via), message: `'call ${path.steps[via].args[0]}' recurses: the subroutine calls itself, and the call stack has no bottom` });
      return true;
    }
    state.set(t, 1);
    for (const c of callsFrom.get(t) ?? []) {
      const u = calleeOf(c);
      if (u !== undefined && visit(u, c)) return true;
    }
    state.set(t, 2);
    return false;
  };
  for (const t of callees)
    if (
      visit(
        t,
        path.steps.findIndex((s, i) => s.op === 'call' && calleeOf(i) === t),
      )
    )
      break;
  return issues;
}

/** Refuses a world whose threads run a path that cannot work (see above), naming the step. */
export function assertPathsCanRun(world: World): void {
  const used = new Set(world.threads.map((t) => t.path));
  const issues: FieldIssue[] = [];
  for (const name of used) {
    const path = world.paths[name];
    if (path) issues.push(...pathIssues(path));
  }
  if (issues.length) throw new VariantNotApplicableError(issues);
}
