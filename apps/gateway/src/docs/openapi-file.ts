import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@finfusion/config';
import { AppModule } from '../app.module';
import { GatewayConfig } from '../config';
import { openApiDocument, type OpenApiDocument } from './openapi';

/** Where the document is committed, from the repository's root. */
export const OPENAPI_FILE = 'openapi.json';

/**
 * The document the gateway serves, built without Kafka or Postgres: the application module is
 * created in Nest's preview mode, which resolves the modules and their routes but instantiates
 * nothing, so no connection is opened and no configuration beyond the defaults is needed.
 */
export async function buildOpenApiDocument(): Promise<OpenApiDocument> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(loadConfig(GatewayConfig, {})),
    new FastifyAdapter(),
    { preview: true, logger: false, abortOnError: false },
  );
  try {
    return openApiDocument(app);
  } finally {
    await app.getHttpAdapter().close();
  }
}

/** The committed file's text: two-space JSON with a final newline. */
export const openApiFileText = (document: OpenApiDocument): string =>
  `${JSON.stringify(document, null, 2)}\n`;
