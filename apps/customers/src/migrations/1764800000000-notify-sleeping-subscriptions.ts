import type { MigrationInterface, QueryRunner } from 'typeorm';
import { notifyOnAppendSql, runStatements, schemaOf } from '@finfusion/event-store';

/**
 * Brings a log whose append trigger notified on every commit to today's: appends notify only
 * while a subscription sleeps (`sleeping_until`). On a new database it changes nothing.
 */
export class NotifySleepingSubscriptions1764800000000 implements MigrationInterface {
  name = 'NotifySleepingSubscriptions1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await runStatements(queryRunner, notifyOnAppendSql(schemaOf(queryRunner)));
  }

  // Nothing to undo on its own: NotifyEventAppends1764700000000's down removes all of it.
  async down(): Promise<void> {
    // no-op
  }
}
