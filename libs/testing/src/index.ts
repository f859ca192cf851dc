// Helpers for integration and end-to-end tests: real Postgres, Kafka and services, no mocks.
export {
  adminUrl,
  repoRoot,
  serviceNames,
  serviceUrl,
  testEnv,
  testLogDir,
  testAdminPorts,
  testPorts,
  TEST_PERSONAL_DATA_KEYS,
  TEST_REQUEST_SIGNING_KEYS,
  type ServiceName,
} from './env';
export { api, type ApiClient, type ApiResponse } from './api';
export { collectEvents, type CollectedEvent, type EventCollector } from './events';
export { publishRecords, type PublishedRecord } from './publish';
export { publicEvent, publishEvents } from './public-events';
export { createMerchant, type TestMerchant } from './merchants';
export { bodyOf, newMerchantId, requestOf } from './requests';
export { TEST_CARD_FAILURES, TEST_REFUND_FAILURES, uniqueCardNumber } from './cards';
export { connectToTestDatabase, openClient, query, type TestDatabaseClient } from './db';
export { connectAs, connectionAs, ensureLoginRoles, roleName, serviceRoleOf } from './roles';
export { waitUntil } from './wait';
export { secureBrokerPort, startSecureBroker, type SecureBroker } from './secure-broker';
export { openedPerFile } from './per-file';
export {
  restartService,
  serviceLogs,
  startService,
  stopService,
  whileFrozen,
  type StartOptions,
  type StopOptions,
} from './services';
export { undocumentedVariables } from './readme';
export {
  answer,
  startWebhookReceiver,
  type ReceivedWebhook,
  type WebhookReceiver,
  type WebhookResponder,
} from './webhook-receiver';
export {
  receivedSpans,
  startOtlpReceiver,
  type OtlpReceiver,
  type ReceivedSpan,
} from './otlp-receiver';
