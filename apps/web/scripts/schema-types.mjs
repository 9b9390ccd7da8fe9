import openapiTS, { astToString } from 'openapi-typescript';

const HEADER = "// Generated from the API's OpenAPI document by apps/web/scripts/openapi.mjs: do not edit.\n";

/** The TypeScript types of an OpenAPI document, as openapi-fetch takes them. */
export async function schemaTypes(document) {
  return HEADER + astToString(await openapiTS(document, { alphabetize: true }));
}
