import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from './schema-of';

export class ReceivedEvents1764100000000 implements MigrationInterface {
  name = 'ReceivedEvents1764100000000';

  async up(runner: QueryRunner): Promise<void> {
    const schema = schemaOf(runner);
    await runner.query(`CREATE TABLE "${schema}".received_events (
      event_id text PRIMARY KEY,
      topic text NOT NULL,
      event_type text NOT NULL,
      merchant_id text NOT NULL,
      envelope jsonb NOT NULL,
      received_at timestamptz(3) NOT NULL DEFAULT now()
    )`);
    await runner.query(
      `CREATE INDEX received_events_merchant ON "${schema}".received_events (merchant_id, received_at DESC)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "${schemaOf(runner)}".received_events`);
  }
}
