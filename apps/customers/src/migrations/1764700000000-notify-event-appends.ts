import type { MigrationInterface, QueryRunner } from 'typeorm';
import {
  dropNotifyOnAppendSql,
  notifyOnAppendSql,
  runStatements,
  schemaOf,
} from '@finfusion/event-store';

/** Each append notifies at commit, so the relay wakes instead of polling. */
export class NotifyEventAppends1764700000000 implements MigrationInterface {
  name = 'NotifyEventAppends1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await runStatements(queryRunner, notifyOnAppendSql(schemaOf(queryRunner)));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await runStatements(queryRunner, dropNotifyOnAppendSql(schemaOf(queryRunner)));
  }
}
