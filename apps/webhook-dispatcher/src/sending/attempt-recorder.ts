import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DispatcherConfig } from '../config';
import {
  DeliveryRepository,
  type AttemptRecord,
  type DeliveryJob,
} from '../deliveries/delivery.repository';
import { ENDPOINT_DISABLED_ERROR, settleAttempt } from '../deliveries/domain/delivery';
import type { DeliveryOutcome } from '../deliveries/domain/retry-policy';
import { healthAfterFailure } from '../endpoints/domain/endpoint-health';
import { EndpointRepository } from '../endpoints/endpoint.repository';

/**
 * Records an attempt, the delivery's new state and the endpoint's health in one transaction, and
 * only while the worker still holds the delivery's lease: a worker that lost it changes nothing.
 */
@Injectable()
export class AttemptRecorder {
  constructor(
    private readonly config: DispatcherConfig,
    private readonly dataSource: DataSource,
    private readonly deliveries: DeliveryRepository,
    private readonly endpoints: EndpointRepository,
  ) {}

  /** Returns false, writing nothing, when the caller no longer holds the delivery's lease. */
  record(job: DeliveryJob, attempt: AttemptRecord, outcome: DeliveryOutcome): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      if (!(await this.deliveries.holdLease(manager, job))) return false;
      const endpointActive = await this.keepHealth(manager, job.endpoint_id, attempt, outcome);
      const settled = settleAttempt(outcome, attempt.error, endpointActive);
      await this.deliveries.recordAttempt(manager, job, attempt, settled);
      return true;
    });
  }

  /** Keeps the endpoint's run of failures; returns whether it still takes deliveries. */
  private async keepHealth(
    manager: EntityManager,
    endpointId: string,
    attempt: AttemptRecord,
    outcome: DeliveryOutcome,
  ): Promise<boolean> {
    if (attempt.outcome === 'succeeded') {
      // A success needs no further attempt, so whether the endpoint is active does not matter.
      await this.endpoints.clearFailures(manager, endpointId);
      return true;
    }
    const health = await this.endpoints.lockHealth(manager, endpointId);
    if (health === undefined) return false;
    const gone = outcome.status === 'failed' && outcome.disableEndpoint;
    const after = healthAfterFailure(
      health,
      { at: attempt.attemptedAt, gone },
      this.config.WEBHOOK_DISABLE_AFTER_FAILING_MS,
    );
    await this.endpoints.markFailing(manager, endpointId, after.failingSince);
    if (after.disable !== undefined) {
      await this.endpoints.disable(manager, endpointId, after.disable);
      await this.deliveries.failPending(manager, endpointId, ENDPOINT_DISABLED_ERROR);
    }
    return after.active;
  }
}
