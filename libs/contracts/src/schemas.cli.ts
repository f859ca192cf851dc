import fs from 'node:fs';
import path from 'node:path';
import {
  breakingChanges,
  PUBLISHED_SCHEMA_DIR,
  publishedSchemas,
  schemaFileText,
  type PublishedSchema,
} from './schemas/published';

/**
 * Writes the published event schemas (`npm run schemas`, from the repository's root), one file
 * per event type and schema version. A file already published is rewritten only with changes
 * the evolution policy allows (optional fields added, descriptions); a breaking change is
 * refused with what breaks: publish it as the next version instead. The contracts' tests fail
 * when the files and the code differ.
 */
function main(): void {
  const dir = path.resolve(PUBLISHED_SCHEMA_DIR);
  fs.mkdirSync(dir, { recursive: true });
  const refused: string[] = [];
  const written: PublishedSchema[] = [];
  for (const published of publishedSchemas()) {
    const file = path.join(dir, published.file);
    const text = schemaFileText(published.schema);
    if (fs.existsSync(file)) {
      const before = fs.readFileSync(file, 'utf8');
      if (before === text) continue;
      const breaks = breakingChanges(
        JSON.parse(before) as Record<string, unknown>,
        published.schema,
      );
      if (breaks.length > 0) {
        refused.push(`${published.file}:\n  ${breaks.join('\n  ')}`);
        continue;
      }
    }
    fs.writeFileSync(file, text);
    written.push(published);
  }
  for (const { file } of written)
    process.stdout.write(`wrote ${path.join(PUBLISHED_SCHEMA_DIR, file)}\n`);
  if (refused.length > 0) {
    process.stderr.write(
      `Breaking changes within a published version (raise the type's version in ` +
        `PublicSchemaVersions and publish it beside the old one):\n${refused.join('\n')}\n`,
    );
    process.exitCode = 1;
  }
}

main();
