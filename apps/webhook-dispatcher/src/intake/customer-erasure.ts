import type { EntityManager } from 'typeorm';
import { erasedCustomer, type Customer, type PublicEvent } from '@finfusion/contracts';
import { queryRows, tableOf } from '../database';
import { ReceivedEventEntity } from './received-event.entity';

const DELETED = 'customer.deleted';
const isCustomerEvent = (event: PublicEvent): boolean => event.type.startsWith('customer.');

/**
 * A customer.deleted tells every consumer to erase what it keeps of that customer. Called in the
 * transaction that records newly taken-in events: for each customer they concern that has been
 * deleted (by one of them, or earlier), it erases the email, name and metadata of every stored
 * copy of the customer's events, envelope and body alike. A delivery not yet sent then goes out
 * with the erased body, signed as it is sent. An event of a deleted customer taken in late (a
 * parked record replayed) is erased as it arrives. Returns how many stored events it erased.
 */
export async function eraseDeletedCustomers(
  manager: EntityManager,
  events: readonly PublicEvent[],
): Promise<number> {
  const customers = events.filter(isCustomerEvent);
  if (customers.length === 0) return 0;
  const table = tableOf(manager, ReceivedEventEntity);
  const merchants = customers.map((event) => event.merchant_id);
  const ids = customers.map((event) => (event.data.object as { id: string }).id);
  const stored = await queryRows<{ event_id: string; body: string }>(
    manager,
    `SELECT r.event_id, r.body
       FROM ${table} r
       JOIN (SELECT DISTINCT * FROM unnest($1::text[], $2::text[]) AS c (merchant_id, id)) c
         ON r.merchant_id = c.merchant_id AND r.event_type LIKE 'customer.%'
        AND r.envelope #>> '{data,object,id}' = c.id
      WHERE EXISTS (
              SELECT 1 FROM ${table} d
               WHERE d.merchant_id = c.merchant_id AND d.event_type = '${DELETED}'
                 AND d.envelope #>> '{data,object,id}' = c.id)
      ORDER BY r.event_id
      FOR UPDATE OF r`,
    [merchants, ids],
  );
  const changed = stored.flatMap(({ event_id, body }) => {
    const erased = erasedBody(body);
    return erased === body ? [] : [{ event_id, body: erased }];
  });
  if (changed.length === 0) return 0;
  await manager.query(
    `UPDATE ${table} r SET body = e.body, envelope = e.body::jsonb
       FROM unnest($1::text[], $2::text[]) AS e (event_id, body)
      WHERE r.event_id = e.event_id`,
    [changed.map((row) => row.event_id), changed.map((row) => row.body)],
  );
  return changed.length;
}

/**
 * The body with the customer's personal data erased, its other bytes' order kept (JSON.parse
 * keeps key order); the body itself when there was nothing left to erase.
 */
export function erasedBody(body: string): string {
  const event = JSON.parse(body) as PublicEvent<Customer>;
  const customer = event.data.object;
  const erased = erasedCustomer(customer);
  if (
    customer.email === erased.email &&
    customer.name === null &&
    Object.keys(customer.metadata).length === 0
  ) {
    return body;
  }
  return JSON.stringify({ ...event, data: { ...event.data, object: erased } });
}
