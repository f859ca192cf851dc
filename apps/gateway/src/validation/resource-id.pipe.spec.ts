import { ApiError } from '../errors/api-error';
import { ResourceIdPipe } from './resource-id.pipe';

const refusal = (pipe: ResourceIdPipe, value: string): ApiError => {
  try {
    pipe.transform(value);
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error(`${value} was accepted`);
};

describe('ResourceIdPipe', () => {
  const payments = new ResourceIdPipe('payment');

  it('passes an id of the resource', () => {
    expect(payments.transform('pay_3kTz9Qw2Lm8Xc4Vb7Np1Rs')).toBe('pay_3kTz9Qw2Lm8Xc4Vb7Np1Rs');
  });

  it('answers any other value 404, without repeating it', () => {
    const error = refusal(payments, 'cust_1');
    expect(error.status).toBe(404);
    expect(error.body).toMatchObject({ code: 'resource_missing', param: 'id' });
    expect(error.body.message).toBe('No such payment.');
  });

  it('does not repeat a card number typed in place of an id', () => {
    const error = refusal(payments, '4242424242424242');
    expect(error.status).toBe(404);
    expect(error.body.message).toBe('No such payment.');
  });
});
