import { Module, type DynamicModule } from '@nestjs/common';
import { EventStore } from '@finfusion/event-store';
import { Clock } from '@finfusion/runtime';
import { CustomersConfig } from '../config';
import { CreateCustomerHandler } from './create-customer/create-customer.handler';
import { CustomerRepository } from './customer.repository';
import { DeleteCustomerHandler } from './delete-customer/delete-customer.handler';
import { GetCustomerHandler } from './get-customer/get-customer.handler';
import { ListCustomersHandler } from './list-customers/list-customers.handler';
import { LookupCustomerHandler } from './lookup-customer/lookup-customer.handler';
import { CustomerKeys } from './personal-data/customer-keys';
import { CustomerEventsRelay } from './publishing/customer-events.relay';
import { UpdateCustomerHandler } from './update-customer/update-customer.handler';

/** The customers feature: its request handlers, its table and log, and the relay to Kafka. */
@Module({})
export class CustomersModule {
  static register(config: CustomersConfig, schema: string): DynamicModule {
    return {
      module: CustomersModule,
      controllers: [
        CreateCustomerHandler,
        GetCustomerHandler,
        ListCustomersHandler,
        UpdateCustomerHandler,
        DeleteCustomerHandler,
        LookupCustomerHandler,
      ],
      providers: [
        { provide: CustomersConfig, useValue: config },
        { provide: EventStore, useValue: new EventStore(schema) },
        Clock,
        CustomerKeys,
        CustomerRepository,
        CustomerEventsRelay,
      ],
    };
  }
}
