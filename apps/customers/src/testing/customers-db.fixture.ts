import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { loadConfig } from '@finfusion/config';
import { EventStore, type StoredEvent } from '@finfusion/event-store';
import { Clock, dataSourceOptions, migrate } from '@finfusion/runtime';
import { openedPerFile, testEnv } from '@finfusion/testing';
import { CreateCustomerHandler } from '../customers/create-customer/create-customer.handler';
import { CustomerEntity } from '../customers/customer.entity';
import { CustomerRepository } from '../customers/customer.repository';
import { CustomerKeys } from '../customers/personal-data/customer-keys';
import { DeleteCustomerHandler } from '../customers/delete-customer/delete-customer.handler';
import { GetCustomerHandler } from '../customers/get-customer/get-customer.handler';
import { ListCustomersHandler } from '../customers/list-customers/list-customers.handler';
import { LookupCustomerHandler } from '../customers/lookup-customer/lookup-customer.handler';
import { UpdateCustomerHandler } from '../customers/update-customer/update-customer.handler';
import { CustomersConfig } from '../config';
import { customersDatabase } from '../database';

/** A migrated schema of its own per test file, so files never see each other's rows or events. */
export interface CustomersTestDb {
  schema: string;
  dataSource: DataSource;
  store: EventStore;
  keys: CustomerKeys;
  customers: CustomerRepository;
  /** The service's handlers over this schema, wired as Nest wires them. */
  handlers: CustomerHandlers;
  row(id: string): Promise<CustomerEntity | null>;
  /** The customer's stream as its readers read it: `data` is the customer, personal data opened. */
  events(customerId: string): Promise<StoredEvent[]>;
  /** The stream as stored, personal data sealed. */
  rawEvents(customerId: string): Promise<StoredEvent[]>;
}

interface OpenedCustomersTestDb extends CustomersTestDb {
  close(): Promise<void>;
}

export interface CustomerHandlers {
  create: CreateCustomerHandler;
  get: GetCustomerHandler;
  list: ListCustomersHandler;
  update: UpdateCustomerHandler;
  remove: DeleteCustomerHandler;
  lookup: LookupCustomerHandler;
}

const handlersOver = (customers: CustomerRepository, clock: Clock): CustomerHandlers => ({
  create: new CreateCustomerHandler(customers, clock),
  get: new GetCustomerHandler(customers),
  list: new ListCustomersHandler(customers),
  update: new UpdateCustomerHandler(customers, clock),
  remove: new DeleteCustomerHandler(customers, clock),
  lookup: new LookupCustomerHandler(customers),
});

/**
 * The schema of one test file, opened before its first test and dropped after its last. Its
 * members are there from `beforeAll` on: read them inside tests and hooks.
 */
export const customersTestDb = (): CustomersTestDb =>
  openedPerFile(openCustomersTestDb, (db) => db.close());

async function openCustomersTestDb(): Promise<OpenedCustomersTestDb> {
  const schema = `customers_test_${randomBytes(4).toString('hex')}`;
  const dataSource = new DataSource(
    dataSourceOptions(customersDatabase(testEnv.databaseUrl, schema, 20)),
  );
  await dataSource.initialize();
  await migrate(dataSource, schema);
  const store = new EventStore(schema);
  const keys = new CustomerKeys(loadConfig(CustomersConfig, {}));
  const customers = new CustomerRepository(dataSource, store, keys);
  return {
    schema,
    dataSource,
    store,
    keys,
    customers,
    handlers: handlersOver(customers, new Clock()),
    row: (id) => dataSource.manager.findOneBy(CustomerEntity, { id }),
    async events(customerId) {
      const stored = await store.readStream(dataSource.manager, customerId);
      const changes = await customers.changesOf(dataSource.manager, stored);
      return stored.map((event, index) => ({
        ...event,
        data: changes[index]?.data ?? {},
      }));
    },
    rawEvents: (customerId) => store.readStream(dataSource.manager, customerId),
    async close() {
      await dataSource.query(`DROP SCHEMA "${schema}" CASCADE`);
      await dataSource.destroy();
    },
  };
}

/** Successive creates land on distinct milliseconds, so "newest first" has one right answer. */
export const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 3));
