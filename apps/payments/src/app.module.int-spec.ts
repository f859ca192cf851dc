import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { cardTransitKey, EventTopics, type Payment, type SuccessReply } from '@finfusion/contracts';
import { Readiness } from '@finfusion/runtime';
import { newMerchantId } from '@finfusion/testing';
import { AppModule } from './app.module';
import { CreatePaymentHandler } from './payments/create-payment/create-payment.handler';
import { DailyReportHandler } from './payments/projections/daily-summary/daily-report.handler';
import {
  eventually,
  openTestDatabase,
  requestMeta,
  type TestDatabase,
} from './testing/database.fixture';
import { provisionPaymentsTopics, TopicReader } from './testing/kafka.fixture';
import { createPayload, sealAsGateway } from './testing/payments.fixture';

// The whole module graph as main.ts builds it (without the Kafka request server), over a schema
// of its own: Nest's wiring, the relay, the daily summary and the customer consumer all start.

let db: TestDatabase;
let app: INestApplicationContext;
let reader: TopicReader;

beforeAll(async () => {
  db = await openTestDatabase({ LOG_LEVEL: 'warn' });
  await provisionPaymentsTopics();
  reader = await TopicReader.open(EventTopics.payments);
  app = await NestFactory.createApplicationContext(AppModule.forRoot(db.config, db.schema), {
    logger: ['error', 'warn'],
  });
});

afterAll(async () => {
  await reader.close();
  await db.drop();
});

describe('the payments application', () => {
  it('creates a payment, publishes it, summarises it, reports ready, and stops cleanly', async () => {
    const merchant = newMerchantId();
    const request = { meta: requestMeta(merchant), payload: createPayload() };
    const reply = await app.get(CreatePaymentHandler).handle({
      ...request,
      payload: sealAsGateway(request, cardTransitKey(db.config.CARD_TRANSIT_KEY)),
    });
    const payment = (reply as SuccessReply<Payment>).body;
    expect(payment.status).toBe('succeeded');

    await reader.waitFor((record) => record.key === payment.id, 2);

    const today = payment.created_at.slice(0, 10);
    await eventually(async () => {
      const report = await app
        .get(DailyReportHandler)
        .handle({ meta: requestMeta(merchant), payload: { from: today, to: today } });
      return report.ok && report.body.data.length === 1 ? true : undefined;
    });

    await eventually(async () => ((await app.get(Readiness).evaluate()).ready ? true : undefined));

    const started = Date.now();
    await app.close();
    expect(Date.now() - started).toBeLessThan(8000);
  });
});
