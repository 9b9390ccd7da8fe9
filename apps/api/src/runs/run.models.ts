import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { StepRecorded } from '@mmreplay/events';
import type { RunEntry } from '@mmreplay/runs';
import { JSONScalar } from '../graphql/json.scalar.js';
import { SourceRef } from '../scenarios/scenario.models.js';
import type { RunSummary } from './team-runs.service.js';

const OBJ = { type: 'object', additionalProperties: true } as const;

@ObjectType()
export class Run {
  @ApiProperty() @Field(() => ID) id!: string;
  @ApiProperty() @Field() scenario!: string;
  @ApiProperty(OBJ) @Field(() => JSONScalar) params!: unknown;
  @ApiProperty({ description: '`kernel` for the unmodified protocol' }) @Field() variant!: string;
  @ApiProperty() @Field() modelHash!: string;
  @ApiProperty() @Field() strategy!: string;
  @ApiProperty({ oneOf: [{ type: 'integer' }, { type: 'string' }] }) @Field(() => JSONScalar) seed!: number | string;
  @ApiProperty() @Field() author!: string;
  @ApiProperty({ enum: ['running', 'completed'] }) @Field() status!: string;
  @ApiPropertyOptional({ enum: ['completed', 'violation', 'deadlock', 'step-bound', 'infeasible', 'model-bound', 'failed'], nullable: true })
  @Field(() => String, { nullable: true })
  outcome!: string | null;
  @ApiPropertyOptional({ ...OBJ, nullable: true, description: '{invariant, step, thread, message}' })
  @Field(() => JSONScalar, { nullable: true })
  violation!: unknown;
  @ApiPropertyOptional({ type: Number, nullable: true }) @Field(() => Int, { nullable: true }) steps!: number | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'the schedule token that replays the run exactly' })
  @Field(() => String, { nullable: true })
  schedule!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'why a `failed` run failed' }) @Field(() => String, { nullable: true }) reason?:
    string | null;
  @ApiProperty() @Field() createdAt!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) @Field(() => String, { nullable: true }) completedAt!: string | null;
  @ApiProperty({ type: [String], description: 'audits that found this run as a counterexample' }) @Field(() => [String]) counterexampleOf!: string[];
  @ApiPropertyOptional({ type: String, nullable: true }) @Field(() => String, { nullable: true }) engineVersion?: string | null;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'the last recorded step (-1: none yet)' }) @Field(() => Int, { nullable: true }) lastStep?:
    number | null;
}

@ObjectType()
export class RunPage {
  @ApiProperty({ type: [Run] }) @Field(() => [Run]) nodes!: Run[];
  @ApiPropertyOptional({ type: String, nullable: true }) @Field(() => String, { nullable: true }) next!: string | null;
}

@ObjectType('RunState')
export class RunStateModel {
  @ApiProperty() @Field(() => ID) runId!: string;
  @ApiProperty() @Field(() => Int) step!: number;
  @ApiPropertyOptional({ ...OBJ, nullable: true, description: 'the step that produced this state' })
  @Field(() => JSONScalar, { nullable: true })
  event!: unknown;
  @ApiProperty({
    ...OBJ,
    description:
      'pages, ptes, ptls, vmas, threads, waitQueues as of the step; memory (litmus variables and results, per CPU its outstanding loads and stores and which stores have not reached it) for litmus tests and weak memory models',
  })
  @Field(() => JSONScalar)
  view!: unknown;
}

/**
 * A step event: one shape on every endpoint (`/events`, the `event` of `/state` and
 * `/first-where`, live streams, GraphQL), the shape it is stored in.
 */
@ObjectType('StepEvent')
export class StepEventModel {
  @ApiProperty() @Field(() => Int) step!: number;
  @ApiProperty() @Field() thread!: string;
  @ApiProperty({ description: "the thread's index in the model" }) @Field(() => Int) threadIndex!: number;
  @ApiProperty({ description: "the thread's program counter before the step" }) @Field(() => Int) pc!: number;
  @ApiProperty() @Field() label!: string;
  @ApiProperty() @Field() op!: string;
  @ApiProperty() @Field() kind!: string;
  @ApiProperty({
    type: 'object',
    properties: { file: { type: 'string' }, fn: { type: 'string' }, version: { type: 'string' } },
    description: 'the kernel source the step models',
  })
  @Field(() => SourceRef)
  src!: SourceRef;
  @ApiProperty({ description: 'which outcome of a step that has several (0 for most)' }) @Field(() => Int) choice!: number;
  @ApiProperty(OBJ) @Field(() => JSONScalar) args!: unknown;
  @ApiProperty({ type: 'array', items: { type: 'object' } }) @Field(() => JSONScalar) deltas!: unknown;
  @ApiPropertyOptional({ type: 'array', items: { type: 'object' }, description: 'relaxed-memory accesses (absent when none)' })
  @Field(() => JSONScalar, { nullable: true })
  memory?: unknown;
}

export const toStepEvent = (e: StepRecorded): StepEventModel => ({
  step: e.step,
  thread: e.thread,
  threadIndex: e.threadIndex,
  pc: e.pc,
  label: e.label,
  op: e.op,
  kind: e.kind,
  src: { file: e.src.file, fn: e.src.fn, version: e.src.version },
  choice: e.choice,
  args: e.args,
  deltas: e.deltas,
  ...(e.memory ? { memory: e.memory } : {}),
});

/** `GET /runs/{id}/model`: what any client needs to fold the run's events itself. */
@ObjectType('RunModelDocument')
export class RunModelView {
  @ApiProperty() @Field() runId!: string;
  @ApiProperty({ description: 'content hash of the model' }) @Field() modelHash!: string;
  @ApiProperty({ ...OBJ, description: 'the exact model the run executed (pages, PTEs, PTLs, VMAs, threads, paths, invariants)' })
  @Field(() => JSONScalar)
  model!: unknown;
  @ApiProperty({
    type: 'array',
    items: { type: 'object' },
    description: 'state deltas applied to the initial state before step 0 (program counters, registers)',
  })
  @Field(() => JSONScalar)
  initialDeltas!: unknown;
}

@ObjectType('HistoryEntry')
export class HistoryEntryModel {
  @ApiProperty() @Field(() => Int) step!: number;
  @ApiProperty() @Field() thread!: string;
  @ApiProperty() @Field() label!: string;
  @ApiProperty() @Field() op!: string;
  @ApiProperty() @Field() kind!: string;
  @ApiProperty() @Field() fn!: string;
  @ApiProperty(OBJ) @Field(() => JSONScalar) args!: unknown;
  @ApiProperty({ type: 'array', items: { type: 'object' }, description: '{field, before, after}' }) @Field(() => JSONScalar) changes!: unknown;
}

@ObjectType('FirstMatch')
export class FirstMatchModel {
  @ApiProperty() @Field(() => ID) runId!: string;
  @ApiProperty({ description: '-1: the predicate holds before the first step' }) @Field(() => Int) step!: number;
  @ApiPropertyOptional({ ...OBJ, nullable: true }) @Field(() => JSONScalar, { nullable: true }) event!: unknown;
  @ApiProperty(OBJ) @Field(() => JSONScalar) view!: unknown;
  @ApiProperty({ description: 'steps evaluated' }) @Field(() => Int) scanned!: number;
}

/** REST only (GraphQL's `firstWhere` is nullable itself). */
export class FirstWhereResult {
  @ApiPropertyOptional({ type: FirstMatchModel, nullable: true, description: 'null: the predicate never holds' }) match!: FirstMatchModel | null;
}

@ObjectType('StateChange')
export class StateChangeModel {
  @ApiProperty({ example: 'pages.P.locked' }) @Field() path!: string;
  @ApiPropertyOptional({ nullable: true }) @Field(() => JSONScalar, { nullable: true }) a!: unknown;
  @ApiPropertyOptional({ nullable: true }) @Field(() => JSONScalar, { nullable: true }) b!: unknown;
}

@ObjectType('StepRef')
export class StepRefModel {
  @ApiProperty() @Field(() => ID) runId!: string;
  @ApiProperty() @Field(() => Int) step!: number;
}

@ObjectType('StateDiff')
export class DiffModel {
  @ApiProperty({ type: StepRefModel }) @Field(() => StepRefModel) a!: StepRefModel;
  @ApiProperty({ type: StepRefModel }) @Field(() => StepRefModel) b!: StepRefModel;
  @ApiProperty({ type: [StateChangeModel] }) @Field(() => [StateChangeModel]) changes!: StateChangeModel[];
}

@ObjectType('Divergence')
export class DivergenceModel {
  @ApiProperty({ description: 'first step where the runs differ; -1: different initial states' }) @Field(() => Int) step!: number;
  @ApiProperty() @Field() reason!: string;
  @ApiPropertyOptional({ ...OBJ, nullable: true }) @Field(() => JSONScalar, { nullable: true }) a!: unknown;
  @ApiPropertyOptional({ ...OBJ, nullable: true }) @Field(() => JSONScalar, { nullable: true }) b!: unknown;
}

/** REST only. */
export class DivergenceResult {
  @ApiPropertyOptional({ type: DivergenceModel, nullable: true, description: 'null: the runs are the same' }) divergence!: DivergenceModel | null;
}

@ObjectType('HeldLocks')
export class LocksModel {
  @ApiProperty() @Field(() => ID) runId!: string;
  @ApiProperty() @Field() thread!: string;
  @ApiProperty() @Field(() => Int) step!: number;
  @ApiProperty({ type: [String] }) @Field(() => [String]) pageLocks!: string[];
  @ApiProperty({ type: [String] }) @Field(() => [String]) ptls!: string[];
}

@ObjectType('Trace')
export class TraceModel {
  @ApiProperty({ description: 'the interleaving diagram, one column per thread' }) @Field() text!: string;
  @ApiProperty({ description: 'the trace for a mailing-list reply: at most 80 columns, one per CPU that ran, the kernel sources listed under it' })
  @Field({ description: 'the trace for a mailing-list reply: at most 80 columns, one per CPU that ran, the kernel sources listed under it' })
  lkml!: string;
  @ApiProperty({ ...OBJ, description: 'the same as JSON: threads, columns, rows' }) @Field(() => JSONScalar) json!: unknown;
}

@ObjectType('RunEvent', { description: 'one event of a run as it is appended' })
export class RunEventModel {
  @ApiProperty({ enum: ['RunStarted', 'StepRecorded', 'RunCompleted'] }) @Field() type!: string;
  @ApiProperty() @Field(() => Int) revision!: number;
  @ApiPropertyOptional({ type: Number, nullable: true }) @Field(() => Int, { nullable: true }) step!: number | null;
  @ApiProperty(OBJ) @Field(() => JSONScalar) data!: unknown;
}

export function toRun(r: RunEntry | RunSummary): Run {
  return {
    id: r.runId,
    scenario: r.scenario,
    params: r.params,
    variant: r.variant ?? 'kernel',
    modelHash: r.modelHash,
    strategy: r.strategy,
    seed: r.seed,
    author: r.author,
    status: r.status,
    outcome: r.outcome,
    violation: r.violation,
    steps: r.steps,
    schedule: r.schedule,
    reason: r.reason ?? null,
    createdAt: r.createdAt,
    completedAt: r.completedAt,
    counterexampleOf: r.counterexampleOf,
    engineVersion: 'engineVersion' in r ? (r.engineVersion ?? null) : null,
    lastStep: 'lastStep' in r ? (r.lastStep ?? null) : null,
  };
}
