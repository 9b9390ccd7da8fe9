// The predicate language of `firstWhere` lives in the model layer (libs/model/src/predicate), where
// a scenario document's user invariants use it too; its types are re-exported here for the
// projections' callers.
export { InvalidPredicateError } from '@mmreplay/model';
export type {
  EventTest,
  Kind,
  NumberTest,
  PageTest,
  Predicate,
  PredicateIssue,
  PtlTest,
  PteTest,
  Ref,
  TextTest,
  ThreadRef,
  ThreadTest,
  VarTest,
  VmaTest,
} from '@mmreplay/model';
