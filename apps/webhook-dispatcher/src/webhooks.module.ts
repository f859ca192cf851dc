import { Module, type DynamicModule } from '@nestjs/common';
import { EventTopics } from '@finfusion/contracts';
import { Clock } from '@finfusion/runtime';
import { DispatcherConfig } from './config';
import { DeliveryRepository } from './deliveries/delivery.repository';
import { DeliveryLog } from './deliveries/list-deliveries/delivery-log';
import { ListDeliveriesHandler } from './deliveries/list-deliveries/list-deliveries.handler';
import { ResendDeliveryHandler } from './deliveries/resend-delivery/resend-delivery.handler';
import { CreateEndpointHandler } from './endpoints/create-endpoint/create-endpoint.handler';
import { DeleteEndpointHandler } from './endpoints/delete-endpoint/delete-endpoint.handler';
import { EndpointRepository } from './endpoints/endpoint.repository';
import { EndpointUrlPolicy } from './endpoints/endpoint-url.policy';
import { GetEndpointHandler } from './endpoints/get-endpoint/get-endpoint.handler';
import { ListEndpointsHandler } from './endpoints/list-endpoints/list-endpoints.handler';
import { RotateSecretHandler } from './endpoints/rotate-secret/rotate-secret.handler';
import { SecretBox } from './endpoints/secret-box';
import { SecretResealer } from './endpoints/secret-resealer';
import { UpdateEndpointHandler } from './endpoints/update-endpoint/update-endpoint.handler';
import { EventRepository } from './events/event.repository';
import { GetEventHandler } from './events/get-event/get-event.handler';
import { ListEventsHandler } from './events/list-events/list-events.handler';
import { EventIntakeService, IntakeSource } from './intake/event-intake.service';
import { EventRecorder } from './intake/event-recorder';
import { RetentionRepository } from './retention/retention.repository';
import { RetentionSweeper } from './retention/retention.sweeper';
import { AttemptRecorder } from './sending/attempt-recorder';
import { DeliveryWorker } from './sending/delivery.worker';
import { HttpSender } from './sending/http-sender';
import { dnsResolver } from './sending/dns-resolver';

/**
 * Endpoints and their request handlers, event intake, the events API, the delivery worker, and
 * the sweep.
 */
@Module({})
export class WebhooksModule {
  static register(config: DispatcherConfig): DynamicModule {
    const resolve = dnsResolver({ timeoutMs: config.WEBHOOK_DNS_TIMEOUT_MS });
    return {
      module: WebhooksModule,
      controllers: [
        CreateEndpointHandler,
        GetEndpointHandler,
        ListEndpointsHandler,
        UpdateEndpointHandler,
        DeleteEndpointHandler,
        RotateSecretHandler,
        ListDeliveriesHandler,
        ResendDeliveryHandler,
        ListEventsHandler,
        GetEventHandler,
      ],
      providers: [
        { provide: DispatcherConfig, useValue: config },
        Clock,
        { provide: SecretBox, useValue: SecretBox.fromConfig(config.WEBHOOK_SECRET_KEYS) },
        {
          provide: EndpointUrlPolicy,
          useValue: new EndpointUrlPolicy(
            {
              allowHttp: config.WEBHOOK_ALLOW_HTTP,
              allowLoopback: config.WEBHOOK_ALLOW_LOOPBACK,
            },
            resolve,
          ),
        },
        {
          provide: HttpSender,
          useValue: new HttpSender({
            timeoutMs: config.WEBHOOK_TIMEOUT_MS,
            allowHttp: config.WEBHOOK_ALLOW_HTTP,
            policy: { allowLoopback: config.WEBHOOK_ALLOW_LOOPBACK },
            resolve,
          }),
        },
        EndpointRepository,
        SecretResealer,
        DeliveryRepository,
        DeliveryLog,
        EventRecorder,
        EventRepository,
        AttemptRecorder,
        DeliveryWorker,
        {
          provide: IntakeSource,
          useValue: new IntakeSource(Object.values(EventTopics), config.WEBHOOK_EVENTS_GROUP_ID),
        },
        EventIntakeService,
        RetentionRepository,
        RetentionSweeper,
      ],
    };
  }
}
