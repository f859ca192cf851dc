import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { serviceDatabase } from '@finfusion/runtime';
import { DeliveryAttemptEntity } from './deliveries/delivery-attempt.entity';
import { DeliveryEntity } from './deliveries/delivery.entity';
import { EndpointSecretEntity } from './endpoints/endpoint-secret.entity';
import { EndpointEntity } from './endpoints/endpoint.entity';
import { ReceivedEventEntity } from './intake/received-event.entity';
import { migrations } from './migrations';

export const entities = [
  ReceivedEventEntity,
  EndpointEntity,
  EndpointSecretEntity,
  DeliveryEntity,
  DeliveryAttemptEntity,
];

export const webhooksDatabase = serviceDatabase({ entities, migrations });

/** `schema.table` of an entity, for SQL that TypeORM's builders cannot express. */
export const tableOf = (manager: EntityManager, entity: EntityTarget<ObjectLiteral>): string =>
  manager.connection.getMetadata(entity).tablePath;

/**
 * Runs one statement and returns its rows. TypeORM answers an UPDATE or DELETE with
 * `[rows, count]` and anything else with the rows; this hides the difference.
 */
export async function queryRows<T>(
  manager: EntityManager,
  sql: string,
  params: readonly unknown[] = [],
): Promise<T[]> {
  const result: unknown = await manager.query(sql, [...params]);
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  ) {
    return result[0] as T[];
  }
  return result as T[];
}
