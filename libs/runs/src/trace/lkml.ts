import type { Trace } from './trace.js';

// A trace ready to paste into a mailing-list reply: at most 80 columns, the CPUs side by side
// (one column per thread that ran in the range, as in the diagrams of kernel commit messages),
// each step as `function() [n]` with what it did under it, the violation marked, and the kernel
// sources as a numbered reference list (file:function@version) under the diagram.

export const LKML_WIDTH = 80;
const STEP = 6;

/** Words of `text` in lines of at most `width` characters (a longer word is cut). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (let word of text.split(/\s+/).filter(Boolean)) {
    while (word.length > width) {
      if (line) lines.push(line);
      lines.push(word.slice(0, width));
      word = word.slice(width);
      line = '';
    }
    if (!line) line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

export function renderTraceLkml(trace: Trace): string {
  const ran = trace.threads.filter((t) => trace.rows.some((r) => r.thread === t));
  const n = Math.max(1, ran.length);
  const col = Math.floor((LKML_WIDTH - STEP) / n) - 1;
  const refs: string[] = [];
  const ref = (file: string, fn: string, version: string) => {
    const key = `${file}:${fn}@${version}`;
    const i = refs.indexOf(key);
    if (i >= 0) return i + 1;
    refs.push(key);
    return refs.length;
  };
  const out: string[] = [];
  const v = trace.violation;
  const outcome = trace.outcome === null ? 'running' : v ? `${v.invariant} at step ${v.step}` : trace.outcome;
  out.push(...wrap(`${trace.scenario} (${trace.variant ?? 'kernel'}): ${outcome}`, LKML_WIDTH));
  out.push(...wrap(`mmreplay run ${trace.runId}, steps ${trace.from}-${trace.to} of ${trace.steps}`, LKML_WIDTH));
  out.push('');
  const cells = (texts: string[]) => `${''.padEnd(STEP)}${texts.map((t) => t.padEnd(col)).join(' ')}`.trimEnd();
  out.push(cells(ran.map((t, i) => `CPU${i} (${t})`.slice(0, col))));
  out.push(cells(ran.map(() => '-'.repeat(col))));
  for (const r of trace.rows) {
    const at = ran.indexOf(r.thread);
    const lines = [...wrap(`${r.fn}() [${ref(r.file, r.fn, r.version)}]`, col), ...wrap(r.action, col)];
    if (r.violation) lines.push(...wrap('<-- BUG', col));
    lines.forEach((text, i) => {
      const texts = ran.map((_, j) => (j === at ? text : ''));
      const line = cells(texts);
      out.push(i === 0 ? `${String(r.step).padStart(STEP - 2)}  ${line.slice(STEP)}`.trimEnd() : line);
    });
  }
  if (v) {
    out.push('');
    out.push(...wrap(`${v.invariant}: ${v.message ?? ''}`, LKML_WIDTH));
  }
  out.push('');
  refs.forEach((r, i) => out.push(...wrap(`[${i + 1}] ${r}`, LKML_WIDTH)));
  return `${out.join('\n')}\n`;
}
