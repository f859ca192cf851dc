import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ApiError, type GatewayErrorCode } from '../errors/api-error';
import { requestStateOf } from '../http/request-state';
import { credentialsOf } from './api-key';
import { ApiKeyAuthenticator, type Authentication } from './api-key.authenticator';

const challenge = { 'WWW-Authenticate': 'Bearer realm="finfusion"' };

/**
 * `Authorization: Bearer <key>`: resolves the merchant, or answers 401; 429 once the client
 * address (Fastify's `request.ip`, which honours TRUSTED_PROXIES) is over its budget of failed
 * authentications, before any lookup.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(private readonly authenticator: ApiKeyAuthenticator) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const credentials = credentialsOf(request.headers.authorization);
    switch (credentials.kind) {
      case 'missing':
        throw refusal(await this.authenticator.refuse(request.ip), 'api_key_missing');
      case 'malformed':
        throw refusal(await this.authenticator.refuse(request.ip), 'api_key_invalid');
      case 'api_key': {
        const result = await this.authenticator.authenticate(credentials.key, request.ip);
        if (result.outcome !== 'authenticated') throw refusal(result, 'api_key_invalid');
        const state = requestStateOf(request);
        state.merchantId = result.key.merchantId;
        state.apiKeyId = result.key.keyId;
        return true;
      }
    }
  }
}

function refusal(result: Authentication, code: GatewayErrorCode): ApiError {
  if (result.outcome === 'throttled') {
    return ApiError.of('rate_limited', {
      headers: { 'Retry-After': String(result.retryAfterSeconds) },
    });
  }
  return ApiError.of(code, { headers: challenge });
}
