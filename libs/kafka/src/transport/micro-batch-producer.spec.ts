import { CompressionTypes, type Producer, type ProducerBatch, type RecordMetadata } from 'kafkajs';
import { MicroBatchProducer, type MicroBatchOptions } from './micro-batch-producer';

/** Records every `sendBatch`; `respond` decides each request's outcome. */
class FakeProducer {
  readonly requests: ProducerBatch[] = [];
  respond: (request: ProducerBatch) => Promise<RecordMetadata[]> = () => Promise.resolve([]);

  sendBatch(request: ProducerBatch): Promise<RecordMetadata[]> {
    this.requests.push(request);
    return this.respond(request);
  }

  /** Each request's record values, as `topic:value`. */
  sent(): string[][] {
    return this.requests.map(recordsOf);
  }

  asProducer(): Producer {
    return this as unknown as Producer;
  }
}

const recordsOf = (request: ProducerBatch): string[] =>
  (request.topicMessages ?? []).flatMap(({ topic, messages }) =>
    messages.map((message) => `${topic}:${String(message.value)}`),
  );

const options = (overrides: Partial<MicroBatchOptions> = {}): MicroBatchOptions => ({
  lingerMs: 0,
  acks: 1,
  maxBatchBytes: 1_000,
  compressFromBytes: 10_000,
  ...overrides,
});

/** Lets every callback already queued run, so a promise that could settle has settled. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** What kafkajs throws when the broker refuses a record: the protocol error as the cause. */
function brokerRefusal(type: string): Error {
  const refusal = Object.assign(new Error(`The broker refused the record (${type})`), {
    name: 'KafkaJSProtocolError',
    type,
    retriable: false,
  });
  return Object.assign(new Error(refusal.message, { cause: refusal }), {
    name: 'KafkaJSNonRetriableError',
    retriable: false,
  });
}

describe('MicroBatchProducer', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('sends the records queued in the same tick in one request', async () => {
    const producer = new FakeProducer();
    const batching = new MicroBatchProducer(producer.asProducer(), options());

    await Promise.all([
      batching.send('a.reply', { value: '1', partition: 0 }),
      batching.send('b.reply', { value: '2' }),
      batching.send('a.reply', { value: '3', partition: 2 }),
    ]);

    expect(producer.requests).toEqual([
      {
        acks: 1,
        compression: CompressionTypes.None,
        topicMessages: [
          {
            topic: 'a.reply',
            messages: [
              { value: '1', partition: 0 },
              { value: '3', partition: 2 },
            ],
          },
          { topic: 'b.reply', messages: [{ value: '2' }] },
        ],
      },
    ]);
  });

  it('sends records queued in later ticks in requests of their own when there is no linger', async () => {
    const producer = new FakeProducer();
    const batching = new MicroBatchProducer(producer.asProducer(), options());

    await batching.send('t', { value: 'first' });
    await batching.send('t', { value: 'second' });

    expect(producer.sent()).toEqual([['t:first'], ['t:second']]);
  });

  it('holds a record for the linger so that records queued meanwhile share its request', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask'] });
    const producer = new FakeProducer();
    const batching = new MicroBatchProducer(producer.asProducer(), options({ lingerMs: 20 }));

    const first = batching.send('t', { value: 'first' });
    jest.advanceTimersByTime(10);
    const second = batching.send('t', { value: 'second' });
    expect(producer.requests).toHaveLength(0);

    jest.advanceTimersByTime(10);
    expect(producer.sent()).toEqual([['t:first', 't:second']]);
    await Promise.all([first, second]);

    const third = batching.send('t', { value: 'third' });
    jest.advanceTimersByTime(20);
    await third;
    expect(producer.sent()).toEqual([['t:first', 't:second'], ['t:third']]);
  });

  it('splits what is queued into requests of at most maxBatchBytes of values', async () => {
    const producer = new FakeProducer();
    const batching = new MicroBatchProducer(producer.asProducer(), options({ maxBatchBytes: 100 }));
    const values = ['a', 'b', 'c', 'd', 'e'].map((letter) => letter.repeat(40));

    await Promise.all(values.map((value) => batching.send('t', { value })));

    expect(producer.sent().map((records) => records.length)).toEqual([2, 2, 1]);
    expect(producer.sent().flat()).toEqual(values.map((value) => `t:${value}`));
  });

  it('sends a record larger than maxBatchBytes in a request of its own', async () => {
    const producer = new FakeProducer();
    const batching = new MicroBatchProducer(producer.asProducer(), options({ maxBatchBytes: 100 }));
    const large = 'L'.repeat(150);

    await Promise.all([
      batching.send('t', { value: 'small' }),
      batching.send('t', { value: Buffer.from(large) }),
      batching.send('t', { value: 'tiny' }),
    ]);

    expect(producer.sent()).toEqual([['t:small'], [`t:${large}`], ['t:tiny']]);
    expect(producer.requests.map((request) => request.compression)).toEqual([
      CompressionTypes.None,
      CompressionTypes.None,
      CompressionTypes.None,
    ]);
  });

  it('sends records of compressFromBytes or more gzip-compressed, each in a request of its own', async () => {
    const producer = new FakeProducer();
    const batching = new MicroBatchProducer(
      producer.asProducer(),
      options({ compressFromBytes: 500 }),
    );
    const large = 'x'.repeat(500);
    const larger = 'y'.repeat(800);

    await Promise.all([
      batching.send('t', { value: 'small' }),
      batching.send('t', { value: large }),
      batching.send('t', { value: 'tiny' }),
      batching.send('t', { value: larger }),
    ]);

    const byCompression = producer.requests.map((request) => ({
      compression: request.compression,
      records: recordsOf(request),
    }));
    expect(byCompression).toEqual([
      { compression: CompressionTypes.None, records: ['t:small', 't:tiny'] },
      { compression: CompressionTypes.GZIP, records: [`t:${large}`] },
      { compression: CompressionTypes.GZIP, records: [`t:${larger}`] },
    ]);
  });

  it.each(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'INVALID_RECORD'])(
    'when the broker refuses one record (%s), sends the others again without it and rejects only that record',
    async (type) => {
      const producer = new FakeProducer();
      const refusal = brokerRefusal(type);
      producer.respond = (request) =>
        recordsOf(request).includes('t:refused') ? Promise.reject(refusal) : Promise.resolve([]);
      const batching = new MicroBatchProducer(producer.asProducer(), options());

      const outcomes = await Promise.allSettled([
        batching.send('t', { value: 'before' }),
        batching.send('t', { value: 'refused' }),
        batching.send('t', { value: 'after' }),
      ]);

      expect(outcomes).toEqual([
        { status: 'fulfilled', value: undefined },
        { status: 'rejected', reason: refusal },
        { status: 'fulfilled', value: undefined },
      ]);
      const [first, ...again] = producer.sent();
      expect(first).toEqual(['t:before', 't:refused', 't:after']);
      const delivered = again.filter((records) => !records.includes('t:refused')).flat();
      expect(delivered.sort()).toEqual(['t:after', 't:before']);
    },
  );

  it('rejects every record of a request that failed for a transient reason, without resending', async () => {
    const producer = new FakeProducer();
    const unavailable = Object.assign(
      new Error('There is no leader for this topic-partition', {
        cause: Object.assign(new Error('no leader'), { type: 'LEADER_NOT_AVAILABLE' }),
      }),
      { name: 'KafkaJSNumberOfRetriesExceeded' },
    );
    producer.respond = () => Promise.reject(unavailable);
    const batching = new MicroBatchProducer(producer.asProducer(), options());

    const outcomes = await Promise.allSettled([
      batching.send('t', { value: 'one' }),
      batching.send('t', { value: 'two' }),
    ]);

    expect(outcomes).toEqual([
      { status: 'rejected', reason: unavailable },
      { status: 'rejected', reason: unavailable },
    ]);
    expect(producer.requests).toHaveLength(1);
  });

  it('drains by waiting for the requests still being sent', async () => {
    const producer = new FakeProducer();
    const acknowledgements: (() => void)[] = [];
    producer.respond = () =>
      new Promise((resolve) => {
        acknowledgements.push(() => {
          resolve([]);
        });
      });
    const batching = new MicroBatchProducer(producer.asProducer(), options());
    let sent = false;
    void batching.send('t', { value: 'one' }).then(() => (sent = true));
    let drained = false;
    const draining = batching.drain().then(() => (drained = true));

    await settle();
    expect(producer.sent()).toEqual([['t:one']]);
    expect(drained).toBe(false);

    for (const acknowledge of acknowledgements) acknowledge();
    await draining;
    expect(sent).toBe(true);
  });

  it('drains by sending at once what is still lingering', async () => {
    const producer = new FakeProducer();
    const batching = new MicroBatchProducer(
      producer.asProducer(),
      options({ lingerMs: 3_600_000 }),
    );
    const sending = batching.send('t', { value: 'lingering' });

    await batching.drain();

    expect(producer.sent()).toEqual([['t:lingering']]);
    await expect(sending).resolves.toBeUndefined();
  });

  it('drains a request whose refused record made it resend the others', async () => {
    const producer = new FakeProducer();
    const refusal = brokerRefusal('MESSAGE_TOO_LARGE');
    const acknowledgements: (() => void)[] = [];
    producer.respond = (request) =>
      recordsOf(request).includes('t:refused')
        ? Promise.reject(refusal)
        : new Promise((resolve) => {
            acknowledgements.push(() => {
              resolve([]);
            });
          });
    const batching = new MicroBatchProducer(producer.asProducer(), options());
    const outcomes = Promise.allSettled([
      batching.send('t', { value: 'kept' }),
      batching.send('t', { value: 'refused' }),
    ]);
    let drained = false;
    const draining = batching.drain().then(() => (drained = true));

    await settle();
    expect(acknowledgements).toHaveLength(1);
    expect(drained).toBe(false);

    for (const acknowledge of acknowledgements) acknowledge();
    await draining;
    expect((await outcomes).map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected']);
  });
});
