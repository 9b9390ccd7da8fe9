import type { StepRecorded } from '@mmreplay/events';
import type { StateView } from '@mmreplay/projections';

const table = (rows: string[][]): string[] => {
  const widths = rows.reduce<number[]>((w, r) => r.map((c, i) => Math.max(w[i] ?? 0, c.length)), []);
  return rows.map((r) => `  ${r.map((c, i) => c.padEnd(widths[i])).join('  ')}`.trimEnd());
};

/** One step as a line: who, where in the kernel, what kind of event, with which operands. */
export function stepLine(e: StepRecorded): string {
  const args = Object.entries(e.args)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return `${e.thread} ${e.label} (${e.src.file} ${e.src.fn} ${e.src.version}): ${e.kind}${args ? ` ${args}` : ''}`;
}

/** The state view as kernel developers read it: pages, PTEs, PTLs, VMAs, wait queues, threads. */
export function renderState(view: StateView, event: StepRecorded | null): string {
  const out: string[] = [];
  out.push(view.step < 0 ? `run ${view.runId}, before the first step` : `run ${view.runId}, after step ${view.step}: ${event ? stepLine(event) : ''}`);
  out.push('', 'pages');
  out.push(
    ...table(
      Object.entries(view.pages).map(([name, p]) => {
        const flags = [p.waiters && 'waiters', p.freed && 'freed', p.frozen && `frozen(${p.frozenRef})`, p.head !== name && `tail of ${p.head}`]
          .filter(Boolean)
          .join(' ');
        return [name, p.locked ? `locked by ${p.owner}` : 'unlocked', `ref ${p.ref}`, `map ${p.map}`, p.mapping, flags];
      }),
    ),
  );
  out.push('ptes');
  out.push(...table(Object.entries(view.ptes).map(([name, e]) => [name, e.entry, `under ${e.ptl}`])));
  out.push('ptls');
  out.push(...table(Object.entries(view.ptls).map(([name, l]) => [name, l.holder ? `held by ${l.holder}` : 'free', `covers ${l.ptes.join(',')}`])));
  out.push('vmas');
  out.push(
    ...table(
      Object.entries(view.vmas).map(([name, v]) => [
        name,
        `start ${v.start}`,
        `pgoff ${v.pgoff}`,
        [v.inInterval ? 'linear' : '', v.nonlinear ? 'nonlinear' : '', v.tempStack ? 'temporary stack' : ''].filter(Boolean).join(' '),
      ]),
    ),
  );
  if (view.rmap !== '-') out.push(`rmap lock: ${view.rmap}`);
  const queues = Object.entries(view.waitQueues);
  out.push(`wait queues${queues.length ? '' : ': none'}`);
  for (const [page, waiters] of queues)
    out.push(`  ${page}: ${waiters.map((w) => `${w.thread}${w.exclusive ? ' (exclusive)' : ''}${w.woken ? ' (woken)' : ''}`).join(', ')}`);
  out.push('threads');
  for (const [name, t] of Object.entries(view.threads)) {
    const at = t.at ? `at ${t.at.label} (${t.at.file} ${t.at.fn} ${t.at.version})` : 'finished';
    const holds = [...t.holds.pageLocks.map((p) => `lock of ${p}`), ...t.holds.ptls].join(', ');
    const waiting = t.waitingOn && t.status === 'sleeping' ? ` on ${t.waitingOn.page}` : '';
    out.push(`  ${name}  ${t.status}${waiting}  ${at}${holds ? `  holds ${holds}` : ''}`);
    out.push(
      `    ${Object.entries(t.regs)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}${
        t.tlb && Object.keys(t.tlb).length
          ? `  tlb ${Object.entries(t.tlb)
              .map(([k, v]) => `${k}=${v}`)
              .join(' ')}`
          : ''
      }`,
    );
  }
  const mem = view.memory;
  if (mem) {
    // The memory model's objects (docs/memory-model.md): litmus variables and results, and per CPU
    // what is in flight and which stores have not reached it yet (lkmm).
    out.push('memory');
    const places = [...Object.entries(mem.vars), ...Object.entries(mem.results).map(([k, v]) => [k, v === null ? '(not recorded)' : v] as const)];
    if (places.length) out.push(`  ${places.map(([k, v]) => `${k}=${v}`).join(' ')}`);
    for (const [loc, stores] of Object.entries(mem.locations)) out.push(`  ${loc}: stores in coherence order ${stores.join(', ')}`);
    for (const [name, m] of Object.entries(mem.threads)) {
      const seen = Object.entries(m.sees).map(([loc, v]) => `${loc}=${v}${m.notYetSeen[loc]?.length ? ` (not yet ${m.notYetSeen[loc].join(', ')})` : ''}`);
      const flight = [...m.storeBuffer.map((x) => `buffered ${x}`), ...m.pendingStores.map((x) => `store ${x}`), ...m.pendingLoads.map((x) => `load ${x}`)];
      out.push(`  ${name}${seen.length ? `  sees ${seen.join(' ')}` : ''}${flight.length ? `  in flight: ${flight.join('; ')}` : ''}`);
    }
  }
  return `${out.join('\n')}\n`;
}
