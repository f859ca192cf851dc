import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dropNotifyOnAppendSql, notifyOnAppendSql } from '@finfusion/event-store';

const schemaOf = (queryRunner: QueryRunner): string => {
  const schema = queryRunner.connection.driver.schema;
  if (schema === undefined) throw new Error('the payments data source must name its schema');
  return schema;
};

/** Each append notifies at commit, so the relay and the daily summary wake instead of polling. */
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
