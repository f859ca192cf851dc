import { Injectable, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { KafkaContext, Server, type CustomTransportStrategy } from '@nestjs/microservices';
import { lastValueFrom, type Observable } from 'rxjs';
import {
  notFound,
  ok,
  RequestTopics,
  type CreateCustomerPayload,
  type Customer,
  type GetCustomerPayload,
  type ServiceRequest,
} from '@finfusion/contracts';
import { HandlesRequest } from './message-handling';

/** A transport that only keeps the handlers Nest registers, for the test to call by topic. */
class CollectingServer extends Server implements CustomTransportStrategy {
  listen(callback: () => void): void {
    callback();
  }

  close(): void {
    // Nothing to close: no broker behind it.
  }

  on(): void {
    // No transport events.
  }

  unwrap(): never {
    throw new Error('no client behind the collecting server');
  }

  async request(topic: string, data: unknown): Promise<unknown> {
    const handler = this.getHandlerByPattern(topic);
    if (!handler) throw new Error(`no handler for ${topic}`);
    const context = new KafkaContext([
      {} as never,
      0,
      topic,
      {} as never,
      () => Promise.resolve(),
      {} as never,
    ]);
    return lastValueFrom((await handler(data, context)) as Observable<unknown>);
  }
}

const customer: Customer = {
  id: 'cust_1',
  object: 'customer',
  email: 'a@example.com',
  name: null,
  created_at: '2026-01-01T00:00:00.000Z',
  metadata: {},
};

@Injectable()
class Customers {
  find(id: string): Customer | undefined {
    if (id === 'cust_boom') throw new Error('the store is down');
    return id === customer.id ? customer : undefined;
  }
}

@HandlesRequest(RequestTopics.customers.get)
class GetCustomerHandler {
  readonly seen: ServiceRequest<GetCustomerPayload>[] = [];

  constructor(private readonly customers: Customers) {}

  async handle(request: ServiceRequest<GetCustomerPayload>) {
    this.seen.push(request);
    await Promise.resolve();
    const found = this.customers.find(request.payload.id);
    return found ? ok(found) : notFound('customer');
  }
}

@Module({ controllers: [GetCustomerHandler], providers: [Customers] })
class TestModule {}

const requestOf = (id: string, text = 'x') => ({
  meta: { merchantId: 'mer_1', requestId: 'req_1', correlationId: 'req_1' },
  payload: { id, note: text },
});

describe('HandlesRequest', () => {
  let app: INestMicroservice;
  let server: CollectingServer;

  beforeAll(async () => {
    server = new CollectingServer();
    app = await NestFactory.createMicroservice(TestModule, { strategy: server, logger: false });
    await app.init();
  });
  afterAll(() => app.close());

  it("registers the class's handle method for the topic, given the whole request", async () => {
    const request = requestOf('cust_1');
    expect(await server.request('customers.get', request)).toEqual(ok(customer));
    expect(app.get(GetCustomerHandler).seen.at(-1)).toEqual(request);
  });

  it('registers nothing else', () => {
    expect([...server.getHandlers().keys()]).toEqual(['customers.get']);
  });

  it('answers what handle answers, errors included', async () => {
    expect(await server.request('customers.get', requestOf('cust_2'))).toEqual(
      notFound('customer'),
    );
  });

  it('refuses a request the message interceptor refuses, without calling handle', async () => {
    const handler = app.get(GetCustomerHandler);
    const before = handler.seen.length;
    expect(await server.request('customers.get', requestOf('cust_1', 'a\u0000b'))).toMatchObject({
      ok: false,
      status: 400,
      error: { param: 'note' },
    });
    expect(handler.seen).toHaveLength(before);
  });

  it('turns a thrown error into an api_error reply', async () => {
    expect(await server.request('customers.get', requestOf('cust_boom'))).toMatchObject({
      ok: false,
      status: 500,
      error: { type: 'api_error' },
    });
  });

  it('refuses a class without a handle method when it loads', () => {
    const decorate = HandlesRequest(RequestTopics.customers.get) as (target: unknown) => void;
    expect(() => {
      decorate(
        class NoHandle {
          respond() {
            return ok(customer);
          }
        },
      );
    }).toThrow('declares no handle method');
  });

  it("types handle by the topic's exchange (the typecheck fails on each class below)", () => {
    // @ts-expect-error customers.delete replies with a Deleted, not a Customer.
    @HandlesRequest(RequestTopics.customers.delete)
    class ReplyOfAnotherTopic {
      handle(_: ServiceRequest<GetCustomerPayload>) {
        return Promise.resolve(ok(customer));
      }
    }

    // @ts-expect-error customers.get sends an id only, not the email this handler reads.
    @HandlesRequest(RequestTopics.customers.get)
    class PayloadOfAnotherTopic {
      handle(_: ServiceRequest<GetCustomerPayload & Pick<CreateCustomerPayload, 'email'>>) {
        return Promise.resolve(ok(customer));
      }
    }

    // @ts-expect-error a handler answers with a promise of the topic's reply.
    @HandlesRequest(RequestTopics.customers.get)
    class NotAsync {
      handle(_: ServiceRequest<GetCustomerPayload>) {
        return ok(customer);
      }
    }

    for (const handler of [ReplyOfAnotherTopic, PayloadOfAnotherTopic, NotAsync]) {
      expect(typeof handler.prototype.handle).toBe('function');
    }
  });
});
