import { ServiceClient } from '../forwarding/service-client';
import { ApiController } from '../http/api-controller.decorator';

/** Payments: validated here, decided by the payments service, scoped to the caller's merchant. */
@ApiController('payments', 'Payments')
export class PaymentsController {
  constructor(private readonly services: ServiceClient) {}
}
