import { ERASED_EMAIL } from '@finfusion/contracts';
import type { StoredEvent } from '@finfusion/event-store';
import { createCustomer } from '../domain/customer';
import { newDataKey, PersonalDataCipher } from './personal-data.cipher';
import { customerOfStored, sealedCustomerData } from './stored-customer-data';

const { event } = createCustomer(
  {
    id: 'cust_8Xq2',
    merchantId: 'mer_7Hd1',
    email: 'ada@example.com',
    name: 'Ada',
    metadata: { plan: 'pro' },
  },
  new Date('2026-03-15T10:30:00.123Z'),
);
const customer = event.data;

const stored = (schemaVersion: number, data: object): StoredEvent => ({
  globalPosition: '1',
  transactionId: '1',
  streamId: customer.id,
  streamVersion: 1,
  eventId: 'evt_1',
  type: 'CustomerCreated',
  schemaVersion,
  data: data as Record<string, unknown>,
  metadata: { merchantId: 'mer_7Hd1' },
  recordedAt: new Date(),
});

const erased = { ...customer, email: ERASED_EMAIL, name: null, metadata: {} };

describe('customerOfStored', () => {
  it('reads a sealed event (version 2) with the customer data key', () => {
    const cipher = new PersonalDataCipher(customer.id, newDataKey());
    const data = sealedCustomerData(customer, cipher);
    expect(JSON.stringify(data)).not.toMatch(/ada@example\.com|Ada|pro/);
    expect(customerOfStored(stored(2, data), { cipher, deleted: false })).toEqual(customer);
  });

  it('reads a sealed event as erased once the key is gone', () => {
    const cipher = new PersonalDataCipher(customer.id, newDataKey());
    const data = sealedCustomerData(customer, cipher);
    expect(customerOfStored(stored(2, data), { deleted: true })).toEqual(erased);
  });

  it('reads a plaintext event of before sealing (version 1) as stored while the customer lives', () => {
    expect(customerOfStored(stored(1, customer), { deleted: false })).toEqual(customer);
  });

  it('reads a plaintext event as erased once the customer is deleted', () => {
    expect(customerOfStored(stored(1, customer), { deleted: true })).toEqual(erased);
  });

  it('refuses a stored version it does not know', () => {
    expect(() => customerOfStored(stored(3, customer), { deleted: false })).toThrow(
      /CustomerCreated v3/,
    );
  });
});
