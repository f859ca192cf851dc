import { customerListSchema, customerSchema, deletedCustomerSchema } from '@finfusion/contracts';
import { apiSchema } from '../docs/api-schema';

// The documented response bodies: the contracts' schemas of Customer & co., under these names.

export const CustomerResponse = apiSchema('CustomerResponse', customerSchema);
export const CustomerListResponse = apiSchema('CustomerListResponse', customerListSchema);
export const DeletedCustomerResponse = apiSchema('DeletedCustomerResponse', deletedCustomerSchema);
