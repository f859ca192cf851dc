import { Column, Entity } from 'typeorm';
import type {
  WebhookDisabledReason,
  WebhookEndpointStatus,
  WebhookEventSelector,
} from '@finfusion/contracts';
import { MerchantOwnedEntity } from '@finfusion/runtime';
import type { EndpointState } from './domain/endpoint';

@Entity({ name: 'endpoints' })
export class EndpointEntity extends MerchantOwnedEntity implements EndpointState {
  @Column({ type: 'text' })
  url!: string;

  @Column({ type: 'text', array: true })
  events!: WebhookEventSelector[];

  @Column({ type: 'text' })
  status!: WebhookEndpointStatus;

  @Column({ type: 'text', nullable: true })
  disabled_reason!: WebhookDisabledReason | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  failing_since!: Date | null;
}
