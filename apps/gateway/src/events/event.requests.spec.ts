import 'reflect-metadata';
import { ApiError } from '../errors/api-error';
import { GatewayValidationPipe } from '../validation/gateway-validation.pipe';
import { listEventsPayload, ListEventsQuery } from './event.requests';

// The query through the gateway's own pipe, as a request meets it.
const pipe = new GatewayValidationPipe();

async function query(value: Record<string, unknown>) {
  try {
    const checked = (await pipe.transform(value, {
      type: 'query',
      metatype: ListEventsQuery,
    })) as ListEventsQuery;
    return { ok: true as const, value: checked };
  } catch (error) {
    if (error instanceof ApiError) return { ok: false as const, error };
    throw error;
  }
}

async function refusal(value: Record<string, unknown>): Promise<ApiError> {
  const result = await query(value);
  if (result.ok) throw new Error(`expected ${JSON.stringify(value)} to be refused`);
  return result.error;
}

describe('ListEventsQuery', () => {
  it('accepts every filter and passes them on as events.list takes them', async () => {
    const result = await query({
      limit: '5',
      starting_after: 'evt_5Rw8Hc2kQx9Lm4Tz1Vb8Np',
      type: 'payment.failed',
      'created[gte]': '2026-03-01T00:00:00Z',
      'created[lte]': '2026-03-31T23:59:59.999+02:00',
    });
    expect(result.ok).toBe(true);
    expect(result.ok && listEventsPayload(result.value)).toEqual({
      limit: 5,
      starting_after: 'evt_5Rw8Hc2kQx9Lm4Tz1Vb8Np',
      type: 'payment.failed',
      created: { gte: '2026-03-01T00:00:00Z', lte: '2026-03-31T23:59:59.999+02:00' },
    });
  });

  it('defaults to a page of 10 and no filter', async () => {
    const result = await query({});
    expect(result.ok && listEventsPayload(result.value)).toEqual({ limit: 10 });
  });

  it.each([
    [{ type: 'payment.refunded' }, 'type'],
    [{ type: '*' }, 'type'],
    [{ type: ['payment.created', 'payment.failed'] }, 'type'],
    [{ 'created[gte]': '2026-03-01' }, 'created[gte]'],
    [{ 'created[gte]': '1772323200' }, 'created[gte]'],
    [{ 'created[lte]': 'yesterday' }, 'created[lte]'],
    [{ 'created[lte]': '2026-03-01T00:00:00' }, 'created[lte]'],
    [{ starting_after: 'pay_3kTz9Qw2Lm8Xc4Vb7Np1Rs' }, 'starting_after'],
    [{ ending_before: 'not-an-id' }, 'ending_before'],
    [{ starting_after: 'evt_a', ending_before: 'evt_b' }, 'ending_before'],
    [{ limit: '0' }, 'limit'],
    [{ limit: '101' }, 'limit'],
    [{ 'created[gt]': '2026-03-01T00:00:00Z' }, 'created[gt]'],
  ])('refuses %j naming %s', async (q, param) => {
    const error = await refusal(q);
    expect(error.status).toBe(400);
    expect(error.body).toMatchObject({ type: 'invalid_request_error', param });
    expect(['parameter_invalid', 'parameter_unknown']).toContain(error.body.code);
  });

  it('names the public event types when refusing a type', async () => {
    const error = await refusal({ type: 'charge.succeeded' });
    expect(error.body.message).toContain('payment.succeeded');
    expect(error.body.message).toContain('customer.deleted');
  });
});
