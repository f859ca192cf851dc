import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from './schema-of';

/**
 * Taking in customer.deleted erases the personal data of that customer's earlier events: this
 * index finds them by customer id.
 */
export class ReceivedCustomerEvents1765300000001 implements MigrationInterface {
  name = 'ReceivedCustomerEvents1765300000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE INDEX received_events_customer ON "${schemaOf(runner)}".received_events
         (merchant_id, (envelope #>> '{data,object,id}')) WHERE event_type LIKE 'customer.%'`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX "${schemaOf(runner)}".received_events_customer`);
  }
}
