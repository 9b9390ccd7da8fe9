import { applyDecorators, type INestApplication } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  DocumentBuilder,
  getSchemaPath,
  SwaggerModule,
  type OpenAPIObject,
} from '@nestjs/swagger';
import { PROBLEM_TYPES } from './problem.js';

export class FieldIssueDto {
  @ApiProperty({ example: 'bounds.maxStates' }) field!: string;
  @ApiProperty({ example: 'must be at most 5000000 on this server' }) message!: string;
}

/** RFC 9457 problem details. */
export class ProblemDetails {
  @ApiProperty({ example: '/problems/invalid-request', description: 'documented at this path' }) type!: string;
  @ApiProperty({ example: 'The request is not valid' }) title!: string;
  @ApiProperty({ example: 400 }) status!: number;
  @ApiProperty() detail!: string;
  @ApiPropertyOptional({ example: '/audits' }) instance?: string;
  @ApiPropertyOptional({ type: [FieldIssueDto], description: 'every invalid field (400, 422)' }) errors?: FieldIssueDto[];
  @ApiPropertyOptional({ description: 'seconds, as the Retry-After header (429, 503)' }) retryAfter?: number;
}

const bySlugStatus = Object.values(PROBLEM_TYPES).reduce<Record<number, string>>((acc, t) => ({ ...acc, [t.status]: t.title }), {});

/** Documents the problems an operation answers with. */
export function ApiProblems(...statuses: number[]) {
  return applyDecorators(
    ApiExtraModels(ProblemDetails),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: bySlugStatus[status] ?? 'problem',
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDetails) } } },
        ...(status === 429 || status === 503 ? { headers: { 'Retry-After': { description: 'seconds', schema: { type: 'integer' } } } } : {}),
      }),
    ),
  );
}

export const DOCS_PATH = 'docs';
export const OPENAPI_JSON = '/docs/openapi.json';

/** The OpenAPI document, and its page served from swagger-ui-dist by this server (no CDN). */
export function setupOpenApi(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('mmreplay API')
    .setDescription(
      'Simulate, record and time-travel the Linux page-migration locking protocol; audit fix hypotheses over every interleaving. ' +
        'Every route but health and documentation needs `Authorization: Bearer <token>`; every run and audit belongs to the team of the token that created it. ' +
        'Errors are RFC 9457 problem details (`application/problem+json`). GraphQL (queries, mutations, graphql-ws subscriptions) is at `/graphql`.',
    )
    .setVersion('0.1.0')
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup(DOCS_PATH, app, document, {
    jsonDocumentUrl: OPENAPI_JSON,
    yamlDocumentUrl: '/docs/openapi.yaml',
    customSiteTitle: 'mmreplay API',
    // No call to the public validator service: nothing leaves this machine.
    swaggerOptions: { validatorUrl: null, persistAuthorization: true },
  });
  return document;
}
