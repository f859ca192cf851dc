import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { queryRows, tableOf } from '../database';
import { DeliveryAttemptEntity } from '../deliveries/delivery-attempt.entity';
import { DeliveryEntity } from '../deliveries/delivery.entity';
import { ReceivedEventEntity } from '../intake/received-event.entity';

/**
 * Removes old rows a batch per transaction, so no statement holds many locks or a long
 * transaction; SKIP LOCKED lets replicas sweep side by side and never waits on a worker.
 */
@Injectable()
export class RetentionRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** One batch of finished deliveries last changed before `before`, with their attempts. */
  deleteFinishedDeliveries(before: Date, batchSize: number): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const deliveries = tableOf(manager, DeliveryEntity);
      const doomed = await queryRows<{ id: string }>(
        manager,
        `SELECT id FROM ${deliveries}
         WHERE status <> 'pending' AND updated_at < $1
         ORDER BY updated_at LIMIT $2
         FOR UPDATE SKIP LOCKED`,
        [before, batchSize],
      );
      if (doomed.length === 0) return 0;
      const ids = doomed.map((row) => row.id);
      await manager.query(
        `DELETE FROM ${tableOf(manager, DeliveryAttemptEntity)} WHERE delivery_id = ANY($1)`,
        [ids],
      );
      await manager.query(`DELETE FROM ${deliveries} WHERE id = ANY($1)`, [ids]);
      return ids.length;
    });
  }

  /** One batch of events received before `before` that no delivery refers to any more. */
  async deleteReceivedEvents(before: Date, batchSize: number): Promise<number> {
    const events = tableOf(this.dataSource.manager, ReceivedEventEntity);
    const deleted = await queryRows<{ event_id: string }>(
      this.dataSource.manager,
      `DELETE FROM ${events} WHERE event_id IN (
         SELECT r.event_id FROM ${events} r
         WHERE r.received_at < $1
           AND NOT EXISTS (
             SELECT 1 FROM ${tableOf(this.dataSource.manager, DeliveryEntity)} d
             WHERE d.event_id = r.event_id)
         ORDER BY r.received_at LIMIT $2
         FOR UPDATE SKIP LOCKED)
       RETURNING event_id`,
      [before, batchSize],
    );
    return deleted.length;
  }
}
