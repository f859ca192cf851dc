import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { buildOpenApiDocument, OPENAPI_FILE, openApiFileText } from './docs/openapi-file';

/**
 * Writes the API's OpenAPI document (`npm run openapi`, from the repository's root) as the
 * gateway serves it on /openapi.json, built without Kafka or Postgres. The gateway's tests fail
 * when the file and the code differ.
 */
async function main(): Promise<void> {
  const file = path.resolve(OPENAPI_FILE);
  const text = openApiFileText(await buildOpenApiDocument());
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text) {
    process.stdout.write(`${OPENAPI_FILE} is up to date\n`);
    return;
  }
  fs.writeFileSync(file, text);
  process.stdout.write(`wrote ${OPENAPI_FILE}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
