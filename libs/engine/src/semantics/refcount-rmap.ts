import { PAGE_WIDTH, PageField, PageFlag, RmapWalk, VmaFlag, mappingKinds } from '@mmreplay/model';
import type { StepHost } from './context.js';

// References, mapcount and the rmap: refcount with freezing, mapcount, the rmap lock (anon_vma /
// i_mmap rwsem: -1 write-held, n > 0 readers) and the walk over a page's VMAs. `R` is the slot of
// the thread's register 0.

/** Mappings whose page cache holds a reference of its own (folio_expected_refs). */
const MAPPING_WITH_CACHE = new Set(['file', 'shmem', 'swapcache'].map((m) => mappingKinds.indexOf(m as never)));

const pageSlot = (m: StepHost, s: Int32Array, R: number, reg: number) => m.layout.pages + s[R + reg] * PAGE_WIDTH;

export function getPage(m: StepHost, s: Int32Array, t: number, R: number, page: number): boolean {
  const p = pageSlot(m, s, R, page);
  let good = true;
  if (s[p + PageField.flags] & (PageFlag.freed | PageFlag.frozen)) {
    good = m.fail(t, 'use-after-free', `folio_get on ${s[p + PageField.flags] & PageFlag.freed ? 'freed' : 'frozen'} page ${m.pageName(s[R + page])}`);
  }
  s[p + PageField.ref]++;
  return good;
}

/** folio_put of page pi: the page is freed when the last reference goes. */
export function putPage(m: StepHost, s: Int32Array, t: number, pi: number): boolean {
  const p = m.layout.pages + pi * PAGE_WIDTH;
  if (s[p + PageField.ref] <= 0) return m.fail(t, 'use-after-free', `folio_put on ${m.pageName(pi)} with refcount ${s[p + PageField.ref]}`);
  if (--s[p + PageField.ref] === 0) {
    s[p + PageField.flags] |= PageFlag.freed;
    if (s[p + PageField.flags] & PageFlag.locked) return m.fail(t, 'use-after-free', `frees ${m.pageName(pi)} while it is locked (bad_page)`);
  }
  return true;
}

export function tryGetPage(m: StepHost, s: Int32Array, R: number, page: number, ok: number): boolean {
  const p = pageSlot(m, s, R, page);
  if (s[p + PageField.ref] === 0 || (s[p + PageField.flags] & PageFlag.frozen) !== 0) s[R + ok] = 0;
  else {
    s[p + PageField.ref]++;
    s[R + ok] = 1;
  }
  return true;
}

export function refCheck(m: StepHost, s: Int32Array, R: number, page: number, extra: number, ok: number): boolean {
  const p = pageSlot(m, s, R, page);
  s[R + ok] = s[p + PageField.ref] === expectedRefs(m, s, s[R + page]) + extra ? 1 : 0;
  return true;
}

export function refFreeze(m: StepHost, s: Int32Array, R: number, page: number, extra: number, ok: number): boolean {
  const p = pageSlot(m, s, R, page);
  const expected = expectedRefs(m, s, s[R + page]) + extra;
  if (s[p + PageField.ref] === expected && (s[p + PageField.flags] & PageFlag.frozen) === 0) {
    s[p + PageField.flags] |= PageFlag.frozen;
    s[p + PageField.frozen] = expected;
    s[p + PageField.ref] = 0;
    s[R + ok] = 1;
  } else s[R + ok] = 0;
  return true;
}

export function refUnfreeze(m: StepHost, s: Int32Array, R: number, page: number, minus: number): boolean {
  const p = pageSlot(m, s, R, page);
  s[p + PageField.ref] = s[p + PageField.frozen] - minus;
  s[p + PageField.frozen] = 0;
  s[p + PageField.flags] &= ~PageFlag.frozen;
  return true;
}

export function rmapAdd(m: StepHost, s: Int32Array, R: number, page: number): boolean {
  s[pageSlot(m, s, R, page) + PageField.map]++;
  return true;
}

export function rmapRemove(m: StepHost, s: Int32Array, t: number, R: number, page: number): boolean {
  const p = pageSlot(m, s, R, page);
  let good = true;
  if (s[p + PageField.map] <= 0) good = m.fail(t, 'use-after-free', `mapcount underflow on ${m.pageName(s[R + page])}`);
  s[p + PageField.map]--;
  return good;
}

export function pageMapped(m: StepHost, s: Int32Array, R: number, page: number, out: number): boolean {
  s[R + out] = s[pageSlot(m, s, R, page) + PageField.map] > 0 ? 1 : 0;
  return true;
}

export function rmapLock(m: StepHost, s: Int32Array, write: number): boolean {
  const L = m.layout;
  s[L.rmap] = write === 1 ? -1 : s[L.rmap] + 1;
  return true;
}

export function rmapUnlock(m: StepHost, s: Int32Array, write: number): boolean {
  const L = m.layout;
  s[L.rmap] = write === 1 ? 0 : s[L.rmap] - 1;
  return true;
}

export function vmaSet(m: StepHost, s: Int32Array, vma: number, field: number, value: number): boolean {
  s[m.layout.vma(vma, field)] = value;
  return true;
}

/** Whether the walk with these flags visits VMA v (in the interval tree, or the nonlinear list). */
export function vmaVisible(m: StepHost, s: Int32Array, v: number, flags: number): boolean {
  const f = s[m.layout.vma(v, 2)];
  if ((flags & RmapWalk.skipTempStack) !== 0 && (f & VmaFlag.tempStack) !== 0) return false;
  if ((f & VmaFlag.inInterval) !== 0) return true;
  return (flags & RmapWalk.nonlinear) !== 0 && (f & VmaFlag.nonlinear) !== 0;
}

/** VMAs the walk may visit next: not in the visited set, visible to it. */
export function walkCandidates(m: StepHost, s: Int32Array, visited: number, flags: number): number {
  let n = 0;
  const nv = m.world.vmas.length;
  for (let v = 0; v < nv; v++) if ((visited & (1 << v)) === 0 && vmaVisible(m, s, v, flags)) n++;
  return n;
}

/**
 * One rmap_walk step: the `choice`-th candidate VMA (the first under WALK=fixed) goes into the
 * visited set and the `vma` register, the PTE that maps the page there into `pte` (-1 if none).
 * Returns false when the walk is done: then nothing is written, `vma` and `pte` keep their values.
 */
export function rmapNext(
  m: StepHost,
  s: Int32Array,
  R: number,
  page: number,
  visited: number,
  vma: number,
  pte: number,
  flags: number,
  choice: number,
): boolean {
  const L = m.layout;
  const nv = m.world.vmas.length;
  let pick = -1;
  let k = m.world.rmapOrder === 'any' ? choice : 0;
  for (let v = 0; v < nv; v++) {
    if ((s[R + visited] & (1 << v)) !== 0 || !vmaVisible(m, s, v, flags)) continue;
    if (k-- === 0) {
      pick = v;
      break;
    }
  }
  if (pick < 0) return false;
  s[R + visited] |= 1 << pick;
  s[R + vma] = pick;
  // vma_address(): where this VMA maps the page.
  const addr = s[L.vma(pick, 0)] + (m.pageIndexOf[s[R + page]] - s[L.vma(pick, 1)]);
  let e = -1;
  for (let i = 0; i < L.nPtes; i++) {
    if (L.pteAddr[i] === addr) {
      e = i;
      break;
    }
  }
  s[R + pte] = e;
  return true;
}

/** folio_expected_refs(): the isolation reference, plus the page cache's for a mapping. */
export function expectedRefs(m: StepHost, s: Int32Array, pi: number): number {
  return 1 + (MAPPING_WITH_CACHE.has(s[m.layout.pages + pi * PAGE_WIDTH + PageField.mapping]) ? 1 : 0);
}

export const hasPageCache = (mapping: number): boolean => MAPPING_WITH_CACHE.has(mapping);
