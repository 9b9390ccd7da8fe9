import { applyDecorators } from '@nestjs/common';
import { Field } from '@nestjs/graphql';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength, ValidateIf, registerDecorator } from 'class-validator';
import { JSONScalar } from '../graphql/json.scalar.js';

/**
 * `document` of a run, audit or comparison request: an inline scenario document (an object, or
 * YAML/JSON text), checked by the document loader when the request is resolved (ScenarioLibrary).
 */
export function DocumentField(): PropertyDecorator {
  const isDocument: PropertyDecorator = (target, propertyName) =>
    registerDecorator({
      name: 'isScenarioDocument',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: '$property must be a scenario document: a JSON object or YAML text' },
      validator: { validate: (v: unknown) => typeof v === 'string' || (typeof v === 'object' && v !== null && !Array.isArray(v)) },
    });
  return applyDecorators(
    ApiPropertyOptional({
      oneOf: [{ type: 'object' }, { type: 'string' }],
      description: 'an inline scenario document (GET /scenarios/schema), instead of `scenario`',
    }),
    Field(() => JSONScalar, { nullable: true, description: 'an inline scenario document, instead of `scenario`' }),
    IsOptional(),
    isDocument,
  );
}

/**
 * `scenario` of a run, audit or comparison request: a scenario by name, required unless `document`
 * is sent (a missing one is then named with the other invalid fields). Listed last-applied first,
 * as the decorators stood on the property, so that validation reports in the same order.
 */
export function ScenarioField(): PropertyDecorator {
  return applyDecorators(
    MaxLength(100),
    IsNotEmpty(),
    IsString(),
    ValidateIf((o: { document?: unknown }) => o.document === undefined || o.document === null),
    Field({ nullable: true }),
    ApiPropertyOptional({
      example: 'seed',
      description: 'a built-in scenario, a published `name` (its latest version) or `name@version`; or leave it out and send `document`',
    }),
  );
}
