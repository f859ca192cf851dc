import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@finfusion/config';
import { AppModule } from '../app.module';
import { GatewayConfig } from '../config';
import { openApiDocument, type OpenApiDocument } from './openapi';

/** Where the document is committed, from the repository's root. */
export const OPENAPI_FILE = 'openapi.json';

/**
 * The gateway's application in Nest's preview mode: its modules, controllers and routes resolved,
 * nothing instantiated, so no connection is opened and no configuration beyond the defaults is
 * needed. Only for reading the application's structure.
 */
export async function inPreview<T>(use: (app: NestFastifyApplication) => T): Promise<T> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(loadConfig(GatewayConfig, {})),
    new FastifyAdapter(),
    { preview: true, logger: false, abortOnError: false },
  );
  try {
    return use(app);
  } finally {
    // Only the HTTP server: the modules' shutdown hooks would run on instances never created.
    await app.getHttpAdapter().close();
  }
}

/** The document the gateway serves, built without Kafka or Postgres. */
export const buildOpenApiDocument = (): Promise<OpenApiDocument> => inPreview(openApiDocument);

/** The committed file's text: two-space JSON with a final newline. */
export const openApiFileText = (document: OpenApiDocument): string =>
  `${JSON.stringify(document, null, 2)}\n`;
