import { applyDecorators } from '@nestjs/common';
import { Field, InputType, Int } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { APPROXIMATE_METHODS, AUDIT_STRATEGIES, type ApproximateMethod, type AuditStrategy } from '@mmreplay/explorer';
import { FRONTIER_IN_MEMORY } from '@mmreplay/audits';
import { JSONScalar } from '../graphql/json.scalar.js';
import { DocumentField, ScenarioField } from '../scenarios/document-field.js';
import { IsParams, IsVariantSpec } from '../http/validators.js';

/** The memory models a run or an audit may ask for (docs/memory-model.md). */
export const MEMORY_MODELS = ['sc', 'tso', 'lkmm'] as const;
export type MemoryModel = (typeof MEMORY_MODELS)[number];

/** The optional `memoryModel` field of run and audit inputs, for REST, OpenAPI and GraphQL at once. */
export const MemoryModelField = () =>
  applyDecorators(
    ApiPropertyOptional({ enum: MEMORY_MODELS, description: "memory model of the relaxed accesses (default: the variant's MEM switch, sc)" }),
    Field(() => String, { nullable: true }),
    IsOptional(),
    IsIn(MEMORY_MODELS),
  );
const VARIANT_SCHEMA = {
  oneOf: [
    { type: 'string', description: 'a named variant of the scenario' },
    { type: 'object', description: 'a variant {name?, base?, switches?, patches?}' },
  ],
};
const PARAMS_SCHEMA = { type: 'object', additionalProperties: { type: 'integer' }, example: { ptes: 3, faults: 3 } } as const;

@InputType('AuditBoundsInput')
export class AuditBoundsDto {
  @ApiPropertyOptional({ description: 'states stored before the audit stops (inconclusive); at most the server cap', minimum: 1 })
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  maxStates?: number;

  @ApiPropertyOptional({ description: 'interleaving depth bound', minimum: 1 })
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  maxDepth?: number;

  @ApiPropertyOptional({ description: 'wall-clock bound, seconds', minimum: 1 })
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  maxSeconds?: number;

  @ApiPropertyOptional({
    description:
      "exhaustive: memory bound, MB, over the visited set, the frontier in memory and every worker; at most the server cap (default: 70% of the audit worker's heap)",
    minimum: 1,
  })
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  maxMemoryMB?: number;

  @ApiPropertyOptional({ description: 'samples of a pct / random audit', minimum: 1 })
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  runs?: number;

  @ApiPropertyOptional({ description: 'seed of a pct / random audit', minimum: 0 })
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  seed?: number;
}

@InputType('ReductionsInput')
export class ReductionsDto {
  @ApiPropertyOptional() @Field({ nullable: true }) @IsOptional() @IsBoolean() symmetry?: boolean;
  @ApiPropertyOptional() @Field({ nullable: true }) @IsOptional() @IsBoolean() partialOrder?: boolean;
  @ApiPropertyOptional() @Field({ nullable: true }) @IsOptional() @IsBoolean() deadRegisters?: boolean;
}

/** What is common to an audit and a comparison. */
@InputType('AuditCommonInput', { isAbstract: true })
export class AuditCommonDto {
  @ScenarioField()
  scenario?: string;

  @DocumentField()
  document?: unknown;

  @ApiPropertyOptional(PARAMS_SCHEMA)
  @Field(() => JSONScalar, { nullable: true })
  @IsOptional()
  @IsParams()
  params?: Record<string, number>;

  @ApiPropertyOptional({ type: [String], description: "invariants to check (default: the scenario's)", example: ['bug-on'] })
  @Field(() => [String], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  invariants?: string[];

  @MemoryModelField()
  memoryModel?: MemoryModel;

  @ApiPropertyOptional({ enum: AUDIT_STRATEGIES, default: 'exhaustive' })
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsIn(AUDIT_STRATEGIES)
  strategy?: AuditStrategy;

  @ApiPropertyOptional({ type: AuditBoundsDto })
  @Field(() => AuditBoundsDto, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => AuditBoundsDto)
  bounds?: AuditBoundsDto;

  @ApiPropertyOptional({ type: ReductionsDto })
  @Field(() => ReductionsDto, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => ReductionsDto)
  reductions?: ReductionsDto;

  @ApiPropertyOptional({
    description: 'exhaustive: threads for the search, one of them its own (default: every core of the server)',
    minimum: 1,
    maximum: 64,
  })
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(64)
  workers?: number;

  @ApiPropertyOptional({
    oneOf: [
      { type: 'string', enum: [...APPROXIMATE_METHODS] },
      { type: 'boolean', description: 'true: bitstate (as before the methods were named); false: exact' },
    ],
    description:
      'exhaustive: an approximate search for configurations that do not fit, bitstate hashing (SPIN -DBITSTATE) or hash compaction (SPIN -DHC) instead of a visited set; a holds is then approximate, with the probability that a state was missed',
  })
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsIn([...APPROXIMATE_METHODS, true, false])
  approximate?: ApproximateMethod | boolean;

  @ApiPropertyOptional({
    description: "approximate: states of a breadth-first level kept in memory; the rest goes to the server's spill directory (default 1,000,000)",
    minimum: FRONTIER_IN_MEMORY.min,
    maximum: FRONTIER_IN_MEMORY.max,
  })
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(FRONTIER_IN_MEMORY.min)
  @Max(FRONTIER_IN_MEMORY.max)
  frontierInMemory?: number;
}

@InputType('StartAuditInput')
export class StartAuditDto extends AuditCommonDto {
  @ApiPropertyOptional({ ...VARIANT_SCHEMA, description: 'the protocol variant to audit (default: the kernel protocol)', example: 'unlock-before-remove' })
  @Field(() => JSONScalar, { nullable: true, description: 'a named variant (string) or a variant object' })
  @IsOptional()
  @IsVariantSpec()
  variant?: string | Record<string, unknown>;
}

@InputType('StartComparisonInput')
export class StartComparisonDto extends AuditCommonDto {
  @ApiProperty({ ...VARIANT_SCHEMA, description: 'the variant suspected of the bug', example: 'unlock-before-remove' })
  @Field(() => JSONScalar, { description: 'a named variant (string) or a variant object' })
  @IsVariantSpec()
  baseline!: string | Record<string, unknown>;

  @ApiPropertyOptional({ ...VARIANT_SCHEMA, description: 'the fix (default: the kernel protocol)' })
  @Field(() => JSONScalar, { nullable: true })
  @IsOptional()
  @IsVariantSpec()
  fix?: string | Record<string, unknown>;
}

export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'the `next` cursor of the previous page' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9._-]{1,100}$/)
  after?: string;
}

export class AuditListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['running', 'completed', 'cancelled', 'interrupted', 'failed'] })
  @IsOptional()
  @IsIn(['running', 'completed', 'cancelled', 'interrupted', 'failed'])
  status?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) scenario?: string;

  @ApiPropertyOptional({ enum: ['holds', 'violated', 'inconclusive'] })
  @IsOptional()
  @IsIn(['holds', 'violated', 'inconclusive'])
  verdict?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) variant?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) author?: string;
}
