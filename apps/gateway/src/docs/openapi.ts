import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { BEARER_SCHEME } from '../http/api-controller.decorator';
import { addApiSchemas } from './api-schema';

export const DOCS_PATH = 'docs';
export const OPENAPI_PATH = 'openapi.json';

export function openApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('FinFusion API')
    .setVersion('2')
    .setDescription(
      'Payments, customers and webhooks. Authenticate with `Authorization: Bearer sk_test_…`. ' +
        'Every response carries a `Request-Id` header; errors have the shape ' +
        '`{"error": {"type", "code", "message", "param"?, "decline_code"?, "request_id"}}`. ' +
        'POST requests accept an `Idempotency-Key` header. Requests are rate limited per API key ' +
        '(429 with `Retry-After`).',
    )
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
  return addApiSchemas(SwaggerModule.createDocument(app, config));
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
