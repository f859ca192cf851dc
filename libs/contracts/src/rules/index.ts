export * from './echoable-text';
export * from './field-rule';
export * from './list.rules';
export * from './metadata.rules';
export * from './payment.rules';
export * from './refund.rules';
export * from './webhook.rules';
export * from './event.rules';
