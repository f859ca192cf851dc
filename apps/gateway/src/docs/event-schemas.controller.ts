import { Controller, Get, Header, Param } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { publishedSchemas, schemaFileText } from '@finfusion/contracts';
import { ApiError } from '../errors/api-error';

/** The path the published event schemas are served at: the path of their `$id`. */
export const EVENT_SCHEMAS_PATH = 'schemas/events';

/**
 * The event schemas at the URL their `$id` names, for consumers that resolve it: public (no API
 * key, like the API's own document), byte for byte the files in schemas/events.
 */
@ApiExcludeController()
@Controller(EVENT_SCHEMAS_PATH)
export class EventSchemasController {
  private readonly files = new Map(
    publishedSchemas().map(({ file, schema }) => [file, schemaFileText(schema)]),
  );

  @Get(':file')
  @Header('Content-Type', 'application/schema+json')
  @Header('Cache-Control', 'public, max-age=300')
  schema(@Param('file') file: string): string {
    const text = this.files.get(file);
    if (text === undefined)
      throw ApiError.of('resource_missing', { message: 'No such event schema.' });
    return text;
  }
}
