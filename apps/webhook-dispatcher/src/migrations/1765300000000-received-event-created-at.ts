import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from './schema-of';

// An ISO 8601 date-time with a zone, as envelopes carry it; anything else keeps the intake time.
const INSTANT = String.raw`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$`;

/**
 * The events list (GET /v2/events) filters and orders by when an event happened, the envelope's
 * `created_at`, not by when the dispatcher took it in: kept as a column, filled from the envelopes
 * already taken in. The default covers rows a replica still on the previous version inserts
 * during a rolling update (their intake time, moments after the event's).
 */
export class ReceivedEventCreatedAt1765300000000 implements MigrationInterface {
  name = 'ReceivedEventCreatedAt1765300000000';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(runner)}"`;
    await runner.query(`ALTER TABLE ${s}.received_events ADD COLUMN created_at timestamptz(3)`);
    await runner.query(
      `UPDATE ${s}.received_events
       SET created_at = CASE WHEN envelope->>'created_at' ~ $1
                             THEN (envelope->>'created_at')::timestamptz
                             ELSE received_at END`,
      [INSTANT],
    );
    await runner.query(
      `ALTER TABLE ${s}.received_events
         ALTER COLUMN created_at SET DEFAULT now(), ALTER COLUMN created_at SET NOT NULL`,
    );
    // A merchant's page of events, newest first, and the cursor's row comparison, in one index.
    // It also serves everything the index by (merchant_id, received_at) served: none reads it.
    await runner.query(
      `CREATE INDEX received_events_merchant_created ON ${s}.received_events
         (merchant_id, created_at DESC, event_id DESC)`,
    );
    await runner.query(`DROP INDEX ${s}.received_events_merchant`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(runner)}"`;
    await runner.query(
      `CREATE INDEX received_events_merchant ON ${s}.received_events (merchant_id, received_at DESC)`,
    );
    await runner.query(`DROP INDEX ${s}.received_events_merchant_created`);
    await runner.query(`ALTER TABLE ${s}.received_events DROP COLUMN created_at`);
  }
}
