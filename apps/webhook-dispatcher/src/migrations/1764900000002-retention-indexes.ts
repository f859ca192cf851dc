import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from './schema-of';

/** The retention sweep finds old finished deliveries and old events through these. */
export class RetentionIndexes1764900000002 implements MigrationInterface {
  name = 'RetentionIndexes1764900000002';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(runner)}"`;
    await runner.query(
      `CREATE INDEX deliveries_finished ON ${s}.deliveries (updated_at) WHERE status <> 'pending'`,
    );
    await runner.query(
      `CREATE INDEX received_events_received ON ${s}.received_events (received_at)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(runner)}"`;
    await runner.query(`DROP INDEX ${s}.received_events_received`);
    await runner.query(`DROP INDEX ${s}.deliveries_finished`);
  }
}
