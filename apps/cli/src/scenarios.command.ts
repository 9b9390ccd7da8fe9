import { parseArgs } from 'node:util';
import { INVARIANTS, invariantBacking } from '@mmreplay/model';
import { parsed } from './args.js';
import type { Io } from './io.js';
import type { BackendProvider } from './backend/backend.js';

export async function scenariosCommand(argv: string[], io: Io, withBackend: BackendProvider): Promise<number> {
  const { values } = parsed(() => parseArgs({ args: argv, options: { json: { type: 'boolean' } } }));
  const list = await withBackend((backend) => backend.scenarios());
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
  // What each invariant is: a check the kernel makes, or a protocol argument it does not check.
  io.out('\ninvariants:\n');
  for (const i of INVARIANTS) {
    const b = invariantBacking(i.name);
    io.out(`  ${i.name.padEnd(18)} ${b?.class === 'kernel-assertion' ? 'kernel assertion' : 'protocol invariant'}: ${b?.backing ?? ''}\n`);
  }
  return 0;
}
