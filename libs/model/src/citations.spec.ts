import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveModel, scenarios } from './scenarios/registry.js';
import type { PathDef } from './program.js';

// Issue 11 item 7: one kernel version per path, really cited. Every (file, function, version) a
// step cites is in libs/model/data/kernel-functions.json with where the fact comes from; labels
// and BUG messages use the names of the version the path cites.

interface Entry {
  readonly file: string;
  readonly fn: string;
  readonly version: string;
  readonly grade: 'V' | 'C' | 'I';
  readonly evidence: string;
}
const table: Entry[] = JSON.parse(readFileSync(new URL('../data/kernel-functions.json', import.meta.url), 'utf8')).entries;
const key = (file: string, fn: string, version: string) => `${file}|${fn}|${version}`;

/** Every path of every catalogue scenario, under its kernel protocol, each variant and each switch value. */
function allPaths(): { where: string; path: PathDef }[] {
  const out: { where: string; path: PathDef }[] = [];
  for (const s of scenarios()) {
    if (s.row === 'litmus') continue;
    const variants = [undefined, ...s.variants.map((v) => v.name), ...s.switches.flatMap((w) => w.values.map((v) => ({ switches: { [w.name]: v } })))];
    for (const variant of variants) {
      const { world } = resolveModel({ scenario: s.name, variant });
      for (const path of Object.values(world.paths)) out.push({ where: `${s.name} ${JSON.stringify(variant ?? 'kernel')} ${path.name}`, path });
    }
  }
  return out;
}

const ver = (v: string): number[] => (/^v(\d+)\.(\d+)/.exec(v) ?? ['', '0', '0']).slice(1).map(Number);
const atLeast = (v: string, min: string) => {
  const [a, b] = ver(v);
  const [c, d] = ver(min);
  return a > c || (a === c && b >= d);
};

/** Names that exist only from (or until) a kernel version: a label or a cited function using one must fit. */
const NAMES: { pattern: RegExp; since?: string; until?: string }[] = [
  { pattern: /folio_remove_rmap_pte/, since: 'v6.8' },
  { pattern: /pfn_swap_entry_folio/, since: 'v6.9' },
  { pattern: /softleaf_/, since: 'v6.19' },
  { pattern: /do_pte_missing/, since: 'v6.3' },
  { pattern: /migrate_folio_(unmap|move)|migrate_pages_batch/, since: 'v6.3' },
  { pattern: /folio_migrate_mapping/, since: 'v5.16' },
  { pattern: /try_to_migrate/, since: 'v5.14' },
  { pattern: /put_and_wait_on_page_locked|migrate_page_move_mapping|__migration_entry_wait/, until: 'v5.15' },
  { pattern: /migration_entry_wait_on_locked/, since: 'v5.17', until: 'v6.18' },
  { pattern: /filemap_get_entry|shmem_get_folio_gfp/, since: 'v6.3' },
];

describe('kernel citations', () => {
  const paths = allPaths();

  it('every cited (file, function, version) is in the table, with its evidence', () => {
    const known = new Set(table.map((e) => key(e.file, e.fn, e.version)));
    const missing = new Set<string>();
    for (const { where, path } of paths) {
      for (const st of path.steps)
        if (!known.has(key(st.src.file, st.src.fn, st.src.version))) missing.add(`${key(st.src.file, st.src.fn, st.src.version)} (${where} ${st.label})`);
    }
    expect([...missing]).toEqual([]);
    for (const e of table) expect(e.evidence.length, key(e.file, e.fn, e.version)).toBeGreaterThan(20);
  });

  it('the table has no row that no step cites', () => {
    const cited = new Set(paths.flatMap(({ path }) => path.steps.map((st) => key(st.src.file, st.src.fn, st.src.version))));
    expect(table.map((e) => key(e.file, e.fn, e.version)).filter((k) => !cited.has(k))).toEqual([]);
  });

  it('each path cites one kernel version', () => {
    const mixed = paths
      .filter(({ path }) => new Set(path.steps.map((st) => st.src.version)).size !== 1)
      .map(({ where, path }) => `${where}: ${[...new Set(path.steps.map((st) => st.src.version))].join(', ')}`);
    expect(mixed).toEqual([]);
  });

  it('labels and cited functions use names the cited version has', () => {
    const wrong: string[] = [];
    for (const { where, path } of paths) {
      for (const st of path.steps) {
        for (const n of NAMES) {
          for (const text of [st.label, st.src.fn]) {
            if (!n.pattern.test(text)) continue;
            if ((n.since && !atLeast(st.src.version, n.since)) || (n.until && !atLeast(n.until, st.src.version))) {
              wrong.push(`${where} ${st.label} (${st.src.fn} ${st.src.version})`);
            }
          }
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it("the BUG_ON's message matches the version: pfn_swap_entry_to_page (v5.14-v6.18) for check_locked, softleaf_to_folio (v6.19) for check_locked_loaded", () => {
    for (const { where, path } of paths) {
      for (const st of path.steps) {
        if (st.op === 'check_locked')
          expect(atLeast(st.src.version, 'v5.14') && !atLeast(st.src.version, 'v6.19'), `${where} ${st.label} ${st.src.version}`).toBe(true);
        if (st.op === 'check_locked_loaded') expect(atLeast(st.src.version, 'v6.19'), `${where} ${st.label}`).toBe(true);
      }
    }
  });
});
