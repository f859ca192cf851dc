// Every operation names its operationId in its @ApiOperation: `createPayment`, `listPaymentEvents`,
// the names an SDK generated from the document gives its methods. One that does not still gets a
// name of the same kind, from its handler and controller, rather than @nestjs/swagger's
// `PaymentsController_get`: `list` in EventsController is `listEvents`, `get` is `getEvent`.

/** The operationId of a handler whose @ApiOperation names none. */
export function conventionalOperationId(controllerKey: string, methodKey: string): string {
  const resource = controllerKey.replace(/Controller$/, '');
  if (methodKey === 'list') return `list${resource}`;
  return `${methodKey}${resource.replace(/s$/, '')}`;
}

/** The form every operationId takes: a verb and a noun, camelCase, letters only. */
export const OPERATION_ID = /^[a-z][A-Za-z]+$/;
