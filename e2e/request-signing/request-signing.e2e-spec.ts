import { randomBytes, randomUUID } from 'node:crypto';
import { KafkaHeaders } from '@nestjs/microservices';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { parseKeyRing } from '@finfusion/config';
import {
  REPLY_TOPIC,
  RequestTopics,
  type ServiceReply,
  type WebhookEndpointList,
  type WebhookEndpointWithSecret,
} from '@finfusion/contracts';
import { RequestSigner, type SigningKey } from '@finfusion/kafka';
import {
  adminUrl,
  api,
  createMerchant,
  requestOf,
  serviceLogs,
  testEnv,
  TEST_REQUEST_SIGNING_KEYS,
  waitUntil,
  type ApiClient,
  type TestMerchant,
} from '@finfusion/testing';

// Any client of the brokers can put a request on a request topic. The services act only on
// requests signed with the key they share with the gateway: here a client that is not the
// gateway sends `webhooks.create` and `webhooks.get` claiming a merchant, unsigned, forged, or
// with a signature taken from another request, and the dispatcher refuses each before its
// handler, while the gateway's own requests and a genuine signature go through.

const kafka = new Kafka({
  clientId: 'e2e-request-signing',
  brokers: testEnv.kafkaBrokers,
  logLevel: logLevel.NOTHING,
});
let producer: Producer;
let replyReader: Consumer;
/** Replies on the gateway's reply topic, by correlation id. */
const replies = new Map<string, ServiceReply<unknown>>();

let merchant: TestMerchant;
let client: ApiClient;
const [signingKey, rotatedOutKey] = parseKeyRing(TEST_REQUEST_SIGNING_KEYS) as [
  SigningKey,
  SigningKey,
];

beforeAll(async () => {
  merchant = await createMerchant();
  client = api(merchant.apiKey);
  producer = kafka.producer();
  replyReader = kafka.consumer({ groupId: `e2e-signing-${randomUUID()}`, maxWaitTimeInMs: 100 });
  await Promise.all([producer.connect(), replyReader.connect()]);
  await replyReader.subscribe({ topic: REPLY_TOPIC });
  const fetched = new Promise<void>((resolve) => {
    const stop = replyReader.on(replyReader.events.FETCH, () => {
      stop();
      resolve();
    });
  });
  await replyReader.run({
    eachMessage: ({ message }) => {
      const id = message.headers?.[KafkaHeaders.CORRELATION_ID]?.toString();
      if (id !== undefined && message.value !== null) {
        replies.set(id, JSON.parse(message.value.toString()) as ServiceReply<unknown>);
      }
      return Promise.resolve();
    },
  });
  // A new group starts at the end of each partition: read once before anything is sent.
  await fetched;
});

afterAll(async () => {
  await Promise.all([producer.disconnect(), replyReader.disconnect()]);
});

type Signing = 'unsigned' | { signer: RequestSigner; signedValue?: unknown; signedTopic?: string };

/**
 * Puts a request on `topic` as any client of the brokers could, its reply routed to the gateway's
 * reply topic; `signedValue` and `signedTopic` sign another value or topic than those it is
 * sent with, as a captured signature reused would. Resolves to the reply.
 */
async function sendRaw(
  topic: string,
  value: unknown,
  signing: Signing,
): Promise<ServiceReply<unknown>> {
  const correlationId = randomUUID();
  const route = {
    [KafkaHeaders.CORRELATION_ID]: correlationId,
    [KafkaHeaders.REPLY_TOPIC]: REPLY_TOPIC,
    [KafkaHeaders.REPLY_PARTITION]: '0',
  };
  const headers =
    signing === 'unsigned'
      ? route
      : {
          ...route,
          ...signing.signer.sign(
            signing.signedTopic ?? topic,
            route,
            Buffer.from(JSON.stringify(signing.signedValue ?? value)),
          ),
        };
  await producer.send({
    topic,
    messages: [{ key: merchant.merchantId, value: JSON.stringify(value), headers }],
  });
  const reply = await waitUntil(() => replies.get(correlationId), 20_000);
  if (reply === undefined) throw new Error(`no reply to ${topic}`);
  return reply;
}

const createEndpoint = (merchantId: string, url: string) =>
  requestOf(merchantId, { url, events: ['*'] });

const endpointUrls = async (): Promise<string[]> => {
  const response = await client.get('/v2/webhooks?limit=100');
  expect(response.status).toBe(200);
  return (response.body as WebhookEndpointList).data.map((endpoint) => endpoint.url);
};

const refused = {
  ok: false,
  status: 500,
  error: expect.objectContaining({ type: 'api_error', code: 'internal_error' }) as unknown,
};

const refusals = async (topic: string, reason: string): Promise<number> => {
  const metrics = await (await fetch(`${adminUrl('webhook-dispatcher')}/metrics`)).text();
  const series = `kafka_requests_refused_total{topic="${topic}",reason="${reason}"} `;
  const line = metrics.split('\n').find((candidate) => candidate.startsWith(series));
  return line === undefined ? 0 : Number(line.slice(series.length));
};

describe('requests between the apps', () => {
  it('are refused unsigned, before any handler: nothing is written, the sender gets an error', async () => {
    const before = await refusals(RequestTopics.webhooks.create, 'unsigned');
    const url = `http://127.0.0.1:9/unsigned-${randomUUID()}`;

    const reply = await sendRaw(
      RequestTopics.webhooks.create,
      createEndpoint(merchant.merchantId, url),
      'unsigned',
    );

    expect(reply).toEqual(refused);
    expect(await endpointUrls()).not.toContain(url);
    expect(await refusals(RequestTopics.webhooks.create, 'unsigned')).toBe(before + 1);
  });

  it('are refused with a forged signature, and the refusal is logged without the signature', async () => {
    const forger = new RequestSigner([{ id: signingKey.id, key: randomBytes(32) }], 60_000);
    const url = `http://127.0.0.1:9/forged-${randomUUID()}`;
    const value = createEndpoint(merchant.merchantId, url);

    const reply = await sendRaw(RequestTopics.webhooks.create, value, { signer: forger });

    expect(reply).toEqual(refused);
    expect(await endpointUrls()).not.toContain(url);
    const logs = serviceLogs('webhook-dispatcher');
    expect(logs).toContain('"reason":"bad_signature"');
    expect(logs).not.toContain(url);
  });

  it('are refused with a genuine signature taken from another merchant’s request', async () => {
    const genuine = new RequestSigner([signingKey], 60_000);
    const url = `http://127.0.0.1:9/replayed-${randomUUID()}`;
    const own = createEndpoint('mer_attacker', url);
    const claimed = { ...own, meta: { ...own.meta, merchantId: merchant.merchantId } };

    const reply = await sendRaw(RequestTopics.webhooks.create, claimed, {
      signer: genuine,
      signedValue: own,
    });

    expect(reply).toEqual(refused);
    expect(await endpointUrls()).not.toContain(url);
  });

  it('are refused on another topic than the one signed for: a read’s signature deletes nothing', async () => {
    const created = await client.post('/v2/webhooks', {
      url: `http://127.0.0.1:9/read-${randomUUID()}`,
      events: ['*'],
    });
    expect(created.status).toBe(200);
    const { id } = created.body as WebhookEndpointWithSecret;
    const value = requestOf(merchant.merchantId, { id });
    const genuine = new RequestSigner([signingKey], 60_000);

    const unsignedRead = await sendRaw(RequestTopics.webhooks.get, value, 'unsigned');
    const movedToDelete = await sendRaw(RequestTopics.webhooks.delete, value, {
      signer: genuine,
      signedTopic: RequestTopics.webhooks.get,
    });

    expect([unsignedRead, movedToDelete]).toEqual([refused, refused]);
    expect(JSON.stringify(unsignedRead)).not.toContain(id);
    expect((await client.get(`/v2/webhooks/${id}`)).status).toBe(200);
  });

  it('are handled when signed with the key that signs, or one a rotation kept, and from the gateway', async () => {
    const url = `http://127.0.0.1:9/signed-${randomUUID()}`;
    const rotated = new RequestSigner([rotatedOutKey], 60_000);

    const reply = await sendRaw(
      RequestTopics.webhooks.create,
      createEndpoint(merchant.merchantId, url),
      { signer: rotated },
    );
    const viaGateway = await client.post('/v2/webhooks', {
      url: `${url}-gateway`,
      events: ['*'],
    });

    expect(reply).toMatchObject({ ok: true, body: { url } });
    expect(viaGateway.status).toBe(200);
    expect(await endpointUrls()).toEqual(expect.arrayContaining([url, `${url}-gateway`]));
  });
});
