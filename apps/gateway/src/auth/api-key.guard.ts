import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../errors/api-error';
import { requestStateOf } from '../http/request-state';
import { credentialsOf } from './api-key';
import { ApiKeyAuthenticator } from './api-key.authenticator';

const challenge = { 'WWW-Authenticate': 'Bearer realm="finfusion"' };

/** `Authorization: Bearer <key>`: resolves the merchant, or answers 401. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(private readonly authenticator: ApiKeyAuthenticator) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const credentials = credentialsOf(request.headers.authorization);
    switch (credentials.kind) {
      case 'missing':
        throw ApiError.of('api_key_missing', { headers: challenge });
      case 'malformed':
        throw ApiError.of('api_key_invalid', { headers: challenge });
      case 'api_key': {
        const key = await this.authenticator.authenticate(credentials.key);
        if (!key) throw ApiError.of('api_key_invalid', { headers: challenge });
        const state = requestStateOf(request);
        state.merchantId = key.merchantId;
        state.apiKeyId = key.keyId;
        return true;
      }
    }
  }
}
