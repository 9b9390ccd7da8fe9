import type { Schemas } from '../api/client';

// The class of the invariant a counterexample breaks, in the words the CLI prints after its name
// (apps/cli/src/render/invariant-class.ts). A Record over the API's enum: a class the API adds is a
// type error here, not a user invariant shown as one of mmreplay's protocol invariants.

export type InvariantClass = Schemas['Counterexample']['invariantClass'];

const WORDS: Record<InvariantClass, string> = {
  'kernel-assertion': 'kernel assertion',
  protocol: 'protocol invariant',
  user: 'user invariant',
};

/** `(kernel assertion)`, `(protocol invariant)` or `(user invariant)`; a class this build does not know, as the API named it. */
export const invariantClassWords = (c: InvariantClass): string => WORDS[c] ?? String(c);
