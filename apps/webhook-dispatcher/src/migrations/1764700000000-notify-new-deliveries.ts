import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dropNotifyOnInsertSql, notifyOnInsertSql } from '@finfusion/event-store';
import { schemaOf } from './schema-of';

/** New deliveries notify at commit, so a delivery worker of any replica wakes at once. */
export class NotifyNewDeliveries1764700000000 implements MigrationInterface {
  name = 'NotifyNewDeliveries1764700000000';

  async up(runner: QueryRunner): Promise<void> {
    for (const statement of notifyOnInsertSql(schemaOf(runner), 'deliveries')) {
      await runner.query(statement);
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const statement of dropNotifyOnInsertSql(schemaOf(runner), 'deliveries')) {
      await runner.query(statement);
    }
  }
}
