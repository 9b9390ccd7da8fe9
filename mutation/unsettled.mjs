#!/usr/bin/env node
// The mutants of a library still left alive (Survived or NoCoverage) in their last result, one a
// line: file, line:column, mutator, replacement. The input of a survivor audit: each line must end
// up killed by a test or explained in mutation/equivalent.md. Reads the same last results as
// mutation/summary.mjs (whose lastResults this reuses), so the two never disagree.
//
//   node mutation/unsettled.mjs <lib> [file-substring]
import { current, lastResults } from './summary.mjs';

const [lib, only] = process.argv.slice(2);
if (!lib) throw new Error('usage: node mutation/unsettled.mjs <lib> [file-substring]');
let n = 0;
for (const [file, e] of [...lastResults(lib)].sort(([a], [b]) => a.localeCompare(b))) {
  if (only && !file.includes(only)) continue;
  const alive = [...e.mutants.values()]
    .filter((m) => m.status === 'Survived' || m.status === 'NoCoverage')
    .sort((a, b) => a.location.start.line - b.location.start.line || a.location.start.column - b.location.start.column);
  const stale = current(file, e.source) ? '' : '  STALE: source changed since measured';
  for (const m of alive) {
    const { line, column } = m.location.start;
    // replacements can span lines; one line each keeps the list greppable
    const replacement = (m.replacement ?? '').replace(/\s*\n\s*/g, ' ');
    console.log(`${file}:${line}:${column}  ${m.status}  ${m.mutatorName}  ${replacement}${stale}`);
    n++;
  }
}
console.log(`${n} mutants alive`);
