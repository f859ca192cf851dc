// Validates events with the published schema of their type and version, fetched once from the
// gateway at the path of the schema's $id (or read from a folder of the schema files).
import fs from 'node:fs/promises';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

const addFormats = /** @type {any} */ (addFormatsModule).default ?? addFormatsModule;

/** The `$id` of a type's schema at a version, as the `ce_dataschema` header carries it. */
export const schemaIdOf = (type, version) =>
  `https://api.finfusion.cloud/schemas/events/${type}.v${version}.json`;

/**
 * A validator of events, from `source`: a gateway's base URL (http://127.0.0.1:3000) or a folder
 * holding the schema files (schemas/events). Returns the problems of an event, [] when valid.
 * @param {string} source
 * @returns {(event: any) => Promise<string[]>}
 */
export function eventValidator(source) {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv, ['date-time']);
  /** @type {Map<string, Promise<import('ajv').ValidateFunction>>} */
  const compiled = new Map();
  const load = async (id) => {
    const file = new URL(id).pathname;
    const text = /^https?:/.test(source)
      ? await fetch(new URL(file, source)).then((response) => {
          if (!response.ok) throw new Error(`${file}: ${response.status} from ${source}`);
          return response.text();
        })
      : await fs.readFile(path.join(source, path.basename(file)), 'utf8');
    return ajv.compile(JSON.parse(text));
  };
  return async (event) => {
    if (typeof event?.type !== 'string' || !Number.isInteger(event?.schema_version))
      return ['/: not an event envelope (type, schema_version)'];
    const id = schemaIdOf(event.type, event.schema_version);
    if (!compiled.has(id)) compiled.set(id, load(id));
    const validate = await /** @type {Promise<import('ajv').ValidateFunction>} */ (
      compiled.get(id)
    );
    if (validate(event)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message}`);
  };
}
