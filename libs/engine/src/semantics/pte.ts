import {
  PAGE_WIDTH,
  PageField,
  PageFlag,
  PteKind,
  makeDevicePrivate,
  makeMigrationFrom,
  makePresentFromMigration,
  mappingKinds,
  pteKind,
  ptePfn,
} from '@mmreplay/model';
import { I, type StepHost } from './context.js';

// Page-table locks and PTEs, and the per-CPU TLB entries that cache them. A PTE is one packed
// value (pte.ts); a PTL slot holds its holder's thread number + 1. `R` is the slot of register 0.

const DEVICE = mappingKinds.indexOf('device');

export function ptlLock(m: StepHost, s: Int32Array, t: number, R: number, pte: number): boolean {
  const L = m.layout;
  s[L.ptl(L.ptlOfPte[s[R + pte]])] = t + 1;
  return true;
}

export function ptlUnlock(m: StepHost, s: Int32Array, t: number, R: number, pte: number): boolean {
  const L = m.layout;
  const l = L.ptl(L.ptlOfPte[s[R + pte]]);
  const good = s[l] === t + 1 || m.fail(t, 'I2', `spin_unlock of a PTL it does not hold`);
  s[l] = 0;
  return good;
}

/** pte_read and pte_read_lockless: the same read; only the PTL the caller holds differs. */
export function pteRead(m: StepHost, s: Int32Array, R: number, pte: number, out: number): boolean {
  s[R + out] = s[m.layout.ptes + s[R + pte]];
  return true;
}

/** A user access: choice 0 uses a cached translation if there is one, choice 1 evicts it first. */
export function hwAccess(m: StepHost, s: Int32Array, t: number, R: number, pte: number, out: number, choice: number): boolean {
  const L = m.layout;
  const e = s[R + pte];
  if (!L.hasTlb) {
    s[R + out] = s[L.ptes + e];
    return true;
  }
  const slot = L.tlbEntry(t, e);
  if (s[slot] !== 0 && choice === 0) {
    s[R + out] = s[slot];
    return true;
  }
  s[slot] = 0;
  const v = s[L.ptes + e];
  s[R + out] = v;
  if (pteKind(v) === PteKind.present) s[slot] = v;
  return true;
}

export function pteClear(m: StepHost, s: Int32Array, t: number, R: number, pte: number, out: number): boolean {
  const L = m.layout;
  const e = s[R + pte];
  const good = requirePtl(m, s, t, e);
  s[R + out] = s[L.ptes + e];
  s[L.ptes + e] = 0;
  return good;
}

export function tlbFlush(m: StepHost, s: Int32Array, R: number, pte: number): boolean {
  const L = m.layout;
  if (L.hasTlb) for (let th = 0; th < m.threadCount; th++) s[L.tlbEntry(th, s[R + pte])] = 0;
  return true;
}

export function setMigrationPte(m: StepHost, s: Int32Array, t: number, R: number, pte: number, page: number, old: number): boolean {
  const L = m.layout;
  const e = s[R + pte];
  const pi = s[R + page];
  let good = requirePtl(m, s, t, e);
  const p = L.pages + pi * PAGE_WIDTH;
  if (good && (m.enabled & I.I7) !== 0 && ((s[p + PageField.flags] & PageFlag.locked) === 0 || s[p + PageField.owner] !== t + 1)) {
    good = m.fail(t, 'I7', `installs a migration entry for ${m.pageName(pi)} without holding its page lock`);
  }
  s[L.ptes + e] = makeMigrationFrom(s[R + old], pi);
  return good;
}

export function setPresentPte(m: StepHost, s: Int32Array, t: number, R: number, pte: number, page: number, entry: number): boolean {
  const L = m.layout;
  const e = s[R + pte];
  const pi = s[R + page];
  const good = requirePtl(m, s, t, e);
  const dev = s[L.pages + pi * PAGE_WIDTH + PageField.mapping] === DEVICE;
  const present = makePresentFromMigration(s[R + entry], pi);
  s[L.ptes + e] = dev ? makeDevicePrivate(pi, (present & 8) !== 0) : present;
  return good;
}

export function pteMove(m: StepHost, s: Int32Array, t: number, R: number, fromReg: number, toReg: number): boolean {
  const L = m.layout;
  const from = s[R + fromReg];
  const to = s[R + toReg];
  const good = requirePtl(m, s, t, from) && requirePtl(m, s, t, to);
  s[L.ptes + to] = s[L.ptes + from];
  s[L.ptes + from] = 0;
  if (L.hasTlb) for (let th = 0; th < m.threadCount; th++) s[L.tlbEntry(th, from)] = 0;
  return good;
}

/** try_to_unmap_flush: the one flush of a TTU_BATCH_FLUSH batch drops every cached translation. */
export function tlbFlushBatched(m: StepHost, s: Int32Array): boolean {
  const L = m.layout;
  if (L.hasTlb) for (let th = 0; th < m.threadCount; th++) for (let e = 0; e < L.nPtes; e++) s[L.tlbEntry(th, e)] = 0;
  return true;
}

/** copy_pte_range (fork): the child's PTE takes the parent's value; a present one also its page's reference and mapcount. */
export function pteCopy(m: StepHost, s: Int32Array, t: number, R: number, fromReg: number, toReg: number): boolean {
  const L = m.layout;
  const from = s[R + fromReg];
  const to = s[R + toReg];
  const good = requirePtl(m, s, t, from) && requirePtl(m, s, t, to);
  const v = s[L.ptes + from];
  s[L.ptes + to] = v;
  if (pteKind(v) === PteKind.present) {
    // copy_present_pte: page_dup_rmap + get_page for the child's mapping.
    const p = L.pages + ptePfn(v) * PAGE_WIDTH;
    s[p + PageField.ref]++;
    s[p + PageField.map]++;
  }
  return good;
}

function requirePtl(m: StepHost, s: Int32Array, t: number, pte: number): boolean {
  const L = m.layout;
  if (s[L.ptl(L.ptlOfPte[pte])] === t + 1) return true;
  return m.fail(t, 'I2', `writes PTE ${m.world.ptes[pte].name} without holding ${m.world.ptes[pte].ptl}`);
}
