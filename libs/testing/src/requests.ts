import {
  newId,
  type RequestMeta,
  type ServiceReply,
  type ServiceRequest,
} from '@finfusion/contracts';

/** A merchant id no other test uses: services take the gateway's word for who is asking. */
export const newMerchantId = (): string => newId('mer');

/** A request as the gateway sends it to a service; `meta` adds or replaces fields. */
export const requestOf = <P>(
  merchantId: string,
  payload: P,
  meta: Partial<RequestMeta> = {},
): ServiceRequest<P> => {
  const requestId = newId('req');
  return { meta: { merchantId, requestId, correlationId: requestId, ...meta }, payload };
};

/** The body of a successful reply; a failure fails the test with the reply in the message. */
export const bodyOf = <B>(reply: ServiceReply<B>): B => {
  if (!reply.ok) throw new Error(`expected success, got ${JSON.stringify(reply)}`);
  return reply.body;
};
