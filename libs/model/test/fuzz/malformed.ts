import fc from 'fast-check';

// Malformed scenario documents for property tests (model in process, the CLI on a sample): a
// valid document with one or more mutations at random paths, or arbitrary text.

/** A small valid document: two threads racing on one page lock, a switch and a variant. */
export const SMALL_DOCUMENT = {
  name: 'small',
  title: 'two lockers',
  params: [{ name: 'n', default: 2, min: 1, max: 3 }],
  switches: [{ name: 'ORDER', values: ['a', 'b'], default: 'a' }],
  pages: [{ name: 'P', ref: 1, map: 0, mapping: 'anon' }],
  ptls: ['ptl'],
  ptes: [{ name: 'e${i}', addr: '${16 * (i + 1)}', ptl: 'ptl', init: { kind: 'present', page: 'P' }, repeat: { as: 'i', count: '${n}' } }],
  vmas: [{ name: 'v0', start: 16, pgoff: 0 }],
  threads: [
    { name: 'a', path: 'locker', args: { page: 'P' } },
    { name: 'b', path: 'locker', args: { page: 'P' }, start: { after: 'a' }, when: { ORDER: 'b' } },
  ],
  paths: {
    locker: {
      title: 'lock and unlock',
      regs: { page: 'page', n: 'int' },
      steps: [
        { label: 'L1', op: 'lock_page', args: ['page'], src: { file: 'mm/filemap.c', fn: 'folio_lock', version: 'v6.6' } },
        { label: 'L2', op: 'unlock_page', args: ['page'] },
        { label: 'L3', op: 'add', args: ['n', 1] },
        { label: 'L4', op: 'blt', args: ['n', '${n}', 'L1'] },
      ],
    },
  },
  invariants: ['bug-on', 'deadlock'],
  variants: [{ name: 'b-first', switches: { ORDER: 'b' } }],
};

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = (string | number)[];

function paths(v: Json, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
}

const WEIRD: Json[] = [
  '',
  'mremap',
  '${',
  '${nope}',
  '${1/0}',
  '${n +}',
  -1,
  1e300,
  0.5,
  2 ** 40,
  true,
  null,
  [],
  {},
  'e9',
  'lock_pgae',
  'x'.repeat(5000),
  ['P'],
  { kind: 'migration' },
];

export type Mutation = { path: number; kind: number; value: Json; key: string };

/** Applies mutations (each at path index mod the number of paths). */
export function mutate(doc: unknown, ms: readonly Mutation[]): Json {
  let cur: Json = JSON.parse(JSON.stringify(doc)) as Json;
  for (const m of ms) {
    const all = paths(cur);
    const p = all[m.path % all.length];
    const parentPath = p.slice(0, -1);
    const last = p[p.length - 1];
    const parent = parentPath.reduce<Json>((x, k) => (x as Record<string | number, Json>)[k], cur) as Record<string | number, Json> | Json[] | undefined;
    const target = p.reduce<Json>((x, k) => (x as Record<string | number, Json>)[k], cur);
    const replacement = JSON.parse(JSON.stringify(m.kind % 2 === 0 ? m.value : WEIRD[m.kind % WEIRD.length])) as Json;
    switch (m.kind % 6) {
      case 0: // delete a field or an item
        if (parent && last !== undefined) {
          if (Array.isArray(parent)) parent.splice(Number(last), 1);
          else delete (parent as Record<string, Json>)[last];
        } else cur = replacement;
        break;
      case 1: // an unknown field
        if (target && typeof target === 'object' && !Array.isArray(target)) (target as Record<string, Json>)[m.key || 'x'] = replacement;
        else if (Array.isArray(target)) target.push(replacement);
        else cur = replacement;
        break;
      default: // a value replaced by something else
        if (parent && last !== undefined) (parent as Record<string | number, Json>)[last] = replacement;
        else cur = replacement;
    }
  }
  return cur;
}

export const mutationArb = fc.record({
  path: fc.nat(),
  kind: fc.nat(),
  value: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
  key: fc.string({ maxLength: 8 }),
});
export const mutationsArb = fc.array(mutationArb, { minLength: 1, maxLength: 4 });
