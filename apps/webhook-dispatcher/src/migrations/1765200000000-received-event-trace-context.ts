import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from './schema-of';

/** The trace context an event was taken in under, so its delivery attempts join that trace. */
export class ReceivedEventTraceContext1765200000000 implements MigrationInterface {
  name = 'ReceivedEventTraceContext1765200000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `ALTER TABLE "${schemaOf(runner)}".received_events
         ADD COLUMN traceparent text, ADD COLUMN tracestate text`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(
      `ALTER TABLE "${schemaOf(runner)}".received_events
         DROP COLUMN traceparent, DROP COLUMN tracestate`,
    );
  }
}
