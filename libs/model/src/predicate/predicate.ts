// The predicate language: JSON that names objects of a model and tests their state. `firstWhere`
// (projections) scans a run with it; a scenario document's user invariants (`always` / `never`) are
// written in it and the engine checks them after every step. It lives in the model layer so that
// both can use it (lower layers never import higher). It is validated field by field and compiled
// to closures over the state vector; nothing in it is ever evaluated as code.
//
//   Predicate := {all: [P...]} | {any: [P...]} | {not: P}
//              | {exists: Kind, as: '$x', where: P} | {every: Kind, as: '$x', where: P}
//              | PageTest | PteTest | PtlTest | ThreadTest | VmaTest | EventTest
//   Kind      := 'page' | 'pte' | 'ptl' | 'thread' | 'vma' | 'var'
//   Ref       := 'P' | 'page:P' | '$x' (a variable bound by exists/every)
//              | {of: PTE ref}          (a page: the page the PTE's entry points to;
//                                        a PTL: the lock of the PTE's page table)
//   ThreadRef := a thread name or '$t' | '*' (any thread) | null (no thread)
//   Number    := n | {eq, ne, lt, le, gt, ge}
//   Text      := 'exact' | 'prefix*'
//
//   PageTest   {page: Ref, locked?, lockedBy?: ThreadRef, waiters?, ref?: Number, map?: Number,
//               freed?, frozen?, mapping?: 'anon'|'file'|...}
//              `locked`/`lockedBy` are PageLocked(): a THP tail reads its head's PG_locked.
//   PteTest    {pte: Ref, kind?: 'none'|'present'|'migration'|... or a list, page?: Ref,
//               writable?, type?: 'read'|'write'|'readExclusive'}
//   PtlTest    {ptl: Ref, held?, heldBy?: ThreadRef}
//   ThreadTest {thread: Ref, status?: 'runnable'|'sleeping'|'spinning'|'done'|'crashed' or a list,
//               at?: Text (step label), in?: kernel function, path?: path name,
//               holdsPageLock?: Ref, holdsPtl?: Ref, waitingOn?: Ref | null,
//               regs?: {name: Number}, pendingLoads?: Number, pendingStores?: Number,
//               rcuSection?: Number, inGracePeriod?}
//              `pendingLoads`/`pendingStores`: loads issued and not yet satisfied, stores not yet
//              executed (lkmm) or still in the store buffer (tso); `rcuSection`: the nesting depth
//              of its RCU read-side section (0 outside one); `inGracePeriod`: its
//              synchronize_rcu() has started and not ended
//   VarTest    {var: Ref, value?: Number, notSeenBy?: ThreadRef}    a litmus variable: its value
//              (the last store in coherence order); `notSeenBy` (lkmm): that store has not
//              reached the thread yet
//   VmaTest    {vma: Ref, start?: Number, pgoff?: Number, inInterval?, tempStack?, nonlinear?}
//   EventTest  {event: {thread?: ThreadRef, kind?: Text or list, op?: Text or list, label?: Text,
//               fn?: Text, args?: {operand: Text or Ref}}}   the step that produced the state
//
// e.g. the seed thread's question, "a fault holds the PTL and reads a migration entry whose page
// is unlocked" (a PTE test's `page` field is a filter: {pte: 'e0', page: 'P'} is "e0 maps P"):
//   {"exists": "thread", "as": "$t", "where": {"exists": "pte", "as": "$e", "where": {"all": [
//     {"event": {"thread": "$t", "op": "pte_read", "args": {"pte": "$e"}}},
//     {"pte": "$e", "kind": "migration"}, {"page": {"of": "$e"}, "locked": false},
//     {"ptl": {"of": "$e"}, "heldBy": "$t"}]}}}

import { DomainError, formatIssues, type FieldIssue } from '../errors.js';

export type Kind = 'page' | 'pte' | 'ptl' | 'thread' | 'vma' | 'var';
export type Ref = string | { of: string };
export type ThreadRef = string | null;
export type NumberTest = number | { eq?: number; ne?: number; lt?: number; le?: number; gt?: number; ge?: number };
export type TextTest = string;

export interface PageTest {
  page: Ref;
  locked?: boolean;
  lockedBy?: ThreadRef;
  waiters?: boolean;
  ref?: NumberTest;
  map?: NumberTest;
  freed?: boolean;
  frozen?: boolean;
  mapping?: string;
}

export interface PteTest {
  pte: Ref;
  kind?: string | string[];
  page?: Ref;
  writable?: boolean;
  type?: string;
}

export interface PtlTest {
  ptl: Ref;
  held?: boolean;
  heldBy?: ThreadRef;
}

export interface ThreadTest {
  thread: Ref;
  status?: string | string[];
  at?: TextTest;
  in?: TextTest;
  path?: string;
  holdsPageLock?: Ref;
  holdsPtl?: Ref;
  waitingOn?: Ref | null;
  regs?: Record<string, NumberTest>;
  pendingLoads?: NumberTest;
  pendingStores?: NumberTest;
  /** the nesting depth of its RCU read-side critical section (0: outside one) */
  rcuSection?: NumberTest;
  /** its synchronize_rcu() has started and not ended */
  inGracePeriod?: boolean;
}

export interface VarTest {
  var: Ref;
  value?: NumberTest;
  notSeenBy?: ThreadRef;
}

export interface VmaTest {
  vma: Ref;
  start?: NumberTest;
  pgoff?: NumberTest;
  inInterval?: boolean;
  tempStack?: boolean;
  nonlinear?: boolean;
}

export interface EventTest {
  event: {
    thread?: ThreadRef;
    kind?: TextTest | TextTest[];
    op?: TextTest | TextTest[];
    label?: TextTest;
    fn?: TextTest;
    args?: Record<string, TextTest>;
  };
}

export type Predicate =
  | { all: Predicate[] }
  | { any: Predicate[] }
  | { not: Predicate }
  | { exists: Kind; as: string; where: Predicate }
  | { every: Kind; as: string; where: Predicate }
  | PageTest
  | PteTest
  | PtlTest
  | ThreadTest
  | VmaTest
  | VarTest
  | EventTest;

/** An issue of a predicate; `field` is where in the predicate, e.g. `all[1].page.of` (empty: the whole of it). */
export type PredicateIssue = FieldIssue;

/** A predicate that is not well formed or names what the run does not have. Nothing was evaluated. */
export class InvalidPredicateError extends DomainError {
  readonly code = 'INVALID_PREDICATE';
  readonly kind = 'invalid';
  constructor(issues: readonly PredicateIssue[]) {
    super(`invalid predicate: ${formatIssues(issues)}`, { issues, at: 'where' });
  }
}
