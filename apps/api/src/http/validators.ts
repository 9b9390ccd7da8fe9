import { registerDecorator, type ValidationOptions } from 'class-validator';

/** `{name: integer | string}` with at most 32 entries: scenario parameters. */
export function IsParams(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isParams',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: '$property must be an object of parameter names to integers', ...options },
      validator: {
        validate: (v: unknown) =>
          typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length <= 32 && Object.values(v).every((x) => Number.isSafeInteger(x)),
      },
    });
}

/** A variant: the name of a built-in one, or a variant object (checked field by field by the model). */
export function IsVariantSpec(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isVariantSpec',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: '$property must be the name of a variant or a variant object {switches, patches}', ...options },
      validator: {
        validate: (v: unknown) => (typeof v === 'string' && v.length > 0 && v.length <= 100) || (typeof v === 'object' && v !== null && !Array.isArray(v)),
      },
    });
}

/** A JSON object (a predicate). */
export function IsJsonObject(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isJsonObject',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: '$property must be a JSON object', ...options },
      validator: { validate: (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v) },
    });
}
