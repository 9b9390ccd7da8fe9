import type { InvariantClass } from '@mmreplay/model';

// How the CLI words an invariant's class and what backs it. Both are Records over InvariantClass,
// so a new class is a type error here rather than a silent fall-through to another class's words
// (a user invariant printed as "protocol invariant" attributed its author's claim to mmreplay).

/** The class after the invariant's name: `bug-on (kernel assertion)`. */
export const INVARIANT_CLASS_WORDS: Record<InvariantClass, string> = {
  'kernel-assertion': 'kernel assertion',
  protocol: 'protocol invariant',
  user: 'user invariant',
};

/** What the backing line shows: the kernel's check, the protocol's argument, or where the user invariant is defined. */
export const BACKING_WORDS: Record<InvariantClass, string> = {
  'kernel-assertion': 'the check',
  protocol: 'the argument',
  user: 'defined in',
};
