// `firstWhere` compiles its predicate with the model layer's compiler (libs/model/src/predicate): a
// run's `RunModel` is a `PredicateModel`, and a recorded step is a `PredicateEvent`.
export { compilePredicate, type StatePredicate } from '@mmreplay/model';
