import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { firstValueFrom, of } from 'rxjs';
import type { ServiceReply } from '@finfusion/contracts';
import { MessageContextInterceptor } from './message-handling';

const contextFor = (data: unknown): ExecutionContext =>
  ({
    switchToRpc: () => ({
      getData: () => data,
      getContext: () => ({ getTopic: () => 'customers.create' }),
    }),
  }) as unknown as ExecutionContext;

const meta = { merchantId: 'mer_1', requestId: 'req_1', correlationId: 'req_1' };

async function handle(payload: unknown): Promise<{ reply: ServiceReply<unknown>; ran: boolean }> {
  let ran = false;
  const next: CallHandler = {
    handle: () => {
      ran = true;
      return of({ ok: true, status: 200, body: {} });
    },
  };
  const reply = await firstValueFrom(
    new MessageContextInterceptor().intercept(contextFor({ meta, payload }), next),
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
});
