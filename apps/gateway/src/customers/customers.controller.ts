import { Body, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiParam } from '@nestjs/swagger';
import {
  RequestTopics,
  type Customer,
  type CustomerList,
  type Deleted,
  type RequestMeta,
} from '@finfusion/contracts';
import { ApiErrors, ApiIdempotentPost, ApiSuccess } from '../docs/api-docs.decorators';
import { ApiError } from '../errors/api-error';
import { ServiceClient } from '../forwarding/service-client';
import { IdempotencyStore } from '../idempotency/idempotency.store';
import { ApiController } from '../http/api-controller.decorator';
import { Meta } from '../http/request-meta.decorator';
import { DEFAULT_LIMIT } from '../validation/list-query.dto';
import { ResourceIdPipe } from '../validation/resource-id.pipe';
import {
  CreateCustomerRequest,
  ListCustomersQuery,
  UpdateCustomerRequest,
} from './customer.requests';
import {
  CustomerListResponse,
  CustomerResponse,
  DeletedCustomerResponse,
} from './customer.responses';

const customerId = new ResourceIdPipe('customer');
const idParam = ApiParam({ name: 'id', description: 'The customer id (cust_…).' });

/** Customers: validated here, decided by the customers service, scoped to the caller's merchant. */
@ApiController('customers', 'Customers')
export class CustomersController {
  constructor(
    private readonly services: ServiceClient,
    private readonly idempotency: IdempotencyStore,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ operationId: 'createCustomer', summary: 'Create a customer' })
  @ApiSuccess(CustomerResponse, 'The new customer.', { idempotent: true })
  @ApiIdempotentPost()
  create(@Body() body: CreateCustomerRequest, @Meta() meta: RequestMeta): Promise<Customer> {
    const { email, name, metadata } = body;
    return this.services.send(
      RequestTopics.customers.create,
      meta,
      { email, name, metadata },
      meta.requestId,
    );
  }

  @Get(':id')
  @ApiOperation({ operationId: 'getCustomer', summary: 'Retrieve a customer' })
  @idParam
  @ApiSuccess(CustomerResponse, 'The customer.')
  @ApiErrors(404)
  get(@Param('id', customerId) id: string, @Meta() meta: RequestMeta): Promise<Customer> {
    return this.services.send(RequestTopics.customers.get, meta, { id }, id);
  }

  @Get()
  @ApiOperation({ operationId: 'listCustomers', summary: 'List customers, newest first' })
  @ApiSuccess(CustomerListResponse, 'A page of customers.')
  @ApiErrors(400)
  list(@Query() query: ListCustomersQuery, @Meta() meta: RequestMeta): Promise<CustomerList> {
    const { limit = DEFAULT_LIMIT, starting_after, ending_before, email } = query;
    return this.services.send(
      RequestTopics.customers.list,
      meta,
      { limit, starting_after, ending_before, email },
      meta.requestId,
    );
  }

  @Patch(':id')
  @ApiOperation({ operationId: 'updateCustomer', summary: 'Update a customer' })
  @idParam
  @ApiSuccess(CustomerResponse, 'The updated customer.')
  @ApiErrors(400, 404, 413, 415)
  update(
    @Param('id', customerId) id: string,
    @Body() body: UpdateCustomerRequest,
    @Meta() meta: RequestMeta,
  ): Promise<Customer> {
    const { email, name, metadata } = body;
    return this.services.send(
      RequestTopics.customers.update,
      meta,
      { id, email, name, metadata },
      id,
    );
  }

  @Delete(':id')
  @ApiOperation({ operationId: 'deleteCustomer', summary: 'Delete a customer' })
  @idParam
  @ApiSuccess(DeletedCustomerResponse, 'The customer is deleted.')
  @ApiErrors(404)
  async delete(@Param('id', customerId) id: string, @Meta() meta: RequestMeta): Promise<Deleted> {
    let deleted: Deleted;
    try {
      deleted = await this.services.send(RequestTopics.customers.delete, meta, { id }, id);
    } catch (error) {
      // Already deleted (or never there): a retry after a failure below still forgets.
      if (error instanceof ApiError && error.status === 404) {
        await this.idempotency.forgetResource(meta.merchantId, id);
      }
      throw error;
    }
    // The kept replies of its creation hold its personal data: they go with it.
    await this.idempotency.forgetResource(meta.merchantId, id);
    return deleted;
  }
}
