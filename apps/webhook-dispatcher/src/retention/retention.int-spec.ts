import { newMerchantId } from '@finfusion/testing';
import { eventOf, recordOf, waitFor, webhooksTestBed } from '../testing/webhooks.fixture';
import { RetentionRepository } from './retention.repository';

const DAY_MS = 24 * 3600 * 1000;

const bed = webhooksTestBed();

const daysAgo = (days: number): Date => new Date(Date.now() - days * DAY_MS);
const count = async (sql: string, params: unknown[] = []): Promise<number> => {
  const [row] = await bed.db.query<{ count: number }>(
    `SELECT count(*)::integer AS count FROM ${sql}`,
    params,
  );
  return row?.count ?? 0;
};

describe('the retention sweep', () => {
  it('removes old finished deliveries, their attempts and old events in batches, and keeps the rest', async () => {
    const made = bed.dispatcher({
      WEBHOOK_DELIVERY_RETENTION_DAYS: '30',
      WEBHOOK_RECEIVED_EVENTS_RETENTION_DAYS: '20',
      WEBHOOK_SWEEP_BATCH_SIZE: '2',
    });
    const inbox = await bed.receiver();
    const merchantId = newMerchantId();
    await made.endpoint(merchantId, inbox.url);
    const old = [];
    const recent = [];
    for (let i = 0; i < 5; i++) old.push(eventOf(merchantId));
    for (let i = 0; i < 2; i++) recent.push(eventOf(merchantId));
    const stillPending = eventOf(merchantId);
    for (const event of [...old, ...recent, stillPending]) {
      await made.recorder.record(recordOf(event));
    }
    // Events of a merchant without endpoints: recorded, with no delivery.
    const unsubscribed = newMerchantId();
    const oldUndelivered = eventOf(unsubscribed);
    const youngUndelivered = eventOf(unsubscribed);
    await made.recorder.record(recordOf(oldUndelivered));
    await made.recorder.record(recordOf(youngUndelivered));
    // One delivery keeps retrying far in the future: it must stay, and its event with it.
    await bed.db.query(
      `UPDATE $schema.deliveries SET next_attempt_at = now() + interval '1 day' WHERE event_id = $1`,
      [stillPending.id],
    );

    made.worker.start();
    await waitFor(() => inbox.requests.length === 7, 10_000, 'the deliveries');
    await waitFor(
      async () => (await count(`$schema.deliveries WHERE status = 'succeeded'`)) === 7,
      10_000,
      'every delivery recorded',
    );
    await made.worker.stop(0);

    const oldIds = [...old, stillPending].map((event) => event.id);
    await bed.db.query(
      `UPDATE $schema.deliveries SET updated_at = $2, created_at = $2 WHERE event_id = ANY($1)`,
      [oldIds, daysAgo(31)],
    );
    await bed.db.query(
      `UPDATE $schema.received_events SET received_at = $2 WHERE event_id = ANY($1)`,
      [[...oldIds, oldUndelivered.id], daysAgo(31)],
    );
    // Received 25 days ago: older than the events' 20 days, but its delivery (of 25 days) stays.
    await bed.db.query(`UPDATE $schema.received_events SET received_at = $2 WHERE event_id = $1`, [
      recent[0]!.id,
      daysAgo(25),
    ]);
    await bed.db.query(`UPDATE $schema.deliveries SET updated_at = $2 WHERE event_id = $1`, [
      recent[0]!.id,
      daysAgo(25),
    ]);
    await bed.db.query(`UPDATE $schema.received_events SET received_at = $2 WHERE event_id = $1`, [
      youngUndelivered.id,
      daysAgo(10),
    ]);

    const batches = jest.spyOn(RetentionRepository.prototype, 'deleteFinishedDeliveries');
    const result = await made.sweeper.sweep(new Date());

    expect(result).toEqual({ deliveries: 5, receivedEvents: 6 });
    expect(batches).toHaveBeenCalledTimes(3); // 2 + 2 + 1
    batches.mockRestore();

    const left = await bed.db.query<{ event_id: string; status: string }>(
      'SELECT event_id, status FROM $schema.deliveries',
    );
    expect(left.map((row) => `${row.event_id} ${row.status}`).sort()).toEqual(
      [...recent.map((event) => `${event.id} succeeded`), `${stillPending.id} pending`].sort(),
    );
    expect(await count('$schema.delivery_attempts')).toBe(2);
    const events = await bed.db.query<{ event_id: string }>(
      'SELECT event_id FROM $schema.received_events',
    );
    expect(events.map((row) => row.event_id).sort()).toEqual(
      [...recent, stillPending, youngUndelivered].map((event) => event.id).sort(),
    );

    // A redelivered record of a kept event still makes no second delivery.
    expect(await made.recorder.record(recordOf(recent[1]!))).toMatchObject({ deliveries: 0 });
    // Nothing more to do.
    expect(await made.sweeper.sweep(new Date())).toEqual({ deliveries: 0, receivedEvents: 0 });
  });
});
