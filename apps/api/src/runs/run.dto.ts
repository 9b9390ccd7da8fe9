import { Field, InputType, Int } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { strategies } from '@mmreplay/engine';
import { JSONScalar } from '../graphql/json.scalar.js';
import { DocumentField, ScenarioField } from '../scenarios/document-field.js';
import { IsJsonObject, IsParams, IsVariantSpec } from '../http/validators.js';
import { MemoryModelField, PageQueryDto, type MemoryModel } from '../audits/audit.dto.js';

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

@InputType('StartRunInput')
export class StartRunDto {
  @ScenarioField()
  scenario?: string;

  @DocumentField()
  document?: unknown;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'integer' }, example: { ptes: 2, faults: 2 } })
  @Field(() => JSONScalar, { nullable: true })
  @IsOptional()
  @IsParams()
  params?: Record<string, number>;

  @ApiPropertyOptional({ oneOf: [{ type: 'string' }, { type: 'object' }], description: 'a named variant or a variant object', example: 'unlock-before-remove' })
  @Field(() => JSONScalar, { nullable: true })
  @IsOptional()
  @IsVariantSpec()
  variant?: string | Record<string, unknown>;

  @MemoryModelField()
  memoryModel?: MemoryModel;

  @ApiPropertyOptional({ enum: strategies, description: 'default `random` (`replay` when a schedule is given)' })
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsIn(strategies)
  strategy?: (typeof strategies)[number];

  @ApiPropertyOptional({ minimum: 0, default: 0 })
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  seed?: number;

  @ApiPropertyOptional({ description: 'the schedule token a replay follows' })
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(200_000)
  schedule?: string;

  @ApiPropertyOptional({ minimum: 1, description: 'PCT bug depth (default 3)' })
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  depth?: number;

  @ApiPropertyOptional({ minimum: 1, description: 'step bound (at most the server cap, which is also the default)' })
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  maxSteps?: number;

  @ApiPropertyOptional({ default: true, description: 'answer once the run is recorded (201); false: answer at once (202) and follow it live' })
  @Field({ nullable: true })
  @IsOptional()
  @IsBoolean()
  wait?: boolean;
}

const OUTCOMES = ['completed', 'violation', 'deadlock', 'step-bound', 'infeasible', 'model-bound', 'failed'];

export class RunListQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) scenario?: string;
  @ApiPropertyOptional({ description: '`kernel` for the unmodified protocol' }) @IsOptional() @IsString() @MaxLength(100) variant?: string;
  @ApiPropertyOptional({ enum: ['running', 'completed'] }) @IsOptional() @IsIn(['running', 'completed']) status?: string;
  @ApiPropertyOptional({ enum: OUTCOMES }) @IsOptional() @IsIn(OUTCOMES) outcome?: string;
  @ApiPropertyOptional({ enum: strategies }) @IsOptional() @IsIn(strategies) strategy?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) author?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^[0-9a-f]{64}$/) modelHash?: string;
  @ApiPropertyOptional({ description: 'runs that are counterexamples of this audit' }) @IsOptional() @Matches(ID) counterexampleOf?: string;
}

/**
 * An integer query parameter, strictly: optional sign and decimal digits, within 2^53 (`0x10`,
 * `1e3`, ` 7` or `9007199254740993` stay strings, and `@IsInt()` refuses them with a 400).
 */
export const int = () =>
  Transform(({ value }) => (typeof value === 'string' && /^-?\d{1,16}$/.test(value) && Number.isSafeInteger(Number(value)) ? Number(value) : value));

export class EventsQueryDto {
  @ApiPropertyOptional({ minimum: 0 }) @IsOptional() @int() @IsInt() @Min(0) from?: number;
  @ApiPropertyOptional({ minimum: 0 }) @IsOptional() @int() @IsInt() @Min(0) to?: number;
  @ApiPropertyOptional({ description: 'comma-separated event kinds or ops, e.g. `PageUnlocked,pte_read`', type: String })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.split(',').filter((s) => s !== '') : value))
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  types?: string[];
  @ApiPropertyOptional({ example: 'flt0' }) @IsOptional() @IsString() @MaxLength(100) thread?: string;
  @ApiPropertyOptional({ description: '`page:P`, `pte:e0`, `ptl:ptl`, `thread:flt0`, or a bare name', example: 'pte:e0' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  object?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 10_000, default: 1_000 }) @IsOptional() @int() @IsInt() @Min(1) @Max(10_000) limit?: number;
}

export class StateQueryDto {
  @ApiProperty({ minimum: -1, description: 'the state after this step (-1: before the first)' }) @int() @IsInt() @Min(-1) at!: number;
}

/** The most entries one page of a history or an event listing holds. */
export const MAX_PAGE = 10_000;

export class HistoryQueryDto {
  @ApiProperty({ example: 'pte:e0' }) @IsString() @IsNotEmpty() @MaxLength(100) object!: string;
  @ApiPropertyOptional({ minimum: -1, description: 'the cursor: entries after this step (the `Link: rel="next"` header of the previous page gives it)' })
  @IsOptional()
  @int()
  @IsInt()
  @Min(-1)
  after?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE, default: 1_000 }) @IsOptional() @int() @IsInt() @Min(1) @Max(MAX_PAGE) limit?: number;
}

export class FirstWhereDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'a predicate (see the README: "first step where")',
    example: {
      all: [
        { pte: 'e0', kind: 'migration' },
        { page: 'P', locked: false },
      ],
    },
  })
  @IsJsonObject()
  where!: Record<string, unknown>;

  @ApiPropertyOptional({ minimum: -1 }) @IsOptional() @IsInt() @Min(-1) from?: number;
}

export class DiffQueryDto {
  @ApiProperty({ minimum: -1 }) @int() @IsInt() @Min(-1) from!: number;
  @ApiProperty({ minimum: -1 }) @int() @IsInt() @Min(-1) to!: number;
  @ApiPropertyOptional({ description: 'compare with this run at step `to`' }) @IsOptional() @Matches(ID) otherRun?: string;
}

export class LocksQueryDto {
  @ApiProperty({ example: 'flt0' }) @IsString() @IsNotEmpty() @MaxLength(100) thread!: string;
  @ApiProperty({ minimum: -1 }) @int() @IsInt() @Min(-1) at!: number;
}

export class TraceQueryDto {
  @ApiPropertyOptional({ minimum: 0 }) @IsOptional() @int() @IsInt() @Min(0) from?: number;
  @ApiPropertyOptional({ minimum: 0 }) @IsOptional() @int() @IsInt() @Min(0) to?: number;
  @ApiPropertyOptional({
    enum: ['text', 'lkml', 'json'],
    description:
      'text: the diagram, one column per thread; lkml: at most 80 columns, one per CPU that ran, the sources listed under it (for a mail); json: the rows. Default: text if `Accept` prefers text/plain, else json',
  })
  @IsOptional()
  @IsIn(['text', 'lkml', 'json'])
  format?: 'text' | 'lkml' | 'json';
}

export class LiveQueryDto {
  @ApiPropertyOptional({ minimum: 0, description: 'start at this step (default: the first event)' }) @IsOptional() @int() @IsInt() @Min(0) fromStep?: number;
}
