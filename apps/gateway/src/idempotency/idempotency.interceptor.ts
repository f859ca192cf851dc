import {
  Injectable,
  Logger,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { catchError, defer, from, mergeMap, type Observable } from 'rxjs';
import { ApiError, errorEnvelope } from '../errors/api-error';
import { ReplayedResponse } from '../errors/replayed-response';
import { requestStateOf } from '../http/request-state';
import { GatewayConfig } from '../config';
import { requestHash, requestHashKey } from './canonical-json';
import { IdempotencyStore, type IdempotentRequest } from './idempotency.store';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;

/** The header's key, or an `idempotency_key_invalid` error; undefined when none was sent. */
export function idempotencyKeyOf(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (Array.isArray(header) || !KEY_FORMAT.test(header)) {
    throw ApiError.of('idempotency_key_invalid', { param: 'Idempotency-Key' });
  }
  return header;
}

/**
 * Only outcomes the service decided are kept: a request refused before it reached a service
 * (validation) or one that failed on the way (5xx, 503, 504) releases the key for a retry.
 */
export const keepsOutcome = (error: ApiError): boolean =>
  error.origin === 'service' && error.status < 500;

/**
 * `Idempotency-Key` for every authenticated POST: the first response is kept and replayed; the
 * same key with another request is refused; a retry while the first runs gets 409.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Idempotency');

  private readonly hashKey: Buffer;

  constructor(
    private readonly store: IdempotencyStore,
    config: GatewayConfig,
  ) {
    this.hashKey = requestHashKey(config.CARD_TRANSIT_KEY);
  }

  intercept(context: ExecutionContext, next: CallHandler<unknown>): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const state = requestStateOf(request);
    if (request.method !== 'POST' || state.merchantId === undefined) return next.handle();
    const merchantId = state.merchantId;

    return defer(async () => {
      const key = idempotencyKeyOf(request.headers[IDEMPOTENCY_KEY_HEADER]);
      if (key === undefined) return undefined;
      state.idempotencyKey = key;
      const record: IdempotentRequest = {
        merchantId,
        key,
        method: request.method,
        path: request.url,
        requestHash: requestHash(request.body, this.hashKey),
      };
      const outcome = await this.store.claim(record);
      switch (outcome.kind) {
        case 'claimed':
          return { record, lockId: outcome.lockId };
        case 'completed':
          throw new ReplayedResponse(outcome.status, outcome.body);
        case 'in_progress':
          throw ApiError.of('idempotency_key_in_use', { param: 'Idempotency-Key' });
        case 'mismatch':
          throw ApiError.of('idempotency_key_reused', { param: 'Idempotency-Key' });
      }
    }).pipe(
      mergeMap((claim) => {
        if (claim === undefined) return next.handle();
        const { record, lockId } = claim;
        return next.handle().pipe(
          mergeMap((body) =>
            from(
              this.keep(record, lockId, reply.statusCode, JSON.stringify(body ?? null)).then(
                () => body,
              ),
            ),
          ),
          catchError((error: unknown) =>
            defer(async () => {
              if (error instanceof ApiError && keepsOutcome(error)) {
                const envelope = errorEnvelope(error, request.id);
                await this.keep(record, lockId, error.status, JSON.stringify(envelope));
              } else {
                await this.release(record, lockId);
              }
              throw error;
            }),
          ),
        );
      }),
    );
  }

  // A failure to record must not turn the service's answer into an error: the record stays
  // in_progress until it is stale, and the service's own idempotency covers a retry.
  private async keep(
    record: IdempotentRequest,
    lockId: string,
    status: number,
    body: string,
  ): Promise<void> {
    try {
      const kept = await this.store.complete(record, lockId, status, body);
      if (!kept) this.logger.warn({ msg: 'idempotency record was taken over before completion' });
    } catch (error) {
      this.logger.error({ msg: 'could not keep the idempotent response', err: String(error) });
    }
  }

  private async release(record: IdempotentRequest, lockId: string): Promise<void> {
    try {
      await this.store.release(record, lockId);
    } catch (error) {
      this.logger.error({ msg: 'could not release the idempotency key', err: String(error) });
    }
  }
}
