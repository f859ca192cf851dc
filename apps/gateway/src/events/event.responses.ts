import { eventListSchema, eventSchema } from '@finfusion/contracts';
import { apiSchema } from '../docs/api-schema';

// The documented response bodies: the contracts' schema of the public event envelope, the one
// the webhooks and the event topics carry, under these names.

export const EventResponse = apiSchema('EventResponse', eventSchema);
export const EventListResponse = apiSchema('EventListResponse', eventListSchema);
