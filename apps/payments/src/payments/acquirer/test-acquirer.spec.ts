import { TEST_CARD_FAILURES } from '@finfusion/testing';
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
