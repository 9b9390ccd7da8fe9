import { showValue } from './ast.js';
import type { Witness } from './check.js';
import type { Event } from './execution.js';

/**
 * A witness execution in words, one line per event in program order: what each store wrote and
 * where it stands in its location's coherence order, and for each load the store it read and the
 * stores of other CPUs later in that location's coherence order, which it did not see. In the
 * weak outcome of a test, those are the stores that had not yet reached that CPU.
 */
export function formatWitness(w: Witness): string {
  const rfOf = new Map<number, number>();
  for (const [wr, rd] of w.rf) if (!rfOf.has(rd)) rfOf.set(rd, wr);
  const coPos = new Map<number, { loc: string; index: number; order: readonly number[] }>();
  for (const [loc, order] of Object.entries(w.co)) order.forEach((id, index) => coPos.set(id, { loc, index, order }));
  const who = (e: Event) => (e.init ? 'the initial value' : `P${e.thread}'s ${e.source} (line ${e.line})`);
  const lines: string[] = [];
  const threads = [...new Set(w.events.filter((e) => !e.init).map((e) => e.thread))].sort((a, b) => a - b);
  for (const t of threads) {
    lines.push(`P${t}:`);
    for (const e of w.events.filter((x) => x.thread === t)) {
      const what = e.lock ? `${e.source}(${e.loc}) [${e.lock}]` : e.kind === 'F' ? e.source : `${e.source} ${e.kind === 'R' ? 'reads' : 'writes'} ${e.loc}`;
      if (e.kind === 'F') {
        lines.push(`  line ${e.line}: ${what}`);
        continue;
      }
      if (e.kind === 'W') {
        const c = coPos.get(e.id);
        const place = c ? `, write ${c.index} of ${c.order.length - 1} to ${c.loc} in coherence order` : '';
        lines.push(`  line ${e.line}: ${what}${e.lock ? '' : ` = ${showValue(e.value!)}`}${place}`);
        continue;
      }
      const src = rfOf.get(e.id);
      const from = src === undefined ? '' : ` from ${who(w.events[src])}`;
      const c = src === undefined ? undefined : coPos.get(src);
      const newer =
        c && !e.lock
          ? c.order
              .slice(c.index + 1)
              .map((id) => w.events[id])
              .filter((x) => x.thread !== e.thread)
          : [];
      const stale = newer.length
        ? `; did not see ${newer.map((x) => `${who(x)} = ${showValue(x.value!)}`).join(', ')} (later in ${e.loc}'s coherence order)`
        : '';
      lines.push(`  line ${e.line}: ${what}${e.lock ? '' : ` = ${showValue(e.value!)}`}${from}${stale}`);
    }
  }
  lines.push(
    `final state: ${Object.entries(w.state.values)
      .map(([k, v]) => `${k}=${v};`)
      .join(' ')}`,
  );
  return lines.join('\n') + '\n';
}
