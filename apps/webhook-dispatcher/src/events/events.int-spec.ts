import type {
  EventList,
  PublicEvent,
  PublicEventType,
  ServiceReply,
  SuccessReply,
} from '@finfusion/contracts';
import { newMerchantId, requestOf } from '@finfusion/testing';
import { ReceivedEventCreatedAt1765300000000 } from '../migrations/1765300000000-received-event-created-at';
import {
  eventOf,
  recordOf,
  webhooksTestBed,
  type TestDispatcher,
} from '../testing/webhooks.fixture';

const bed = webhooksTestBed();
let made: TestDispatcher;
const merchant = newMerchantId();
/** The merchant's events by when they happened: index 0 is the oldest. */
const happened: { event: PublicEvent; body: string }[] = [];
const types: PublicEventType[] = [
  'customer.created',
  'payment.created',
  'payment.succeeded',
  'payment.created',
  'payment.failed',
  'customer.updated',
  'payment.created',
];

const eventAt = (merchantId: string, type: PublicEventType, createdAt: string): PublicEvent => ({
  ...eventOf(merchantId, type),
  created_at: createdAt,
});

beforeAll(async () => {
  made = bed.dispatcher();
  for (const [i, type] of types.entries()) {
    const event = eventAt(merchant, type, new Date(Date.UTC(2026, 2, 10 + i, 12)).toISOString());
    happened.push({ event, body: recordOf(event).value ?? '' });
  }
  // Taken in out of order (a replay, a lagging partition): the list follows when they happened.
  const intakeOrder = [3, 0, 6, 1, 5, 2, 4];
  await made.recorder.recordBatch(intakeOrder.slice(0, 3).map((i) => recordOf(happened[i]!.event)));
  for (const i of intakeOrder.slice(3)) await made.recorder.record(recordOf(happened[i]!.event));
  // Another merchant's event, as new as any: never listed for this merchant.
  await made.recorder.record(
    recordOf(eventAt(newMerchantId(), 'payment.created', '2026-03-20T00:00:00Z')),
  );
});

const listOf = (
  merchantId: string,
  payload: Record<string, unknown>,
): Promise<ServiceReply<EventList>> =>
  made.listEvents.handle(requestOf(merchantId, payload as never));

const list = async (payload: Record<string, unknown>): Promise<EventList> => {
  const reply = await listOf(merchant, payload);
  expect(reply).toMatchObject({ ok: true, status: 200 });
  return (reply as SuccessReply<EventList>).body;
};

const ids = (page: EventList) => page.data.map((event) => event.id);
const newestFirst = () => happened.map(({ event }) => event.id).reverse();

describe('events.list', () => {
  it("lists the merchant's events newest first by when they happened, and only theirs", async () => {
    const page = await list({ limit: 100 });
    expect(ids(page)).toEqual(newestFirst());
    expect(page).toMatchObject({ object: 'list', has_more: false });
  });

  it('answers each event as the envelope its webhooks carried, the same JSON', async () => {
    const page = await list({ limit: 100 });
    expect(page.data.map((event) => JSON.stringify(event))).toEqual(
      [...happened].reverse().map(({ body }) => body),
    );
  });

  it('pages forward with starting_after and back with ending_before', async () => {
    const first = await list({ limit: 3 });
    expect(ids(first)).toEqual(newestFirst().slice(0, 3));
    expect(first.has_more).toBe(true);
    const second = await list({ limit: 3, starting_after: ids(first).at(-1) });
    expect(ids(second)).toEqual(newestFirst().slice(3, 6));
    expect(second.has_more).toBe(true);
    const last = await list({ limit: 3, starting_after: ids(second).at(-1) });
    expect(ids(last)).toEqual(newestFirst().slice(6));
    expect(last.has_more).toBe(false);
    const back = await list({ limit: 3, ending_before: ids(last)[0] });
    expect(ids(back)).toEqual(ids(second));
    expect(back.has_more).toBe(true);
  });

  it('orders events that happened at the same instant by id, without losing one between pages', async () => {
    const other = newMerchantId();
    const at = '2026-04-01T00:00:00.000Z';
    const twins = Array.from({ length: 5 }, () => eventAt(other, 'payment.created', at));
    await made.recorder.recordBatch(twins.map((event) => recordOf(event)));
    const expected = twins
      .map((event) => event.id)
      .sort()
      .reverse();
    const seen: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const reply = await listOf(other, { limit: 2, ...(cursor && { starting_after: cursor }) });
      const page = (reply as SuccessReply<EventList>).body;
      seen.push(...ids(page));
      if (!page.has_more) break;
      cursor = ids(page).at(-1);
    }
    expect(seen).toEqual(expected);
  });

  it('filters by type', async () => {
    const page = await list({ limit: 100, type: 'payment.created' });
    expect(ids(page)).toEqual(
      newestFirst().filter(
        (id) => happened.find(({ event }) => event.id === id)?.event.type === 'payment.created',
      ),
    );
    expect(page.data).toHaveLength(3);
    expect((await list({ limit: 100, type: 'customer.deleted' })).data).toEqual([]);
  });

  it("filters by an inclusive range of the events' own created_at", async () => {
    const gte = happened[2]!.event.created_at;
    const lte = happened[4]!.event.created_at;
    const page = await list({ limit: 100, created: { gte, lte } });
    expect(ids(page)).toEqual([4, 3, 2].map((i) => happened[i]!.event.id));
    expect(ids(await list({ limit: 100, created: { gte: '2026-03-16T00:00:00Z' } }))).toEqual([
      happened[6]!.event.id,
    ]);
    expect(ids(await list({ limit: 100, created: { lte: '2026-03-10T12:00:00+00:00' } }))).toEqual([
      happened[0]!.event.id,
    ]);
    const both = await list({ limit: 100, type: 'payment.created', created: { lte: lte } });
    expect(ids(both)).toEqual([3, 1].map((i) => happened[i]!.event.id));
  });

  it("answers 400 naming the cursor for one that is not among the merchant's listed events", async () => {
    const foreign = eventAt(newMerchantId(), 'payment.created', '2026-03-12T00:00:00Z');
    await made.recorder.record(recordOf(foreign));
    expect(await listOf(merchant, { starting_after: foreign.id })).toMatchObject({
      ok: false,
      status: 400,
      error: { code: 'resource_missing', param: 'starting_after' },
    });
    expect(await listOf(merchant, { ending_before: 'evt_unknown' })).toMatchObject({
      status: 400,
      error: { param: 'ending_before' },
    });
  });

  it('answers 400 naming the parameter for a bad filter', async () => {
    for (const [payload, param] of [
      [{ type: 'payment.refunded' }, 'type'],
      [{ created: { gte: 'yesterday' } }, 'created.gte'],
      [{ created: { lte: '2026-03-10' } }, 'created.lte'],
      [{ limit: 101 }, 'limit'],
      [{ starting_after: 'whk_1' }, 'starting_after'],
    ] as const) {
      expect(await listOf(merchant, payload)).toMatchObject({
        ok: false,
        status: 400,
        error: { type: 'invalid_request_error', param },
      });
    }
    expect(await made.listEvents.handle(requestOf(merchant, 'nope' as never))).toMatchObject({
      status: 400,
      error: { param: 'body' },
    });
  });
});

describe('events.get', () => {
  it('answers one of the merchant’s events as its webhooks carried it', async () => {
    const { event, body } = happened[2]!;
    const reply = await made.getEvent.handle(requestOf(merchant, { id: event.id }));
    expect(reply).toMatchObject({ ok: true, status: 200 });
    expect(JSON.stringify((reply as SuccessReply<PublicEvent>).body)).toBe(body);
  });

  it("answers 404 for another merchant's event, as for an unknown or malformed id", async () => {
    const { event } = happened[0]!;
    const missing = {
      ok: false,
      status: 404,
      error: { type: 'invalid_request_error', code: 'resource_missing', param: 'id' },
    };
    expect(await made.getEvent.handle(requestOf(newMerchantId(), { id: event.id }))).toEqual({
      ...missing,
      error: { ...missing.error, message: 'No such event.' },
    });
    expect(await made.getEvent.handle(requestOf(merchant, { id: 'evt_unknown' }))).toMatchObject(
      missing,
    );
    expect(await made.getEvent.handle(requestOf(merchant, { id: 'pay_123' }))).toMatchObject(
      missing,
    );
    expect(await made.getEvent.handle(requestOf(merchant, { id: 42 } as never))).toMatchObject(
      missing,
    );
  });
});

describe('the created_at column', () => {
  it("keeps the envelope's created_at, not the intake time", async () => {
    const [row] = await bed.db.query<{ created_at: Date; received_at: Date }>(
      'SELECT created_at, received_at FROM $schema.received_events WHERE event_id = $1',
      [happened[0]!.event.id],
    );
    expect(row?.created_at.toISOString()).toBe(happened[0]!.event.created_at);
    expect(row!.received_at.getTime()).toBeGreaterThan(row!.created_at.getTime());
  });

  it('takes the intake time for an envelope without a readable created_at', async () => {
    const event = eventAt(merchant, 'payment.created', 'not a time');
    await made.recorder.record(recordOf(event));
    const [row] = await bed.db.query<{ same: boolean }>(
      'SELECT created_at = received_at AS same FROM $schema.received_events WHERE event_id = $1',
      [event.id],
    );
    expect(row).toEqual({ same: true });
    await bed.db.query('DELETE FROM $schema.received_events WHERE event_id = $1', [event.id]);
  });

  // Last in this file: it takes the column away and back.
  it('is filled from the envelopes of events taken in before it existed', async () => {
    const migration = new ReceivedEventCreatedAt1765300000000();
    const runner = bed.db.dataSource.createQueryRunner();
    try {
      await migration.down(runner);
      const before = eventAt(merchant, 'customer.deleted', '2026-01-02T03:04:05.678Z');
      const unreadable = eventAt(merchant, 'customer.deleted', '02/01/2026');
      for (const event of [before, unreadable]) {
        await bed.db.query(
          `INSERT INTO $schema.received_events (event_id, topic, event_type, merchant_id, envelope, body)
           VALUES ($1, 'customers.customer.events', $2, $3, $4::jsonb, $4)`,
          [event.id, event.type, event.merchant_id, JSON.stringify(event)],
        );
      }
      await migration.up(runner);
      const rows = await bed.db.query<{ event_id: string; created_at: Date; received_at: Date }>(
        `SELECT event_id, created_at, received_at FROM $schema.received_events
         WHERE event_id = ANY($1)`,
        [[before.id, unreadable.id, happened[0]!.event.id]],
      );
      const byId = new Map(rows.map((row) => [row.event_id, row]));
      expect(byId.get(before.id)?.created_at.toISOString()).toBe(before.created_at);
      expect(byId.get(unreadable.id)?.created_at).toEqual(byId.get(unreadable.id)?.received_at);
      expect(byId.get(happened[0]!.event.id)?.created_at.toISOString()).toBe(
        happened[0]!.event.created_at,
      );
      expect(ids(await list({ limit: 1, created: { lte: '2026-01-31T00:00:00Z' } }))).toEqual([
        before.id,
      ]);
    } finally {
      await runner.release();
    }
  });
});
