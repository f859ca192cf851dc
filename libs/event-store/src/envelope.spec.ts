import { type CloudEvent, Kafka, type KafkaMessage } from 'cloudevents';
import { CloudEventHeaders, EventHeaders } from '@finfusion/contracts';
import { eventRecord, publicEventOf, recordedOccurrence } from './envelope';
import type { StoredEvent } from './event-store';

const stored = (metadata: StoredEvent['metadata']): StoredEvent => ({
  globalPosition: '7',
  transactionId: '900',
  streamId: 'cust_1',
  streamVersion: 3,
  eventId: 'evt_1abc',
  type: 'CustomerUpdated',
  schemaVersion: 4,
  data: {},
  metadata,
  recordedAt: new Date('2026-03-15T10:30:05.000Z'),
});

describe('publicEventOf', () => {
  it('takes the id and sequence from the log, the schema version from the public type, and the time the event happened', () => {
    const event = publicEventOf(stored({ merchantId: 'mer_1' }), {
      type: 'customer.updated',
      occurredAt: '2026-03-15T10:30:01.250Z',
      merchantId: 'mer_1',
      object: { id: 'cust_1' },
    });

    // The stored schema version (4) and the write time are the log's business, not the public's.
    expect(event).toEqual({
      id: 'evt_1abc',
      type: 'customer.updated',
      schema_version: 1,
      created_at: '2026-03-15T10:30:01.250Z',
      merchant_id: 'mer_1',
      data: { object: { id: 'cust_1' } },
      sequence: 3,
    });
    expect(Object.keys(event)).toEqual([
      'id',
      'type',
      'schema_version',
      'created_at',
      'merchant_id',
      'data',
      'sequence',
    ]);
  });
});

describe('recordedOccurrence', () => {
  it('is the time the metadata recorded, or the write time of an event appended before it did', () => {
    expect(
      recordedOccurrence(stored({ merchantId: 'mer_1', occurredAt: '2026-03-15T10:30:01.250Z' })),
    ).toBe('2026-03-15T10:30:01.250Z');
    expect(recordedOccurrence(stored({ merchantId: 'mer_1' }))).toBe('2026-03-15T10:30:05.000Z');
  });
});

const cloudEventHeaders = (record: { headers: Record<string, string> }) =>
  Object.fromEntries(
    Object.entries(record.headers).filter(([name]) =>
      (Object.values(CloudEventHeaders) as string[]).includes(name),
    ),
  );
const withoutCloudEvents = (record: { headers: Record<string, string> }) =>
  Object.fromEntries(
    Object.entries(record.headers).filter(
      ([name]) => !(Object.values(CloudEventHeaders) as string[]).includes(name),
    ),
  );

describe('eventRecord', () => {
  it('keys the record by stream and sets the routing headers', () => {
    const from = stored({ merchantId: 'mer_1', correlationId: 'cor_1', requestId: 'req_1' });
    const event = publicEventOf(from, {
      type: 'customer.updated',
      occurredAt: '2026-03-15T10:30:01.250Z',
      merchantId: 'mer_1',
      object: {},
    });
    const record = eventRecord(event, from);

    expect(record.key).toBe('cust_1');
    expect(JSON.parse(record.value)).toEqual(event);
    expect(withoutCloudEvents(record)).toEqual({
      [EventHeaders.type]: 'customer.updated',
      [EventHeaders.schemaVersion]: '1',
      [EventHeaders.merchantId]: 'mer_1',
      [EventHeaders.correlationId]: 'cor_1',
      [EventHeaders.requestId]: 'req_1',
    });
  });

  it('leaves out the correlation and request headers an event has no metadata for', () => {
    const from = stored({ merchantId: 'mer_1' });
    const event = publicEventOf(from, {
      type: 'customer.updated',
      occurredAt: from.recordedAt.toISOString(),
      merchantId: 'mer_1',
      object: {},
    });
    expect(Object.keys(withoutCloudEvents(eventRecord(event, from)))).toEqual([
      EventHeaders.type,
      EventHeaders.schemaVersion,
      EventHeaders.merchantId,
    ]);
  });

  it('is a CloudEvent in the Kafka binding binary mode, its data the envelope', () => {
    const from = stored({ merchantId: 'mer_1' });
    const event = publicEventOf(from, {
      type: 'customer.updated',
      occurredAt: '2026-03-15T10:30:01.250Z',
      merchantId: 'mer_1',
      object: { id: 'cust_1' },
    });
    const record = eventRecord(event, from);
    expect(cloudEventHeaders(record)).toEqual({
      ce_specversion: '1.0',
      ce_id: 'evt_1abc',
      ce_source: '/finfusion/customers',
      ce_type: 'customer.updated',
      ce_time: '2026-03-15T10:30:01.250Z',
      ce_subject: 'cust_1',
      ce_dataschema: 'https://api.finfusion.cloud/schemas/events/customer.updated.v1.json',
      ce_merchantid: 'mer_1',
      'content-type': 'application/json',
    });

    const message: KafkaMessage<string> = {
      key: record.key,
      value: record.value,
      headers: record.headers,
      body: record.value,
      timestamp: '1773570601250',
    };
    expect(Kafka.isEvent(message)).toBe(true);
    const received = Kafka.toEvent(message) as CloudEvent<unknown>;
    expect(received.validate()).toBe(true);
    expect(received).toMatchObject({
      specversion: '1.0',
      id: event.id,
      type: event.type,
      source: '/finfusion/customers',
      subject: 'cust_1',
      time: event.created_at,
      datacontenttype: 'application/json',
      dataschema: 'https://api.finfusion.cloud/schemas/events/customer.updated.v1.json',
      merchantid: 'mer_1',
      partitionkey: 'cust_1',
    });
    expect(received.data).toEqual(event);
  });
});
