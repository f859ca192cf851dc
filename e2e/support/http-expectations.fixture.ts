import type { ApiResponse } from '@finfusion/testing';

export interface ErrorBody {
  error: {
    type: string;
    code: string;
    message: string;
    param?: string;
    request_id: string;
  };
}

/** Asserts the API's error shape with a Request-Id, and returns the error for more checks. */
export function expectApiError(
  response: ApiResponse,
  status: number,
  expected: Partial<ErrorBody['error']> = {},
): ErrorBody['error'] {
  expect({ status: response.status, body: response.body }).toMatchObject({
    status,
    body: { error: expected },
  });
  const { error } = response.body as ErrorBody;
  expect(typeof error.type).toBe('string');
  expect(typeof error.code).toBe('string');
  expect(typeof error.message).toBe('string');
  expect(response.headers['request-id']).toMatch(/^req_[0-9A-Za-z]+$/);
  expect(error.request_id).toBe(response.headers['request-id']);
  expect(response.text).not.toMatch(/\bat .+\.(js|ts):\d+/);
  return error;
}
