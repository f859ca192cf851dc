import { BadRequestException, HttpException, NotFoundException } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { ApiError, errorEnvelope, GatewayErrors } from './api-error';
import { isUnexpected, toApiError, type RequestFacts } from './error-mapping';

const request: RequestFacts = { method: 'GET', url: '/v2/nothing?x=1', allowedMethods: [] };

describe('ApiError.of', () => {
  it('maps every code to its status and type in one table', () => {
    for (const [code, definition] of Object.entries(GatewayErrors)) {
      const error = ApiError.of(code as keyof typeof GatewayErrors);
      expect(error.status).toBe(definition.status);
      expect(error.body).toEqual({ type: definition.type, code, message: definition.message });
    }
  });

  it('uses the documented type of each status', () => {
    for (const { status, type } of Object.values(GatewayErrors)) {
      if (status === 401) expect(type).toBe('authentication_error');
      if (status === 429) expect(type).toBe('rate_limit_error');
      if (status >= 500) expect(type).toBe('api_error');
    }
  });

  it('keeps a param and a custom message', () => {
    expect(ApiError.of('parameter_invalid', { param: 'email', message: 'Bad.' }).body).toEqual({
      type: 'invalid_request_error',
      code: 'parameter_invalid',
      message: 'Bad.',
      param: 'email',
    });
  });
});

describe('errorEnvelope', () => {
  it('wraps the error with the request id', () => {
    expect(errorEnvelope(ApiError.of('route_not_found'), 'req_1')).toEqual({
      error: {
        type: 'invalid_request_error',
        code: 'route_not_found',
        message: 'No such route.',
        request_id: 'req_1',
      },
    });
  });

  it('passes a service error through, decline code and payment included', () => {
    const error = ApiError.fromService(402, {
      type: 'card_error',
      code: 'card_declined',
      message: 'Your card was declined.',
      decline_code: 'insufficient_funds',
      payment: { id: 'pay_1', status: 'failed' },
    });
    expect(errorEnvelope(error, 'req_2').error).toMatchObject({
      code: 'card_declined',
      decline_code: 'insufficient_funds',
      payment: { id: 'pay_1', status: 'failed' },
      request_id: 'req_2',
    });
    expect(error.status).toBe(402);
    expect(error.origin).toBe('service');
  });
});

describe('toApiError', () => {
  it('keeps an ApiError as it is', () => {
    const error = ApiError.of('api_key_missing');
    expect(toApiError(error, request)).toBe(error);
  });

  it('answers an unknown route 404 route_not_found, without the query string', () => {
    const error = toApiError(new NotFoundException(), request);
    expect(error.status).toBe(404);
    expect(error.body.code).toBe('route_not_found');
    expect(error.body.message).toBe('No route for GET /v2/nothing.');
  });

  it('does not repeat a card number typed into a path', () => {
    for (const url of ['/v2/payment/4242424242424242', '/v2/x/4242%204242%204242%204242?a=1']) {
      const error = toApiError(new NotFoundException(), { ...request, url });
      expect(error.body.message).not.toMatch(/4242.?4242/);
      expect(error.body.message).toContain('…');
    }
  });

  it('answers a known path with another method 405 with an Allow header', () => {
    const error = toApiError(new NotFoundException(), {
      method: 'PUT',
      url: '/v2/customers',
      allowedMethods: ['GET', 'POST'],
    });
    expect(error.status).toBe(405);
    expect(error.body.code).toBe('method_not_allowed');
    expect(error.headers).toEqual({ Allow: 'GET, POST' });
  });

  it.each([
    [413, 'body_too_large'],
    [415, 'unsupported_media_type'],
    [400, 'request_malformed'],
  ])('maps a framework error with status %i to %s', (status, code) => {
    const error = toApiError(new HttpException('from fastify', status), request);
    expect(error.status).toBe(status);
    expect(error.body.code).toBe(code);
  });

  it('tells the body limit when a body is too large', () => {
    const error = toApiError(new HttpException('too large', 413), {
      ...request,
      bodyLimitBytes: 65536,
    });
    expect(error.body.message).toBe('The request body is larger than 65536 bytes.');
  });

  it('keeps the status of another framework 4xx', () => {
    const error = toApiError(new HttpException('Request Timeout', 408), request);
    expect(error.status).toBe(408);
    expect(error.body.type).toBe('invalid_request_error');
  });

  it('maps the throttler to 429 rate_limited', () => {
    expect(toApiError(new ThrottlerException(), request).body.code).toBe('rate_limited');
  });

  it('answers 503 service_unavailable while its database cannot be reached', () => {
    for (const failure of [
      Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
      new Error('Connection terminated unexpectedly'),
      Object.assign(new Error('the database system is shutting down'), { code: '57P03' }),
    ]) {
      const error = toApiError(failure, request);
      expect([error.status, error.body.code]).toEqual([503, 'service_unavailable']);
    }
  });

  it('answers anything else 500 without its details', () => {
    const error = toApiError(new TypeError('secret internals at line 42'), request);
    expect(error.status).toBe(500);
    expect(error.body).toEqual({
      type: 'api_error',
      code: 'internal_error',
      message: GatewayErrors.internal_error.message,
    });
    expect(isUnexpected(new TypeError('x'), error)).toBe(true);
  });

  it('does not treat its own 5xx decisions as unexpected', () => {
    const timeout = ApiError.of('service_timeout');
    expect(isUnexpected(timeout, toApiError(timeout, request))).toBe(false);
    expect(
      isUnexpected(new BadRequestException(), toApiError(new BadRequestException(), request)),
    ).toBe(false);
  });
});
