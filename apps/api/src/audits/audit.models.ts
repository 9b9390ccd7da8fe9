import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { AuditView, ComparisonView } from '@mmreplay/audits';
import { INVARIANT_CLASSES, violatedInvariantLabel, type InvariantClass } from '@mmreplay/model';
import { AUDIT_STRATEGIES } from '@mmreplay/explorer';
import { MODEL_BOUNDS, MODEL_ORDERINGS } from '@mmreplay/engine';
import { JSONScalar } from '../graphql/json.scalar.js';

// One class per shape, for both the GraphQL schema and the OpenAPI document.

@ObjectType()
export class AuditProgress {
  @ApiProperty() @Field(() => Int) states!: number;
  @ApiProperty() @Field(() => Int) transitions!: number;
  @ApiProperty() @Field(() => Int) depth!: number;
  @ApiProperty() @Field(() => Int) elapsedMs!: number;
}

@ObjectType({ description: 'a sampled audit: the runs done and what they guarantee' })
export class AuditSampling {
  @ApiProperty({ description: 'runs done' }) @Field(() => Int) runs!: number;
  @ApiProperty({ description: "PCT's bug depth d" }) @Field(() => Int) depth!: number;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'PCT: guaranteed probability that one run finds a bug of depth d (null for random)' })
  @Field(() => Float, { nullable: true })
  perRun!: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'PCT: at least this probability that the runs done find such a bug (null for random)' })
  @Field(() => Float, { nullable: true })
  foundProbability!: number | null;
}

@ObjectType({ description: 'an approximate search: its table, and the probability that a reachable state was missed' })
export class AuditApproximation {
  @ApiProperty({ enum: ['bitstate', 'hashcompact'] }) @Field() method!: string;
  @ApiProperty({ description: 'the visited table has 2^log2Bits bits (hash compaction: its slots times 64, at the end)' })
  @Field(() => Float)
  log2Bits!: number;
  @ApiProperty({ description: 'bitstate: bits set per state (SPIN -k); hash compaction: 1' }) @Field(() => Int) hashes!: number;
  @ApiPropertyOptional({ type: Number, nullable: true, description: "hash compaction: bits of a state's signature" })
  @Field(() => Int, { nullable: true })
  signatureBits!: number | null;
  @ApiProperty({ description: "table bits per stored state (SPIN's hash factor, best if > 100)" }) @Field(() => Float) hashFactor!: number;
  @ApiProperty({ description: "fraction of the table's bits (hash compaction: slots) in use" }) @Field(() => Float) fill!: number;
  @ApiProperty({ description: 'the probability that some reachable state was taken for a visited one and not explored' })
  @Field(() => Float)
  omissionProbability!: number;
}

@ObjectType({
  description: `one of the engine's own bounds on weak-memory state, or one of its orderings beyond the LKMM's (${MODEL_ORDERINGS.join(', ')}), that held a thread back (executions beyond it were not searched, unless checkedBy names a litmus twin that checked it for this world)`,
})
export class AuditModelBound {
  @ApiProperty({ enum: [...MODEL_BOUNDS] })
  @Field()
  bound!: string;
  @ApiProperty({ description: 'the thread held back, where the bound first held one' }) @Field() thread!: string;
  @ApiProperty({ description: 'the label of the instruction that waited or lost a choice' }) @Field() label!: string;
  @ApiProperty({ description: 'what the bound kept there at most (0 for an ordering)' }) @Field(() => Int) kept!: number;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: "an ordering a litmus twin of the world checked: the twin (the holds is then the model's)",
  })
  @Field(() => String, { nullable: true })
  checkedBy?: string | null;
}

@ObjectType()
export class AuditResult {
  @ApiProperty({ description: 'whether a bound stopped the exploration' }) @Field() boundHit!: boolean;
  @ApiPropertyOptional({ enum: ['states', 'depth', 'time', 'memory', 'cancelled'], nullable: true }) @Field(() => String, { nullable: true }) bound!:
    string | null;
  @ApiProperty() @Field(() => Int) statesStored!: number;
  @ApiProperty() @Field(() => Float) transitions!: number;
  @ApiProperty() @Field(() => Float) schedules!: number;
  @ApiProperty() @Field(() => Int) maxDepth!: number;
  @ApiProperty() @Field(() => Int) elapsedMs!: number;
  @ApiProperty({ type: [String] }) @Field(() => [String]) reductions!: string[];
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'PCT: probability that one run finds a bug of depth 3' })
  @Field(() => Float, { nullable: true })
  pctBound!: number | null;
  @ApiPropertyOptional({ type: AuditSampling, nullable: true, description: 'sampling: runs done and the probability bound' })
  @Field(() => AuditSampling, { nullable: true })
  sampling!: AuditSampling | null;
  @ApiPropertyOptional({
    type: AuditApproximation,
    nullable: true,
    description: 'an approximate search (a holds is approximate): method, table, probability of a miss',
  })
  @Field(() => AuditApproximation, { nullable: true })
  approximate!: AuditApproximation | null;
  @ApiProperty({
    type: [AuditModelBound],
    description:
      "tso/lkmm: the engine's own bounds on weak-memory state that held a thread back; a holds is then the engine's within them (empty when none did)",
  })
  @Field(() => [AuditModelBound])
  modelBounds!: AuditModelBound[];
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'what was checked (invariants, memory model, reductions, bounds, runs) and what the verdict means, in words',
  })
  @Field(() => String, { nullable: true })
  summary!: string | null;
}

// GraphQL carries the class as a String with these values, as REST does: a GraphQL enum cannot
// spell `kernel-assertion`, and renaming the values would break the clients that read them.
const INVARIANT_CLASS_DESCRIPTION =
  "kernel-assertion: a check the kernel makes would fire; protocol: an argument the kernel does not check is broken; user: the scenario document's own invariant (predicate language) is broken, its author's claim and not one of mmreplay's";
const INVARIANT_BACKING_DESCRIPTION =
  "the kernel assertion's source line, the protocol argument the invariant encodes, or, for a user invariant, that the scenario document defines it";

@ObjectType()
export class Counterexample {
  @ApiProperty({ description: 'the run that replays it: query its state, trace, ...' }) @Field(() => ID) runId!: string;
  @ApiProperty({ description: 'schedule token: `mmreplay run ... --strategy replay --schedule TOKEN`' }) @Field() schedule!: string;
  @ApiProperty() @Field(() => Int) length!: number;
  @ApiProperty() @Field() invariant!: string;
  @ApiProperty({ description: 'the step at which the invariant broke' }) @Field(() => Int) step!: number;
  @ApiProperty() @Field() thread!: string;
  @ApiProperty() @Field() message!: string;
  @ApiProperty({ enum: INVARIANT_CLASSES, description: INVARIANT_CLASS_DESCRIPTION })
  @Field(() => String, { description: INVARIANT_CLASS_DESCRIPTION })
  invariantClass!: InvariantClass;
  @ApiProperty({ description: INVARIANT_BACKING_DESCRIPTION }) @Field({ description: INVARIANT_BACKING_DESCRIPTION }) invariantBacking!: string;
}

@ObjectType()
export class AuditComparisonRef {
  @ApiProperty() @Field(() => ID) id!: string;
  @ApiProperty({ enum: ['baseline', 'fix'] }) @Field() role!: string;
}

@ObjectType()
export class Audit {
  @ApiProperty() @Field(() => ID) id!: string;
  @ApiProperty() @Field() author!: string;
  @ApiProperty() @Field() createdAt!: string;
  @ApiProperty() @Field() scenario!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) @Field(() => JSONScalar) params!: unknown;
  @ApiProperty({ description: "`kernel`, a named variant, or the submitted variant's name" }) @Field() variant!: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, nullable: true }) @Field(() => JSONScalar, { nullable: true }) variantSpec!: unknown;
  @ApiProperty({ type: [String], description: 'the invariants checked' }) @Field(() => [String]) invariants!: string[];
  @ApiPropertyOptional({ enum: ['sc', 'tso', 'lkmm'], nullable: true, description: 'memory model of the relaxed accesses' })
  @Field(() => String, { nullable: true })
  memoryModel!: string | null;
  @ApiProperty({ type: [String], description: 'reductions the request switched off (`result.reductions` lists those used)' })
  @Field(() => [String])
  reductionsOff!: string[];
  @ApiProperty({ enum: AUDIT_STRATEGIES }) @Field() strategy!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) @Field(() => JSONScalar) bounds!: unknown;
  @ApiProperty() @Field() modelHash!: string;
  @ApiPropertyOptional({ type: AuditComparisonRef, nullable: true })
  @Field(() => AuditComparisonRef, { nullable: true })
  comparison!: AuditComparisonRef | null;
  @ApiProperty({ enum: ['running', 'completed', 'cancelled', 'interrupted', 'failed'] }) @Field() status!: string;
  @ApiPropertyOptional({ type: AuditProgress, nullable: true }) @Field(() => AuditProgress, { nullable: true }) progress!: AuditProgress | null;
  @ApiPropertyOptional({ enum: ['holds', 'violated', 'inconclusive'], nullable: true }) @Field(() => String, { nullable: true }) verdict!: string | null;
  @ApiPropertyOptional({ type: AuditResult, nullable: true }) @Field(() => AuditResult, { nullable: true }) result!: AuditResult | null;
  @ApiPropertyOptional({ type: Counterexample, nullable: true }) @Field(() => Counterexample, { nullable: true }) counterexample!: Counterexample | null;
  @ApiPropertyOptional({ type: String, nullable: true }) @Field(() => String, { nullable: true }) cancelledBy!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) @Field(() => String, { nullable: true }) error!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) @Field(() => String, { nullable: true }) completedAt!: string | null;
}

@ObjectType()
export class AuditPage {
  @ApiProperty({ type: [Audit] }) @Field(() => [Audit]) nodes!: Audit[];
  @ApiPropertyOptional({ type: String, nullable: true, description: 'cursor of the next page (`after`)' }) @Field(() => String, { nullable: true }) next!:
    string | null;
}

@ObjectType()
export class Comparison {
  @ApiProperty() @Field(() => ID) id!: string;
  @ApiProperty({ enum: ['running', 'completed', 'stopped'] }) @Field() status!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) @Field(() => String, { nullable: true }) conclusion!: string | null;
  @ApiProperty({ type: Audit }) @Field(() => Audit) baseline!: Audit;
  @ApiProperty({ type: Audit }) @Field(() => Audit) fix!: Audit;
}

@ObjectType({ description: 'one event of an audit, with the audit as of that event' })
export class AuditEvent {
  @ApiProperty({ enum: ['AuditRequested', 'AuditProgressed', 'CounterexampleFound', 'AuditCancelRequested', 'AuditCompleted'] }) @Field() type!: string;
  @ApiProperty() @Field(() => Int) revision!: number;
  @ApiProperty({ type: 'object', additionalProperties: true }) @Field(() => JSONScalar) data!: unknown;
  @ApiProperty({ type: Audit }) @Field(() => Audit) audit!: Audit;
}

export function toAudit(v: AuditView): Audit {
  return {
    id: v.auditId,
    author: v.author,
    createdAt: v.createdAt,
    scenario: v.scenario,
    params: v.params,
    variant: v.variant,
    variantSpec: v.variantSpec,
    invariants: v.invariants,
    memoryModel: v.memoryModel,
    reductionsOff: v.reductionsOff,
    strategy: v.strategy,
    bounds: v.bounds,
    modelHash: v.modelHash,
    comparison: v.comparison,
    status: v.status,
    progress: v.progress,
    verdict: v.verdict,
    result: v.result,
    counterexample: v.counterexample ? withBacking(v.counterexample) : null,
    cancelledBy: v.cancelledBy,
    error: v.error,
    completedAt: v.completedAt,
  };
}

/**
 * The class is derived from the invariant's name when read, never stored: CounterexampleFound
 * records the name only, so an audit recorded before the `user` class existed reads as `user` too.
 */
function withBacking<C extends { invariant: string }>(c: C): C & { invariantClass: InvariantClass; invariantBacking: string } {
  const b = violatedInvariantLabel(c.invariant);
  return { ...c, invariantClass: b.class, invariantBacking: b.backing };
}

export function toComparison(c: ComparisonView): Comparison {
  return { id: c.comparisonId, status: c.status, conclusion: c.conclusion, baseline: toAudit(c.baseline), fix: toAudit(c.fix) };
}
