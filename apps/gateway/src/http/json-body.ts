import type { FastifyRequest } from 'fastify';
import { ApiError } from '../errors/api-error';

/** Deeper bodies are refused before any recursive code (hashing, validation) walks them. */
export const MAX_JSON_DEPTH = 32;

/**
 * Whether JSON text nests objects or arrays deeper than `max`, read from the text itself: deep
 * bodies are refused before JSON.parse (whose reviver recurses) or anything else walks them.
 */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') {
      inString = true;
    } else if (char === '{' || char === '[') {
      if (++depth > max) return true;
    } else if (char === '}' || char === ']') {
      depth--;
    }
  }
  return false;
}

class PoisonedKey extends Error {}

// As Fastify's own parser does with onProtoPoisoning/onConstructorPoisoning 'error': such keys
// are harmless in JSON.parse's output but not once merged into an object by later code.
function refusePrototypeKeys(key: string, value: unknown): unknown {
  if (key === '__proto__') throw new PoisonedKey();
  if (
    key === 'constructor' &&
    typeof value === 'object' &&
    value !== null &&
    'prototype' in value
  ) {
    throw new PoisonedKey();
  }
  return value;
}

/** The body as a JSON value, or the API error that refuses it. */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') {
    throw ApiError.of('invalid_json', {
      message: 'The request body is empty; send a JSON object.',
    });
  }
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
    throw ApiError.of('invalid_json', {
      message: `The request body nests deeper than ${MAX_JSON_DEPTH} levels.`,
    });
  }
  try {
    return JSON.parse(text, refusePrototypeKeys) as unknown;
  } catch (error) {
    throw ApiError.of('invalid_json', {
      message:
        error instanceof PoisonedKey
          ? 'The request body has a forbidden key (__proto__ or constructor.prototype).'
          : 'The request body is not valid JSON.',
    });
  }
}

/** The gateway's only body parser (Fastify's parser callback), for application/json. */
export function parseJsonRequest(
  _request: FastifyRequest,
  body: Buffer,
  done: (error: Error | null, body?: unknown) => void,
): void {
  try {
    done(null, parseJsonBody(body.toString('utf8')));
  } catch (error) {
    done(error instanceof Error ? error : new Error(String(error)));
  }
}
