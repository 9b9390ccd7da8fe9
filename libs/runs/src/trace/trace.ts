import type { RunCompleted, StepRecorded } from '@mmreplay/events';
import { PageField, PageFlag, formatPte } from '@mmreplay/model';
import { applyStep, type RunModel } from '@mmreplay/projections';
import { describeStep } from './describe-step.js';

// A run (or a range of its steps) as the interleaving diagram kernel developers paste into commit
// messages: one column per thread, one row per step with the kernel function and what the step
// did, then the locks and PTE values that matter after it, and the violation marked.

export interface TraceColumn {
  /** `page:P`, `ptl:ptl`, `pte:e0` */
  object: string;
  /** what the column shows: a page's lock owner, a PTL's holder, a PTE's entry */
  shows: 'lock owner' | 'holder' | 'entry';
  header: string;
}

export interface TraceRow {
  step: number;
  thread: string;
  fn: string;
  file: string;
  version: string;
  label: string;
  op: string;
  kind: string;
  /** what the step did, e.g. `e0 = migration(P,write)` */
  action: string;
  /** object -> its value after the step, for every column */
  state: Record<string, string>;
  /** set on the step that broke an invariant */
  violation?: string;
}

export interface Trace {
  runId: string;
  scenario: string;
  variant: string | null;
  strategy: string;
  seed: number | string;
  /** null while the run has not completed */
  outcome: RunCompleted['outcome'] | null;
  violation: RunCompleted['violation'];
  /** the run's number of steps (so far) */
  steps: number;
  from: number;
  to: number;
  threads: string[];
  columns: TraceColumn[];
  rows: TraceRow[];
}

/**
 * Builds the trace of `events` (consecutive steps) from the state before the first of them.
 * Columns are the pages whose lock, the PTLs whose holder and the PTEs whose entry changed or was
 * read in the range: the ones that matter to the steps shown.
 */
export function buildTrace(model: RunModel, before: Int32Array, events: readonly StepRecorded[], completed: RunCompleted | null, steps: number): Trace {
  const w = model.world;
  const L = model.layout;
  const state = before.slice();
  const pageOwner = (i: number) =>
    (state[L.page(i, PageField.flags)] & PageFlag.locked) !== 0 ? (model.holderName(state[L.page(i, PageField.owner)]) ?? '?') : '-';
  const candidates: { column: TraceColumn; value: () => string }[] = [
    ...w.pages.map((p, i) => ({ column: { object: `page:${p.name}`, shows: 'lock owner' as const, header: p.name }, value: () => pageOwner(i) })),
    ...w.ptls.map((name, i) => ({
      column: { object: `ptl:${name}`, shows: 'holder' as const, header: name },
      value: () => model.holderName(state[L.ptl(i)]) ?? '-',
    })),
    ...w.ptes.map((e, i) => ({
      column: { object: `pte:${e.name}`, shows: 'entry' as const, header: e.name },
      value: () => formatPte(state[L.pte(i)], L.pageName),
    })),
  ];
  const matters = new Set<string>();
  const violation = completed?.violation ?? null;
  const rows: TraceRow[] = events.map((e) => {
    applyStep(state, e, undefined);
    for (const d of e.deltas) {
      if (d.object.startsWith('pte:') || d.object.startsWith('ptl:')) matters.add(d.object);
      if (d.object.startsWith('page:') && (d.field === 'owner' || (d.field === 'flags' && ((d.before ^ d.after) & PageFlag.locked) !== 0)))
        matters.add(d.object);
    }
    // A PTE read matters as much as a PTE write: it is what the reader then acts on.
    for (const v of Object.values(e.args)) if (typeof v === 'string' && L.pteIndex.has(v) && /pte|access/.test(e.op)) matters.add(`pte:${v}`);
    const row: TraceRow = {
      step: e.step,
      thread: e.thread,
      fn: e.src.fn,
      file: e.src.file,
      version: e.src.version,
      label: e.label,
      op: e.op,
      kind: e.kind,
      action: describeStep(model, e),
      state: Object.fromEntries(candidates.map((c) => [c.column.object, c.value()])),
    };
    if (violation && violation.step === e.step) row.violation = `${violation.invariant}: ${violation.message ?? ''}`.trim();
    return row;
  });
  const columns = candidates.map((c) => c.column).filter((c) => matters.has(c.object));
  for (const r of rows) r.state = Object.fromEntries(columns.map((c) => [c.object, r.state[c.object]]));
  const started = model.started;
  return {
    runId: model.runId,
    scenario: started.scenario,
    variant: started.variant,
    strategy: started.strategy,
    seed: started.seed,
    outcome: completed?.outcome ?? null,
    violation,
    steps,
    from: events[0]?.step ?? 0,
    to: events.length ? events[events.length - 1].step : -1,
    threads: w.threads.map((t) => t.name),
    columns,
    rows,
  };
}

const MAX_CELL = 72;
/**
 * User text (variant step labels, names) shown as text, never as terminal control: ESC, CR, LF and
 * the other C0/C1 controls are written as `\xNN`, so a label cannot move the cursor, recolour a
 * terminal or forge a trace line.
 */
export const printable = (s: string): string => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

const cut = (raw: string) => {
  const s = printable(raw);
  return s.length <= MAX_CELL ? s : `${s.slice(0, MAX_CELL - 3)}...`;
};

/** The trace as plain text: stable for a given run and range (no times, no ids but the run's). */
export function renderTraceText(trace: Trace): string {
  const head: string[] = [];
  const v = trace.violation;
  const outcome = trace.outcome === null ? 'running' : `${trace.outcome}${v ? `, ${v.invariant} at step ${v.step}` : ''}`;
  // A replay has no seed of its own: its schedule decides every step.
  head.push(
    `run ${trace.runId}: ${trace.scenario} (${trace.variant ?? 'kernel'}), ${trace.strategy === 'replay' ? 'replay of a schedule' : `${trace.strategy} seed ${trace.seed}`}: ${outcome}`,
  );
  head.push(
    trace.rows.length
      ? `steps ${trace.from}-${trace.to} of 0-${trace.steps - 1}; after each step: page = lock owner, ptl = holder, pte = entry`
      : `no steps in range (the run has steps 0-${trace.steps - 1})`,
  );

  // Each thread's cells: its kernel function when it changes, then the step's action under it.
  type Line = { step: string; cells: string[]; state: string[]; mark?: string };
  const lines: Line[] = [];
  const lastFn = new Map<string, string>();
  const col = new Map(trace.threads.map((t, i) => [t, i]));
  const blank = () => trace.threads.map(() => '');
  for (const r of trace.rows) {
    const c = col.get(r.thread) ?? 0;
    if (lastFn.get(r.thread) !== r.fn) {
      lastFn.set(r.thread, r.fn);
      const cells = blank();
      cells[c] = cut(`${r.fn}()`);
      lines.push({ step: '', cells, state: trace.columns.map(() => '') });
    }
    const cells = blank();
    cells[c] = cut(`  ${r.label}: ${r.action}${r.violation ? '  <-- BUG' : ''}`);
    lines.push({ step: String(r.step), cells, state: trace.columns.map((k) => r.state[k.object] ?? '') });
    if (r.violation)
      lines.push({ step: '', cells: blank(), state: [], mark: `!!!! ${r.violation} (${r.thread}, step ${r.step}, ${r.file} ${r.fn} ${r.version})` });
  }
  if (v && v.step >= trace.steps && trace.to === trace.steps - 1) {
    lines.push({ step: '', cells: blank(), state: [], mark: `!!!! after the last step: ${v.invariant}: ${v.message ?? ''}`.trimEnd() });
  }

  const stepWidth = Math.max(4, ...lines.map((l) => l.step.length));
  const cellWidth = trace.threads.map((t, i) => Math.max(printable(t).length, ...lines.map((l) => l.cells[i].length)));
  const stateWidth = trace.columns.map((k, i) => Math.max(printable(k.header).length, ...lines.map((l) => printable(l.state[i] ?? '').length)));
  const join = (step: string, cells: string[], state: string[]) =>
    [step.padStart(stepWidth), ...cells.map((x, i) => x.padEnd(cellWidth[i])), ...state.map((x, i) => x.padEnd(stateWidth[i]))].join('  ').trimEnd();
  const out = [...head.map(printable), ''];
  out.push(
    join(
      'step',
      trace.threads.map(printable),
      trace.columns.map((k) => printable(k.header)),
    ),
  );
  out.push(
    join(
      '----',
      cellWidth.map((n) => '-'.repeat(n)),
      stateWidth.map((n) => '-'.repeat(n)),
    ),
  );
  for (const l of lines) out.push(l.mark ? `${' '.repeat(stepWidth)}  ${printable(l.mark)}` : join(l.step, l.cells, l.state.map(printable)));
  return `${out.join('\n')}\n`;
}
