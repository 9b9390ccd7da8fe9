/*
 * mmreplay seed scenario (reference kernel-model.md §5 C0 / C7) as Promela, for the SPIN
 * comparison in BENCHMARKS.md. Kernel protocol with WAIT=post, MIG=v5, anon page.
 *
 * One migration thread moves page P to page Q (v5.15 __unmap_and_move). N PTEs e0..e(N-1) map P,
 * all under ONE page-table lock (PTL). N fault threads: thread i faults once on PTE i, with the
 * fault side after ffa65753c431 (migration_entry_wait_on_locked: queue under the PTL, no ref).
 *
 * Granularity mirrors the mmreplay interpreter: one `atomic { ... }` (or `d_step`) per atomic
 * step of the interpreter, i.e. one kernel action on shared state, followed by the thread-local
 * control flow that leads to its next action (the interpreter runs that eagerly, too). Nothing
 * that runs under the PTL is merged with the next action: lock, read, clear, TLB flush, set,
 * rmap and refcount updates, unlock are separate steps, so lockless readers see every transient.
 *
 * Properties: the BUG_ON in pfn_swap_entry_to_page (the assert) and no deadlock or lost wakeup
 * (SPIN's invalid end states: a thread asleep or spinning forever is not at a valid end state).
 * Finished threads park at an `end_*` label instead of terminating, as the interpreter keeps a
 * finished thread's slot in the state.
 *
 * Build and check (N = 1..8; default partial-order reduction; -DNOREDUCE for none):
 *   spin -DN=5 -a seed.pml && gcc -O2 -DSAFETY -DMEMLIM=16000 -o pan pan.c && ./pan -m1000000
 * Mutant (MUTANT=unlock-before-remove: U12 unlock_page(P) moved before U10): add
 *   -DUNLOCK_BEFORE_REMOVE to the spin command; SPIN must report an assertion violation.
 */

#ifndef N
#define N 5
#endif
#if N < 1 || N > 8
#error "N must be 1..8 (the rmap walk picks among at most 8 PTEs)"
#endif

#ifndef NONE_TRIES
#define NONE_TRIES 2   /* mmreplay handleMmFault noneRetries: the none path runs at most twice */
#endif

#define ALL   ((1 << N) - 1)

/*
 * Registers. By default a thread's local variables keep stale values exactly as the interpreter's
 * registers do, so that `spin -o1` (no data-flow optimisation) with -DNOREDUCE stores exactly the
 * interpreter's number of states (checked for N = 1, 2, 3). -DRESET_DEAD zeroes dead locals by
 * hand, which helps SPIN beyond what its own data-flow optimisation finds.
 */
#ifdef RESET_DEAD
#define DEAD(x) x = 0;
#else
#define DEAD(x)
#endif

/* Promela initialisers must be literals: P's initial refcount is 1 (isolation) + N (PTEs). */
#if   N == 1
#define REFP0 2
#elif N == 2
#define REFP0 3
#elif N == 3
#define REFP0 4
#elif N == 4
#define REFP0 5
#elif N == 5
#define REFP0 6
#elif N == 6
#define REFP0 7
#elif N == 7
#define REFP0 8
#else
#define REFP0 9
#endif

/* PTE values */
#define NONE   0
#define PRES_P 1       /* present(P) */
#define MIG_P  2       /* migration(P): the only migration entries this scenario creates */
#define PRES_Q 3       /* present(Q) */

/* pages */
#define P 0
#define Q 1

byte pte[N] = PRES_P;       /* every PTE maps P */
bit  ptl;                   /* the one split PTL covering every PTE */
bit  locked[2];             /* PG_locked */
bit  pgwaiters[2];          /* PG_waiters */
byte ref[2] = { REFP0, 0 }; /* refcount: P 1 (isolation) + N (one per PTE); Q free (0) */
byte mapc[2] = { N, 0 };    /* mapcount */
bit  qmapping;              /* Q->mapping, set by migrate_page_move_mapping */
byte waitpg[N];             /* fault thread i's wait entry: 0 none, 1 + page while queued */
bit  woken[N];              /* WQ_FLAG_WOKEN of that entry */

/* folio_unlock(pg): clear PG_locked; if PG_waiters, clear it and wake every waiter on pg. */
inline unlock_page(pg) {
  d_step {
    locked[pg] = 0;
    if
    :: pgwaiters[pg] ->
       pgwaiters[pg] = 0;
       j = 0;
       do
       :: j < N -> if :: waitpg[j] == 1 + pg -> woken[j] = 1 :: else -> skip fi; j++
       :: else -> break
       od;
       j = 0
    :: else -> skip
    fi
  }
}

/* rmap_walk step, walk order `any`: pick any PTE not yet visited (one step, local state). */
#define PICK(i) :: atomic { (i < N && (seen & (1 << i)) == 0) -> cur = i; seen = seen | (1 << i) }
#define RMAP_NEXT(done) \
  if \
  PICK(0) \
  PICK(1) \
  PICK(2) \
  PICK(3) \
  PICK(4) \
  PICK(5) \
  PICK(6) \
  PICK(7) \
  :: atomic { seen == ALL -> seen = 0; DEAD(cur) goto done } \
  fi

active proctype migrate()
{
  byte seen, cur, old, j, target;
  bit ok;

  ref[Q] = 1;                                         /* U1 get_new_page: Q allocated, ref 1 */
  atomic {                                            /* U2 trylock_page(P) */
    ok = 1 - locked[P];
    if :: ok -> locked[P] = 1 :: else -> goto end_migrate fi   /* contended: never, with WAIT=post */
  }
  atomic {                                            /* U5 trylock_page(Q) */
    ok = 1 - locked[Q];
    if :: ok -> locked[Q] = 1 :: else -> goto end_migrate fi   /* never: nobody else locks Q */
  }

  /* U8 try_to_migrate: for each PTE, try_to_migrate_one under the PTL */
install_walk:
  RMAP_NEXT(install_done);
  atomic { ptl == 0 -> ptl = 1 }                      /* pvmw: spin_lock(ptl) */
  atomic {                                            /* pvmw: ptep_get */
    old = pte[cur];
    if :: old != PRES_P -> goto install_unlock :: else -> skip fi
  }
  pte[cur] = NONE;                                    /* ptep_clear_flush: clear ... */
  skip;                                               /* ... flush_tlb_page (no TLB modelled) */
  pte[cur] = MIG_P;                                   /* set_pte_at(migration entry) */
  mapc[P]--;                                          /* folio_remove_rmap_pte */
  ref[P]--;                                           /* folio_put */
install_unlock:
  atomic { ptl = 0; DEAD(old) goto install_walk }     /* spin_unlock(ptl) */
install_done:

  atomic {                                            /* U9 page_mapped(P) */
    target = P;                                       /* rc = -EAGAIN until the move succeeds */
    ok = (mapc[P] > 0);
    if :: ok -> goto restore :: else -> skip fi
  }
  atomic {                                            /* U9 expected_page_refs: isolation ref only */
    ok = (ref[P] == 1);
    if :: !ok -> goto restore :: else -> skip fi
  }
  atomic { qmapping = 1; target = Q }                 /* U9 migrate_page_move_mapping */

restore:
#ifdef UNLOCK_BEFORE_REMOVE
  unlock_page(P);                                     /* MUTANT: U12 moved before U10 */
#endif
  /* U10 remove_migration_ptes(P, target): every migration(P) back to present(target) */
remove_walk:
  RMAP_NEXT(remove_done);
  atomic { ptl == 0 -> ptl = 1 }                      /* pvmw: spin_lock(ptl) */
  atomic {                                            /* pvmw: ptep_get */
    old = pte[cur];
    if :: old != MIG_P -> goto remove_unlock :: else -> skip fi
  }
  ref[target]++;                                      /* folio_get(target) */
  pte[cur] = (target == Q -> PRES_Q : PRES_P);        /* set_pte_at(present) */
  mapc[target]++;                                     /* page_add_anon_rmap */
remove_unlock:
  atomic { ptl = 0; DEAD(old) goto remove_walk }      /* spin_unlock(ptl) */
remove_done:

  unlock_page(Q);                                     /* U11 unlock_page(newpage) */
#ifndef UNLOCK_BEFORE_REMOVE
  unlock_page(P);                                     /* U12 unlock_page(page): wakes the faults */
#endif
  skip;                                               /* U13/U14 migrate_result */
  ref[P]--;                                           /* U13 put_page(P), frees it; U14 putback */
  ref[Q]--;                                           /* U13 putback newpage; U14 put_new_page */
end_migrate:
  false                                               /* finished: parked at a valid end state */
}

active [N] proctype fault()
{
  byte i = _pid - 1;                                  /* thread i faults on PTE i */
  byte orig, tries;

access:
  atomic {                                            /* F1 handle_pte_fault: lockless read */
    orig = pte[i];
    if
    :: orig == PRES_P || orig == PRES_Q -> tries = 0; DEAD(orig) goto end_accessed   /* F9 */
    :: orig == MIG_P -> skip
    :: else -> goto missing
    fi
  }
  /* F3 migration_entry_wait (after ffa65753c431) */
  atomic { ptl == 0 -> ptl = 1 }                      /* pte_offset_map_lock */
  atomic {                                            /* ptep_get under the PTL */
    orig = pte[i];
    if :: orig != MIG_P -> goto not_migration :: else -> skip fi
  }
  assert(locked[P]);                                  /* F4 pfn_swap_entry_folio: BUG_ON(!PageLocked) */
  d_step {                                            /* F4 folio_set_waiters + queue (trylock_flag) */
    pgwaiters[P] = 1;
    waitpg[i] = 1 + P;
    woken[i] = 1 - locked[P]                          /* already unlocked: the wait is satisfied */
  }
  ptl = 0;                                            /* F4 spin_unlock(ptl) */
  atomic {                                            /* F4 io_schedule until WOKEN */
    woken[i] -> waitpg[i] = 0; woken[i] = 0; DEAD(orig) goto access
  }
not_migration:
  atomic { ptl = 0; DEAD(orig) goto access }          /* spin_unlock(ptl), re-fault */

missing:                                              /* F2 do_anonymous_page */
  atomic { ptl == 0 -> ptl = 1 }                      /* pte_offset_map_lock */
  orig = pte[i];                                      /* vmf_pte_changed */
  atomic {                                            /* pte_unmap_unlock; F8 retry or give up */
    ptl = 0;
    DEAD(orig)
    tries++;
    if :: tries < NONE_TRIES -> goto access :: else -> goto end_gave_up fi
  }

end_accessed:
  false;                                              /* F9 done: parked at a valid end state */
end_gave_up:
  false                                               /* F8 gave up: parked at a valid end state */
}
