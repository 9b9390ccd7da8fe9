/** The TypeScript types of an OpenAPI document, as openapi-fetch takes them. */
export function schemaTypes(document: unknown): Promise<string>;
