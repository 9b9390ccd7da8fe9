// The explorer and SPIN side by side, from the rows of one `node bench/run.js explorer spin`: per N,
// the explorer's exact search (1 and 2 workers) next to SPIN with -DCOLLAPSE, and the explorer's
// approximate runs (bitstate, hash compaction) next to SPIN with -DBITSTATE, with the ratios of
// each SPIN row to the explorer's matching row. Printed as Markdown, ready for BENCHMARKS.md.

import { formatUpperProbability as upper } from '@mmreplay/explorer';

const n = (v, digits = 0) => (v === null || v === undefined ? '-' : Number(v).toLocaleString('en-US', { maximumFractionDigits: digits }));

const finished = (r) => (r.tool === 'spin' ? r.status === 'ok' : !/\(/.test(r.verdict) || r.verdict === 'holds (approximate)');

/** ours / SPIN, with `<` or `>` where one side stopped at its cap (the other would need longer). */
function timeRatio(ours, spin) {
  if (!ours?.seconds || !spin?.seconds) return '-';
  const x = (ours.seconds / spin.seconds).toFixed(2);
  const [o, s] = [finished(ours), finished(spin)];
  if (o && s) return x;
  if (o && !s) return `< ${x}`;
  if (!o && s) return `> ${x}`;
  return `(${x}, both stopped)`;
}

/** One row of the explorer's or SPIN's section, as a line of the table. */
function line(r, ratioTo) {
  const spin = r.tool === 'spin';
  const storage = spin ? `SPIN -D${r.storage.toUpperCase()}${r.storage === 'bitstate' ? ' -w32' : ''}` : r.label;
  const verdict = spin ? (r.status === 'ok' ? r.verdict : `${r.status}${r.statesStored ? ' (so far)' : ''}`) : r.verdict;
  const bytes = spin ? n(r.bytesPerState) : `${n(r.peakBytesPerState)}${r.bytesPerState ? ` (store ${n(r.bytesPerState)})` : ''}`;
  const miss = spin
    ? r.hashFactor
      ? `hash factor ${n(r.hashFactor, 1)}`
      : '-'
    : r.omissionProbability !== undefined
      ? `${upper(r.omissionProbability)} (hash factor ${n(r.hashFactor, 1)})`
      : '-';
  const ratio = ratioTo
    ? `${timeRatio(ratioTo, r)} | ${ratioTo.statesPerSecond && r.statesPerSecond ? (ratioTo.statesPerSecond / r.statesPerSecond).toFixed(2) : '-'} | ${ratioTo.statesStored && r.statesStored ? `1 : ${(r.statesStored / ratioTo.statesStored).toFixed(1)}` : '-'}`
    : '| |';
  return `| ${r.N} | ${storage} | ${verdict} | ${n(r.statesStored)} | ${n(r.seconds, 1)} | ${n(spin ? r.memoryMB : r.peakMB)} | ${bytes} | ${n(r.statesPerSecond)} | ${miss} | ${ratio} |`;
}

/** The Markdown table of one run's explorer and SPIN rows (null when either section has none). */
export function sideBySide(explorerRows, spinRows) {
  if (!explorerRows?.length || !spinRows?.length) return null;
  const ours = explorerRows
    .filter((r) => /^kernel/.test(r.run ?? '') && r.statesStored !== undefined)
    .map((r) => ({ ...r, tool: 'explorer', label: r.method ? `mmreplay ${r.method}` : `mmreplay exact, ${r.workers} worker${r.workers > 1 ? 's' : ''}` }));
  const spins = spinRows
    .filter((r) => r.model === 'seed' && (r.storage === 'collapse' || r.storage === 'bitstate') && r.reduction === 'por')
    .map((r) => ({ ...r, tool: 'spin' }));
  const ns = [...new Set([...ours, ...spins].map((r) => r.N))].filter((x) => typeof x === 'number').sort((a, b) => a - b);
  const out = [
    '| N | search | verdict | states stored | time (s) | peak memory (MB) | bytes/state | states/s | P(a state missed) | time ours/SPIN | states/s ours/SPIN | states ours : SPIN |',
    '|---|---|---|---:|---:|---:|---:|---:|---|---:|---:|---:|',
  ];
  for (const N of ns) {
    const exact = ours.filter((r) => r.N === N && !r.method);
    const approx = ours.filter((r) => r.N === N && r.method);
    const one = exact.find((r) => r.workers === 1) ?? exact[0];
    for (const r of exact) out.push(line(r));
    for (const s of spins.filter((r) => r.N === N && r.storage === 'collapse')) out.push(line(s, one));
    for (const r of approx) out.push(line(r));
    const bitstate = approx.find((r) => r.method === 'bitstate') ?? one;
    for (const s of spins.filter((r) => r.N === N && r.storage === 'bitstate')) out.push(line(s, bitstate));
  }
  return [
    ...out,
    '',
    'Ratios compare each SPIN row with the explorer row above it of the same N (exact, 1 worker, for -DCOLLAPSE; bitstate when there is one, else exact, for -DBITSTATE).',
    '`<` / `>`: one side stopped at its time cap, so the true ratio is below / above the figure. Bytes/state: the whole process (explorer: peak RSS; SPIN: pan\'s total memory) over the states stored; "store" is the explorer\'s visited set alone.',
  ].join('\n');
}
