import type { LitmusResult } from './check.js';

/**
 * A result in herd7's shape, so that kernel developers read it as they read herd7's:
 * `Test`, `States`, the states, `Ok`/`No`, `Witnesses`, `Positive: p Negative: n`, flags,
 * `Condition`, `Observation <name> Never|Sometimes|Always p n`.
 */
export function formatHerd(r: LitmusResult): string {
  const lines = [`Test ${r.name} ${r.kind}`, `States ${r.states.length}`];
  for (const s of r.states)
    lines.push(
      Object.entries(s.values)
        .map(([k, v]) => `${k}=${v};`)
        .join(' '),
    );
  lines.push(r.validated ? 'Ok' : 'No', 'Witnesses', `Positive: ${r.witnesses.positive} Negative: ${r.witnesses.negative}`);
  for (const f of r.flags) lines.push(`Flag ${f}`);
  lines.push(`Condition ${r.condition}`, `Observation ${r.name} ${r.observation} ${r.positive} ${r.negative}`);
  return lines.join('\n') + '\n';
}
