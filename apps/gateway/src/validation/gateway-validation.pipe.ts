import { Injectable, ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { cardNumberAt, echoablePath, unstorableTextAt } from '@finfusion/contracts';
import { ApiError } from '../errors/api-error';
import { validationError } from './validation-errors';

/** The one field a card number belongs in; it is sealed before it leaves the gateway. */
const CARD_NUMBER_FIELD = 'payment_method.card.number';

/**
 * Names class-transformer skips without a word (the built-in members of every object), so the
 * whitelist never sees them and a metadata entry under one of them would vanish.
 */
const DROPPED_KEYS = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/** The first key class-transformer would drop, with where it is: `[path, inMetadata]`. */
function droppedKeyIn(value: unknown, path: string[] = []): [string[], boolean] | undefined {
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = droppedKeyIn(item, [...path, String(index)]);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (!isPlainObject(value)) return undefined;
  for (const [key, item] of Object.entries(value as object)) {
    if (DROPPED_KEYS.has(key)) return [[...path, key], path.includes('metadata')];
    const found = droppedKeyIn(item, [...path, key]);
    if (found !== undefined) return found;
  }
  return undefined;
}

const isPlainObject = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * class-validator DTOs for bodies and query strings: unknown fields refused, values converted
 * only where a DTO says so (`@Type`), and errors in the API's shape naming the field.
 */
@Injectable()
export class GatewayValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      transformOptions: { enableImplicitConversion: false },
      // The target lets a field's rule see the object it stands in (a CVC, its card's number).
      validationError: { target: true, value: true },
      exceptionFactory: validationError,
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // A JSON array, string or null would otherwise reach class-transformer as if it were an object.
    if (metadata.type === 'body' && metadata.metatype !== undefined && !isPlainObject(value)) {
      throw ApiError.of('invalid_body');
    }
    if (metadata.type === 'body' || metadata.type === 'query') {
      const path = unstorableTextAt(value);
      if (path !== undefined) {
        const shown = echoablePath(path);
        throw ApiError.of('parameter_invalid', {
          message: `${shown ?? 'A parameter'} contains a NUL character or an unpaired surrogate.`,
          param: shown,
        });
      }
    }
    if (metadata.type === 'body' || metadata.type === 'query') {
      const dropped = droppedKeyIn(value);
      if (dropped !== undefined) {
        const [path, inMetadata] = dropped;
        const param = path.join('.');
        throw inMetadata
          ? ApiError.of('invalid_metadata', {
              message: `metadata keys cannot be names of built-in object members (${path.at(-1) ?? ''}).`,
              param: path.slice(0, path.indexOf('metadata') + 1).join('.'),
            })
          : ApiError.of('parameter_unknown', {
              message: `Received unknown parameter: ${param}.`,
              param,
            });
      }
    }
    const valid = (await super.transform(value, metadata)) as unknown;
    if (metadata.type === 'body' || metadata.type === 'query') {
      // Text is stored, published and logged: a card number typed into any of it is refused.
      // After the DTO's own checks, which answer first where a field has a code of its own.
      const holder = cardNumberAt(
        valid,
        (field) => metadata.type === 'body' && field === CARD_NUMBER_FIELD,
      );
      if (holder !== undefined) throw cardNumberInText(echoablePath(holder));
    }
    return valid;
  }
}

/** 400 naming where a card number was found, never the number. */
export function cardNumberInText(param: string | undefined): ApiError {
  return ApiError.of('parameter_invalid', {
    message: `${param ?? 'A parameter'} must not contain a card number.`,
    param,
  });
}
