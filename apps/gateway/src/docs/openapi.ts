import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { PathItemObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { BEARER_SCHEME } from '../http/api-controller.decorator';
import { addApiSchemas } from './api-schema';
import { addEventWebhooks } from './event-webhooks';
import { documentTo31 } from './openapi-3-1';
import { conventionalOperationId } from './operation-ids';

export const DOCS_PATH = 'docs';
export const OPENAPI_PATH = 'openapi.json';

/** An OpenAPI 3.1 document: @nestjs/swagger's types know 3.0's members only. */
export type OpenApiDocument = OpenAPIObject & { webhooks?: Record<string, PathItemObject> };

/**
 * The API's OpenAPI 3.1 document, from the routes of the application's controllers, the
 * contracts' schemas and the public event types. It reads the application's structure only, so
 * an application created in preview mode (no connections) gives the same document as the live
 * one (openapi-file.ts).
 */
export function openApiDocument(app: NestFastifyApplication): OpenApiDocument {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('FinFusion API')
    .setVersion('2')
    .setDescription(
      'Payments, customers and webhooks. Authenticate with `Authorization: Bearer sk_test_…`. ' +
        'Every response carries a `Request-Id` header; errors have the shape ' +
        '`{"error": {"type", "code", "message", "param"?, "decline_code"?, "request_id"}}`. ' +
        'POST requests accept an `Idempotency-Key` header. Requests are rate limited per API key ' +
        '(429 with `Retry-After`). The events sent to webhook endpoints are under `webhooks`.',
    )
    .setLicense('Apache-2.0', 'https://www.apache.org/licenses/LICENSE-2.0')
    .addServer('https://api.finfusion.cloud', 'Production')
    .addServer('http://127.0.0.1:3000', 'Local development (npm start)')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'sk_test_…',
        description: 'A secret API key, created with the merchants command.',
      },
      BEARER_SCHEME,
    )
    .build();
  const generated = SwaggerModule.createDocument(app, config, {
    operationIdFactory: conventionalOperationId,
  });
  const { openapi, info, servers, tags, paths, webhooks, components, ...rest } = addEventWebhooks(
    addApiSchemas(documentTo31(generated)),
  );
  // DocumentBuilder's empty defaults say nothing: left out.
  const { contact, ...described } = info;
  // In the order readers expect: what it is, where, then the operations and their schemas.
  return {
    openapi,
    info: contact !== undefined && Object.keys(contact).length > 0 ? info : described,
    servers,
    ...(tags !== undefined && tags.length > 0 && { tags }),
    paths,
    webhooks,
    components,
    ...rest,
  };
}

/** Swagger UI at /docs and the document at /openapi.json, generated from the code. */
export function serveApiDocs(app: NestFastifyApplication): void {
  SwaggerModule.setup(DOCS_PATH, app, openApiDocument(app), {
    raw: ['json'],
    jsonDocumentUrl: OPENAPI_PATH,
    customSiteTitle: 'FinFusion API',
    swaggerOptions: { persistAuthorization: true },
  });
}
