import 'reflect-metadata';
import { ApiError } from '../errors/api-error';
import { CreateCustomerRequest, ListCustomersQuery } from '../customers/customer.requests';
import { GatewayValidationPipe } from '../validation/gateway-validation.pipe';

const pipe = new GatewayValidationPipe();

async function refusalOf(
  metatype: typeof ListCustomersQuery | typeof CreateCustomerRequest,
  value: unknown,
  type: 'body' | 'query',
): Promise<ApiError['body']> {
  try {
    await pipe.transform(value, { type, metatype });
  } catch (error) {
    if (error instanceof ApiError) return error.body;
    throw error;
  }
  throw new Error(`expected a refusal of ${JSON.stringify(value)}`);
}

describe('keys class-transformer would drop', () => {
  it.each(['constructor', '__proto__', 'prototype'])(
    'refuses %s in a query string as an unknown parameter',
    async (key) => {
      // As Fastify's query parser hands it over: an own property, whatever its name.
      const query = Object.defineProperty({ email: 'a@example.com' }, key, {
        value: '1',
        enumerable: true,
      });
      expect(await refusalOf(ListCustomersQuery, query, 'query')).toMatchObject({
        code: 'parameter_unknown',
        param: key,
      });
    },
  );

  it('refuses a built-in member name nested in a body, naming where it is', async () => {
    const body = JSON.parse('{"email":"a@example.com","name":{"valueOf":1}}') as unknown;
    expect(await refusalOf(CreateCustomerRequest, body, 'body')).toMatchObject({
      code: 'parameter_unknown',
      param: 'name.valueOf',
    });
  });

  it('refuses a metadata key that would vanish, rather than dropping the entry', async () => {
    const body = { email: 'a@example.com', metadata: { order: '1', valueOf: 'x' } };
    expect(await refusalOf(CreateCustomerRequest, body, 'body')).toMatchObject({
      code: 'invalid_metadata',
      param: 'metadata',
    });
  });

  it('refuses constructor in a body as an unknown parameter', async () => {
    const body = { email: 'a@example.com', constructor: 'x' };
    expect(await refusalOf(CreateCustomerRequest, body, 'body')).toMatchObject({
      code: 'parameter_unknown',
      param: 'constructor',
    });
  });
});
