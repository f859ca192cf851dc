import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { firstValueFrom, throwError, timeout } from 'rxjs';
import {
  PAYMENTS_REPLY_TOPIC,
  RequestTopics,
  type CustomerStanding,
  type LookupCustomerPayload,
  type RequestMeta,
  type ServiceReply,
  type ServiceRequest,
} from '@finfusion/contracts';
import { ConsumerReadiness, type BatchingKafkaClient } from '@finfusion/kafka';
import { Readiness, requestReplyClient } from '@finfusion/runtime';
import { PaymentsConfig } from '../../config';
import type { CustomerFact } from './customer-directory';
import { CustomerLookup, CustomersUnavailable } from './customer-lookup';

/**
 * Asks the customers service (customers.lookup over Kafka request/reply) and waits at most
 * CUSTOMER_LOOKUP_TIMEOUT_MS. Replies come back on this replica's partitions of
 * payments.replies. The client connects in the background: until its reply consumer is assigned
 * the service is not ready, and lookups fail as unavailable instead of waiting.
 */
@Injectable()
export class CustomersServiceLookup
  extends CustomerLookup
  implements OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly logger = new Logger(CustomersServiceLookup.name);
  private readonly client: BatchingKafkaClient;
  private readonly replies = new ConsumerReadiness('payments-replies');
  private readonly timeoutMs: number;
  private connecting: Promise<void> | undefined;

  constructor(config: PaymentsConfig, readiness: Readiness) {
    super();
    this.timeoutMs = config.CUSTOMER_LOOKUP_TIMEOUT_MS;
    this.client = requestReplyClient(config, {
      clientId: 'payments-customer-lookups',
      groupId: config.CUSTOMER_LOOKUP_GROUP_ID,
      replyTopic: PAYMENTS_REPLY_TOPIC,
    });
    this.client.subscribeToResponseOf(RequestTopics.customers.lookup);
    readiness.register({
      name: 'kafka-customer-lookups',
      check: () => this.connecting !== undefined && this.replies.check().ok && this.assigned(),
    });
  }

  // Not awaited: joining the reply group can wait out a crashed predecessor's session, and the
  // rest of the service (relay, projections, known customers) need not wait for it.
  onApplicationBootstrap(): void {
    this.connecting = this.client.connect().then(
      () => {
        this.replies.watch(this.client.consumer, this.assigned());
      },
      (error: unknown) => {
        this.logger.error({ err: describe(error) }, 'customer lookups could not connect');
      },
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connecting;
    await this.client.close();
  }

  async lookup(customerId: string, meta: RequestMeta): Promise<CustomerFact | null> {
    if (!this.assigned()) throw new CustomersUnavailable('customer lookups are not connected yet');
    const request: ServiceRequest<LookupCustomerPayload> = {
      meta: {
        merchantId: meta.merchantId,
        requestId: meta.requestId,
        correlationId: meta.correlationId,
        deadline: Date.now() + this.timeoutMs,
      },
      payload: { id: customerId },
    };
    let reply: unknown;
    try {
      reply = await firstValueFrom(
        this.client
          .send<unknown>(RequestTopics.customers.lookup, { key: customerId, value: request })
          .pipe(
            timeout({
              first: this.timeoutMs,
              with: () =>
                throwError(() => new CustomersUnavailable(`no answer within ${this.timeoutMs} ms`)),
            }),
          ),
      );
    } catch (error) {
      this.logger.warn({ customer_id: customerId, err: describe(error) }, 'customer lookup failed');
      throw error instanceof CustomersUnavailable
        ? error
        : new CustomersUnavailable(describe(error));
    }
    return toFact(reply);
  }

  private assigned(): boolean {
    try {
      return PAYMENTS_REPLY_TOPIC in this.client.getConsumerAssignments();
    } catch {
      return false;
    }
  }
}

function toFact(reply: unknown): CustomerFact | null {
  const r = reply as ServiceReply<CustomerStanding> | null;
  if (r?.ok === false && r.status === 404) return null;
  const body = r?.ok === true ? r.body : undefined;
  if (
    typeof body?.id !== 'string' ||
    typeof body.merchant_id !== 'string' ||
    typeof body.deleted !== 'boolean' ||
    !Number.isInteger(body.sequence)
  ) {
    throw new CustomersUnavailable('the customers service answered outside the contract');
  }
  return {
    customerId: body.id,
    merchantId: body.merchant_id,
    deleted: body.deleted,
    sequence: body.sequence,
  };
}

const describe = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);
