import { ReceivedEvents1764100000000 } from './1764100000000-received-events';
import { WebhookDelivery1764200000000 } from './1764200000000-webhook-delivery';
import { NotifyNewDeliveries1764700000000 } from './1764700000000-notify-new-deliveries';
import { SealedEndpointSecrets1764900000001 } from './1764900000001-sealed-endpoint-secrets';
import { RetentionIndexes1764900000002 } from './1764900000002-retention-indexes';
import { ReceivedEventTraceContext1765200000000 } from './1765200000000-received-event-trace-context';
import { ReceivedEventCreatedAt1765300000000 } from './1765300000000-received-event-created-at';
import { ReceivedCustomerEvents1765300000001 } from './1765300000001-received-customer-events';

/** In order; never edit one that has shipped, add the next. */
export const migrations = [
  ReceivedEvents1764100000000,
  WebhookDelivery1764200000000,
  NotifyNewDeliveries1764700000000,
  SealedEndpointSecrets1764900000001,
  RetentionIndexes1764900000002,
  ReceivedEventTraceContext1765200000000,
  ReceivedEventCreatedAt1765300000000,
  ReceivedCustomerEvents1765300000001,
];
