import { namedVariants, scenarios, switchesOf } from '@mmreplay/model';
import { parseArgs } from 'node:util';
import { parsed } from './args.js';
import type { Io } from './io.js';

export function scenariosCommand(argv: string[], io: Io): number {
  const { values } = parsed(() => parseArgs({ args: argv, options: { json: { type: 'boolean' } } }));
  const list = scenarios().map((s) => ({
    name: s.name,
    title: s.title,
    row: s.row,
    params: s.params.map((p) => ({ name: p.name, default: p.default, min: p.min, max: p.max, description: p.description })),
    switches: switchesOf(s).map((w) => ({ name: w.name, values: w.values, default: w.default })),
    variants: namedVariants(s).map((v) => ({ name: v.name, description: v.description })),
    invariants: s.invariants,
  }));
  if (values.json) {
    io.out(`${JSON.stringify(list, null, 2)}\n`);
    return 0;
  }
  for (const s of list) {
    io.out(`${s.name}  (${s.row})  ${s.title}\n`);
    if (s.params.length) io.out(`  params:   ${s.params.map((p) => `${p.name}=${p.default}`).join(' ')}\n`);
    io.out(`  switches: ${s.switches.map((w) => `${w.name}=${w.values.join('|')}`).join(' ')}\n`);
    if (s.variants.length) io.out(`  variants: ${s.variants.map((v) => v.name).join(', ')}\n`);
    io.out(`  audits:   ${s.invariants.join(', ')}\n`);
  }
  return 0;
}
