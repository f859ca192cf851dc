import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { firstValueFrom, of } from 'rxjs';
import type { ServiceReply } from '@finfusion/contracts';
import { MessageContextInterceptor, ReplyExceptionFilter } from './message-handling';

const contextFor = (data: unknown): ExecutionContext =>
  ({
    switchToRpc: () => ({
      getData: () => data,
      getContext: () => ({ getTopic: () => 'customers.create' }),
    }),
  }) as unknown as ExecutionContext;

const meta = { merchantId: 'mer_1', requestId: 'req_1', correlationId: 'req_1' };

async function handle(
  payload: unknown,
  requestMeta: Record<string, unknown> = meta,
): Promise<{ reply: ServiceReply<unknown>; ran: boolean }> {
  let ran = false;
  const next: CallHandler = {
    handle: () => {
      ran = true;
      return of({ ok: true, status: 200, body: {} });
    },
  };
  const reply = await firstValueFrom(
    new MessageContextInterceptor().intercept(contextFor({ meta: requestMeta, payload }), next),
  );
  return { reply: reply as ServiceReply<unknown>, ran };
}

describe('MessageContextInterceptor', () => {
  it('passes ordinary requests to the handler', async () => {
    const { reply, ran } = await handle({ email: 'a@example.com', metadata: { k: 'é ✓' } });
    expect(ran).toBe(true);
    expect(reply.ok).toBe(true);
  });

  it.each([
    ['a NUL character', { name: 'a\u0000b' }, 'name'],
    ['an unpaired surrogate in metadata', { metadata: { note: 'x\ud800' } }, 'metadata.note'],
  ])(
    'refuses %s with a 400 naming the field, without running the handler',
    async (_, payload, param) => {
      const { reply, ran } = await handle(payload);
      expect(ran).toBe(false);
      expect(reply).toEqual({
        ok: false,
        status: 400,
        error: expect.objectContaining({ type: 'invalid_request_error', param }) as unknown,
      });
    },
  );

  it.each([
    ['a customer name', { name: 'Jane 4242 4242 4242 4242' }, 'name'],
    ['a metadata value', { metadata: { note: '5555-5555-5555-4444' } }, 'metadata.note'],
    ['a metadata key', { metadata: { '4242424242424242': 'x' } }, 'metadata'],
  ])('refuses a card number in %s, naming the field only', async (_, payload, param) => {
    const { reply, ran } = await handle(payload);
    expect(ran).toBe(false);
    expect(reply).toMatchObject({ ok: false, status: 400, error: { param } });
    expect(JSON.stringify(reply)).not.toMatch(/4242|5555/);
  });

  it.each([
    ['idempotencyKey', 'Idempotency-Key'],
    ['correlationId', 'X-Correlation-Id'],
  ])('refuses a card number in the %s it carries', async (field, param) => {
    const { reply, ran } = await handle({}, { ...meta, [field]: 'k-4242424242424242' });
    expect(ran).toBe(false);
    expect(reply).toMatchObject({ ok: false, status: 400, error: { param } });
  });

  it('passes a sealed card and ordinary digits', async () => {
    const { ran } = await handle({
      payment_method: { card: { sealed: 'v1.AbC-123_xyz', exp_month: 12, exp_year: 2030 } },
      metadata: { order: '2026-03-15', phone: '+44 20 7946 0958' },
    });
    expect(ran).toBe(true);
  });
});

describe('ReplyExceptionFilter', () => {
  const replyTo = (exception: unknown) =>
    firstValueFrom(
      new ReplyExceptionFilter().catch(
        exception,
        {} as Parameters<ReplyExceptionFilter['catch']>[1],
      ),
    );

  it('answers a lost database connection with a retryable 503, not a 500', async () => {
    // As TypeORM wraps what node-postgres throws when the server resets the connection.
    const reset = Object.assign(new Error('read ECONNRESET'), {
      name: 'QueryFailedError',
      driverError: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
    });
    const shutdown = Object.assign(
      new Error('terminating connection due to administrator command'),
      {
        code: '57P01',
      },
    );
    for (const exception of [reset, shutdown]) {
      expect(await replyTo(exception)).toEqual({
        ok: false,
        status: 503,
        error: expect.objectContaining({
          type: 'api_error',
          code: 'service_unavailable',
        }) as object,
      });
    }
  });

  it('answers any other failure with a 500 that tells nothing of it', async () => {
    const reply = await replyTo(
      new TypeError("Cannot read properties of undefined (reading 'id')"),
    );
    expect(reply).toMatchObject({ ok: false, status: 500, error: { code: 'internal_error' } });
    expect(JSON.stringify(reply)).not.toContain('undefined');
  });
});
