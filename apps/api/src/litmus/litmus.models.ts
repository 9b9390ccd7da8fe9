import { Field, Int, ObjectType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { JSONScalar } from '../graphql/json.scalar.js';

const OBJ = { type: 'object', additionalProperties: true } as const;

@ObjectType({ description: "A litmus test's answer under the LKMM, in herd7's terms" })
export class LitmusResultModel {
  @ApiProperty() @Field() name!: string;
  @ApiPropertyOptional({ description: 'the `Result:` the test documents, if any' }) @Field(() => String, { nullable: true }) documentedResult?: string | null;
  @ApiProperty({ enum: ['Allowed', 'Forbidden', 'Required'], description: 'the kind of the condition (exists, ~exists, forall)' }) @Field() kind!: string;
  @ApiProperty({ type: [Object], description: 'the final states: {values: {place: value}, satisfies}' }) @Field(() => JSONScalar) states!: unknown;
  @ApiProperty({ description: "herd7's Ok/No: the condition holds with its quantifier" }) @Field() validated!: boolean;
  @ApiProperty({ description: 'allowed executions where the proposition holds' }) @Field(() => Int) positive!: number;
  @ApiProperty({ description: 'allowed executions where it does not' }) @Field(() => Int) negative!: number;
  @ApiProperty({ ...OBJ, description: "herd7's Witnesses line {positive, negative} (swapped under ~exists)" }) @Field(() => JSONScalar) witnesses!: unknown;
  @ApiProperty({ enum: ['Never', 'Sometimes', 'Always'] }) @Field() observation!: string;
  @ApiProperty() @Field() condition!: string;
  @ApiProperty({ type: [String], description: 'flags some allowed execution raises (data-race)' }) @Field(() => [String]) flags!: string[];
  @ApiProperty({ description: 'candidate executions examined' }) @Field(() => Int) candidates!: number;
  @ApiProperty({ description: 'executions the model allows (after filter)' }) @Field(() => Int) executions!: number;
  @ApiPropertyOptional({ ...OBJ, description: 'an allowed execution (the weak outcome when there is one): events, rf, co per location, final state' })
  @Field(() => JSONScalar, { nullable: true })
  witness?: unknown;
  @ApiProperty({ description: 'the answer as herd7 prints it' }) @Field() herd!: string;
}
