import { applyDecorators, Controller, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { ApiErrors } from '../docs/api-docs.decorators';
import { RateLimitGuard } from '../rate-limit/rate-limit.guard';

export const BEARER_SCHEME = 'api_key';

/**
 * A controller of the public API under /v2: authenticated (failed attempts limited per client
 * address and overall), rate limited per merchant, and documented with the errors every such
 * route can answer.
 */
export const ApiController = (path: string, tag: string): ClassDecorator =>
  applyDecorators(
    Controller(`v2/${path}`),
    UseGuards(ApiKeyGuard, RateLimitGuard),
    ApiTags(tag),
    ApiBearerAuth(BEARER_SCHEME),
    ApiErrors(401, 429, 500, 502, 503, 504),
  );
