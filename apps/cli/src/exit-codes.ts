import type { ErrorKind } from '@mmreplay/model';

// Exit codes a script can use (README "Exit codes"). `git bisect run mmreplay audit ...` works as
// is: holds is good (0), violated is bad (1), inconclusive is "cannot test this one" (125, skip).
// Bad input (2) and an unavailable store or server (3) are the same for every command.

export const EXIT = {
  /** audit: holds (audit --catalogue: every row's verdict as the history implies); run: finished without a violation; every other command: done */
  ok: 0,
  /** audit: violated (audit --catalogue: some row's verdict is not the expected one); run: hit a violation (an invariant, a deadlock); `first`: no step matches */
  violated: 1,
  /** bad input: unknown command, option, scenario, invariant, switch, value, run or step */
  badInput: 2,
  /** the store or the API cannot be reached or used now; retry later */
  unavailable: 3,
  /** audit: no verdict (a bound stopped the search, sampling found nothing, or it holds only within the engine's bounds on weak-memory state); run: a bound stopped it, or it was no execution */
  inconclusive: 125,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * The exit code of each kind of error (libs/model/src/errors.ts): the one place the command line
 * classifies errors. `misconfigured` is the user's to fix here (MMREPLAY_STORE), unlike on a server.
 */
export const EXIT_OF_KIND: Readonly<Record<ErrorKind, ExitCode>> = {
  invalid: EXIT.badInput,
  'not-applicable': EXIT.badInput,
  budget: EXIT.badInput,
  'not-found': EXIT.badInput,
  conflict: EXIT.badInput,
  misconfigured: EXIT.badInput,
  stale: EXIT.unavailable,
  diverged: EXIT.unavailable,
  limit: EXIT.unavailable,
  unavailable: EXIT.unavailable,
  'shutting-down': EXIT.unavailable,
  corrupt: EXIT.unavailable,
};
