import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dropNotifyOnAppendSql, notifyOnAppendSql } from '@finfusion/event-store';
import { schemaOf } from './1764100000000-create-customers';

/** Each append notifies at commit, so the relay wakes instead of polling. */
export class NotifyEventAppends1764700000000 implements MigrationInterface {
  name = 'NotifyEventAppends1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of notifyOnAppendSql(schemaOf(queryRunner))) {
      await queryRunner.query(statement);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const statement of dropNotifyOnAppendSql(schemaOf(queryRunner))) {
      await queryRunner.query(statement);
    }
  }
}
