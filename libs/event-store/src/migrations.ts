import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dropNotifyOnAppendSql, notifyOnAppendSql } from './schema';
import { runStatements, schemaOf } from './tables';

/**
 * A service's migration that makes each append to its schema's log notify at commit while a
 * subscription sleeps (`notifyOnAppendSql`), so relays and projections wake instead of polling.
 * Its down removes the trigger and the sleeping mark.
 */
export abstract class NotifyOnAppendMigration implements MigrationInterface {
  abstract readonly name: string;

  async up(queryRunner: QueryRunner): Promise<void> {
    await runStatements(queryRunner, notifyOnAppendSql(schemaOf(queryRunner)));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await runStatements(queryRunner, dropNotifyOnAppendSql(schemaOf(queryRunner)));
  }
}

/**
 * Brings an append trigger written by an earlier `notifyOnAppendSql` to today's (the statements
 * are idempotent); on a database that already has it, it changes nothing. Nothing to undo on its
 * own: the NotifyOnAppendMigration's down removes all of it.
 */
export abstract class RefreshNotifyOnAppendMigration implements MigrationInterface {
  abstract readonly name: string;

  async up(queryRunner: QueryRunner): Promise<void> {
    await runStatements(queryRunner, notifyOnAppendSql(schemaOf(queryRunner)));
  }

  async down(): Promise<void> {
    // no-op
  }
}
