import { TEST_CARD_FAILURES, TEST_REFUND_FAILURES } from '@finfusion/testing';
import { AcquirerUnavailable } from './acquirer';
import { ANSWER_LOST_CARD, NEVER_RECEIVED, TestAcquirer } from './test-acquirer';

const acquirer = new TestAcquirer();
let payments = 0;
// A new payment per call unless named: the acquirer answers one reference once.
const authorize = (number: string, paymentId = `pay_${++payments}`) =>
  acquirer.authorize({
    paymentId,
    merchantId: 'mer_1',
    amount: { value: 1000, currency: 'USD' },
    card: { number, cvc: '123', expMonth: 12, expYear: 2030 },
  });

describe('TestAcquirer', () => {
  it.each(TEST_CARD_FAILURES)('fails %s with %s / %s', async (number, code, declineCode) => {
    const result = await authorize(number);
    expect(result.approved).toBe(false);
    if (result.approved) return;
    expect(result.failure.code).toBe(code);
    expect(result.failure.declineCode).toBe(declineCode);
    expect(result.failure.message.length).toBeGreaterThan(0);
    expect(result.failure.message).not.toMatch(/\d{4}/);
  });

  it.each(['4242424242424242', '5555555555554444', '378282246310005', '6011111111111117'])(
    'approves %s',
    async (number) => {
      expect(await authorize(number)).toMatchObject({ approved: true });
    },
  );

  it('gives one payment the same reference every time, and two payments different ones', async () => {
    const first = await authorize('4242424242424242', 'pay_a');
    expect(await authorize('4242424242424242', 'pay_a')).toEqual(first);
    expect(await authorize('4242424242424242', 'pay_b')).not.toEqual(first);
  });
});

describe('TestAcquirer answers one reference once', () => {
  const request = (number: string, paymentId: string) => ({
    paymentId,
    merchantId: 'mer_1',
    amount: { value: 1000, currency: 'USD' },
    card: { number, cvc: '123', expMonth: 12, expYear: 2030 },
  });

  it('loses its first answer for the answer-lost card, then repeats the approval it recorded', async () => {
    const acquirer = new TestAcquirer();
    await expect(acquirer.authorize(request(ANSWER_LOST_CARD, 'pay_lost'))).rejects.toThrow(
      AcquirerUnavailable,
    );
    const again = await acquirer.authorize(request(ANSWER_LOST_CARD, 'pay_lost'));
    expect(again).toMatchObject({ approved: true });
    expect(await acquirer.settle('pay_lost')).toEqual(again);
  });

  it('closes a reference it never received as failed, and refuses a late authorization with it', async () => {
    const acquirer = new TestAcquirer();
    const settled = await acquirer.settle('pay_never');
    expect(settled).toEqual({ approved: false, failure: NEVER_RECEIVED });
    expect(await acquirer.authorize(request('4242424242424242', 'pay_never'))).toEqual(settled);
  });

  it('repeats the first answer for a reference, whatever card comes later', async () => {
    const acquirer = new TestAcquirer();
    const first = await acquirer.authorize(request('4000000000000002', 'pay_once'));
    expect(await acquirer.authorize(request('4242424242424242', 'pay_once'))).toEqual(first);
  });
});

describe('TestAcquirer captures and voids', () => {
  it('captures an authorization once: a later capture or void gets that capture', async () => {
    const acquirer = new TestAcquirer();
    await authorizeWith(acquirer, '4242424242424242', 'pay_capture');
    expect(await acquirer.capture('pay_capture', 600)).toEqual({ kind: 'captured', amount: 600 });
    expect(await acquirer.capture('pay_capture', 1000)).toEqual({ kind: 'captured', amount: 600 });
    expect(await acquirer.void('pay_capture')).toEqual({ kind: 'captured', amount: 600 });
  });

  it('voids an authorization once: a later capture gets the void, and captures nothing', async () => {
    const acquirer = new TestAcquirer();
    await authorizeWith(acquirer, '4242424242424242', 'pay_void');
    expect(await acquirer.void('pay_void')).toEqual({ kind: 'voided' });
    expect(await acquirer.capture('pay_void', 1000)).toEqual({ kind: 'voided' });
    expect(await acquirer.void('pay_void')).toEqual({ kind: 'voided' });
  });

  it('lets exactly one of a capture and a void racing on one authorization win', async () => {
    const acquirer = new TestAcquirer();
    await authorizeWith(acquirer, '4242424242424242', 'pay_race');
    const answers = await Promise.all([
      acquirer.capture('pay_race', 1000),
      acquirer.void('pay_race'),
      acquirer.capture('pay_race', 400),
    ]);
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
  });
});

describe('TestAcquirer refunds', () => {
  const refund = (acquirer: TestAcquirer, paymentId: string, refundId: string) =>
    acquirer.refund({ paymentId, refundId, amount: { value: 300, currency: 'USD' } });

  it('refunds a payment of any other approved card, with a stable reference per refund', async () => {
    const acquirer = new TestAcquirer();
    await authorizeWith(acquirer, '4242424242424242', 'pay_refund');
    const first = await refund(acquirer, 'pay_refund', 're_1');
    expect(first).toEqual({
      succeeded: true,
      reference: expect.stringMatching(/^refund_test_/) as string,
    });
    expect(await refund(acquirer, 'pay_refund', 're_1')).toEqual(first);
    expect(await refund(acquirer, 'pay_refund', 're_2')).not.toEqual(first);
  });

  it.each(TEST_REFUND_FAILURES)(
    'approves %s, then fails each of its refunds with %s',
    async (number, code, message) => {
      const acquirer = new TestAcquirer();
      expect(await authorizeWith(acquirer, number, 'pay_no_refund')).toMatchObject({
        approved: true,
      });
      const failed = { succeeded: false, failure: { code, message } };
      expect(await refund(acquirer, 'pay_no_refund', 're_a')).toEqual(failed);
      expect(await refund(acquirer, 'pay_no_refund', 're_b')).toEqual(failed);
    },
  );

  it('keeps the answer a refund got, even if the card would fail it now', async () => {
    const acquirer = new TestAcquirer();
    await authorizeWith(acquirer, '4242424242424242', 'pay_kept');
    const answer = await refund(acquirer, 'pay_kept', 're_kept');
    // The same reference asked again for another payment: the acquirer repeats what it answered.
    await authorizeWith(acquirer, '4000000000005126', 'pay_other');
    expect(await refund(acquirer, 'pay_other', 're_kept')).toEqual(answer);
  });
});

const authorizeWith = (acquirer: TestAcquirer, number: string, paymentId: string) =>
  acquirer.authorize({
    paymentId,
    merchantId: 'mer_1',
    amount: { value: 1000, currency: 'USD' },
    card: { number, cvc: '123', expMonth: 12, expYear: 2030 },
  });
