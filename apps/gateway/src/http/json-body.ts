import type { FastifyBodyParser, FastifyRequest } from 'fastify';
import { ApiError } from '../errors/api-error';

/** Deeper bodies are refused before any recursive code (hashing, validation) walks them. */
export const MAX_JSON_DEPTH = 32;

/** Whether a parsed JSON value nests objects or arrays deeper than `max` (iterative: no recursion). */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [current, depth] = item;
    if (typeof current !== 'object' || current === null) continue;
    if (depth + 1 > max) return true;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return false;
}

type DefaultJsonParser = (
  request: FastifyRequest,
  body: string,
  done: (error: Error | null, body?: unknown) => void,
) => void;

/**
 * The gateway's only body parser: Fastify's own JSON parser (which refuses `__proto__` and
 * `constructor.prototype` keys), with its errors turned into the API's error codes.
 */
export const jsonBodyParser =
  (defaultParser: DefaultJsonParser): FastifyBodyParser<Buffer> =>
  (request, body, done) => {
    if (body.length === 0) {
      done(
        ApiError.of('invalid_json', { message: 'The request body is empty; send a JSON object.' }),
      );
      return;
    }
    defaultParser(request, body.toString('utf8'), (error, parsed) => {
      if (error) {
        done(ApiError.of('invalid_json'));
      } else if (nestsDeeperThan(parsed, MAX_JSON_DEPTH)) {
        done(
          ApiError.of('invalid_json', {
            message: `The request body nests deeper than ${MAX_JSON_DEPTH} levels.`,
          }),
        );
      } else {
        done(null, parsed);
      }
    });
  };
