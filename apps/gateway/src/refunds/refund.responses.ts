import { refundFailureSchema, refundListSchema, refundSchema } from '@finfusion/contracts';
import { apiSchema } from '../docs/api-schema';

// The documented response bodies: the contracts' schemas of Refund & co., under these names.

export const RefundFailureResponse = apiSchema('RefundFailureResponse', refundFailureSchema);
export const RefundResponse = apiSchema('RefundResponse', refundSchema);
export const RefundListResponse = apiSchema('RefundListResponse', refundListSchema);
