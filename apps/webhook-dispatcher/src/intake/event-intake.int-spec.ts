import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { PinoLogger } from 'nestjs-pino';
import { Webhook } from 'standardwebhooks';
import { dlqTopicOf, type PublicEventType } from '@finfusion/contracts';
import { provisionTopics } from '@finfusion/kafka';
import { Readiness } from '@finfusion/runtime';
import { newMerchantId, testEnv } from '@finfusion/testing';
import {
  eventOf,
  sleep,
  startReceiver,
  waitFor,
  webhooksTestBed,
  type Receiver,
  type TestDispatcher,
} from '../testing/webhooks.fixture';
import { EventIntakeService, IntakeSource } from './event-intake.service';

// The real intake path: records on a Kafka topic, through EventConsumer, to signed deliveries.
// The topic and consumer group are this file's own, so no other consumer of the broker interferes.
const topic = `test.webhooks-intake-${randomBytes(4).toString('hex')}.events`;
const kafka = new Kafka({
  brokers: testEnv.kafkaBrokers,
  clientId: 'webhooks-intake-test',
  logLevel: logLevel.NOTHING,
});

const bed = webhooksTestBed();
let made: TestDispatcher;
let intake: EventIntakeService;
let readiness: Readiness;
const receivers: Receiver[] = [];

beforeAll(async () => {
  await provisionTopics({ brokers: testEnv.kafkaBrokers }, [
    { topic, numPartitions: 3 },
    { topic: dlqTopicOf(topic), numPartitions: 1 },
  ]);
  bed.cleanup(async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic, dlqTopicOf(topic)] });
    await admin.disconnect();
  });
  bed.cleanup(async () => {
    for (const receiver of receivers) await receiver.close();
  });
  made = bed.dispatcher({ KAFKA_BROKERS: testEnv.kafkaBrokers.join(',') });
  readiness = new Readiness();
  intake = new EventIntakeService(
    made.config,
    readiness,
    new PinoLogger({ pinoHttp: { level: 'silent' } }),
    made.recorder,
    made.worker,
    new IntakeSource([topic], `webhooks-intake-test-${randomBytes(4).toString('hex')}`),
  );
  made.worker.start();
  await intake.onApplicationBootstrap();
  bed.cleanup(() => intake.onApplicationShutdown());
});

async function produce(records: { key: string; value: string }[]): Promise<void> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: records });
  } finally {
    await producer.disconnect();
  }
}

async function endpointWith(merchantId: string, events: (PublicEventType | '*')[]) {
  const receiver = await startReceiver();
  receivers.push(receiver);
  const endpoint = await made.endpoint(merchantId, receiver.url, events);
  return { receiver, endpoint };
}

describe('event intake from Kafka', () => {
  it('reports ready once its consumer has joined the group', async () => {
    await waitFor(async () => (await readiness.evaluate()).ready, 30_000, 'readiness');
  });

  it('delivers each event once per subscribed endpoint, however often Kafka redelivers it', async () => {
    const merchantId = newMerchantId();
    const all = await endpointWith(merchantId, ['*']);
    const succeeded = await endpointWith(merchantId, ['payment.succeeded']);
    const customers = await endpointWith(merchantId, ['customer.created']);
    const paid = eventOf(merchantId, 'payment.succeeded');
    const created = eventOf(merchantId, 'payment.created');
    const paidValue = JSON.stringify(paid);

    // The same record three times over, as a producer retry or a replay would publish it.
    await produce([
      { key: paid.data.object.id, value: paidValue },
      { key: created.data.object.id, value: JSON.stringify(created) },
      { key: paid.data.object.id, value: paidValue },
    ]);
    await produce([{ key: paid.data.object.id, value: paidValue }]);

    await waitFor(
      () => all.receiver.requests.length >= 2 && succeeded.receiver.requests.length >= 1,
      30_000,
      'the deliveries',
    );
    await sleep(500);

    expect(all.receiver.requests.map((request) => request.headers['webhook-id']).sort()).toEqual(
      [paid.id, created.id].sort(),
    );
    expect(succeeded.receiver.requests).toHaveLength(1);
    expect(customers.receiver.requests).toHaveLength(0);

    const [request] = succeeded.receiver.requests;
    expect(request?.body).toBe(paidValue);
    expect(new Webhook(succeeded.endpoint.secret).verify(request!.body, request!.headers)).toEqual(
      paid,
    );
    const rows = await bed.db.query('SELECT id FROM $schema.deliveries WHERE event_id = $1', [
      paid.id,
    ]);
    expect(rows).toHaveLength(2);
  });
});
