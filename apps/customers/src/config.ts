import { KeyRing, Port, RelayServiceConfig } from '@finfusion/config';

/** The Postgres schema this service owns: its customers table and its event log (the outbox). */
export const CUSTOMERS_SCHEMA = 'customers';

/** Public, development-only key wrapping the customers' data keys: production refuses it. */
export const DEVELOPMENT_PERSONAL_DATA_KEYS =
  'development:ZGV2ZWxvcG1lbnQtb25seS1wZXJzb25hbC1kYXRhLWs=';

export class CustomersConfig extends RelayServiceConfig {
  @Port()
  PORT: number = 3002;

  /** Health and metrics (ServiceConfig): beside PORT, 100 above it. */
  override ADMIN_PORT: number = 3102;

  /**
   * Keys wrapping each customer's data key at rest (AES-256-GCM), as `id:key,id:key`: each key
   * is 32 random bytes in base64 or hex (`openssl rand -base64 32`). The first wraps new data
   * keys; every one unwraps the keys it wrapped, so keep an old one while keys wrapped with it
   * remain (docs/events.md#personal-data-and-erasure).
   */
  @KeyRing()
  PERSONAL_DATA_KEYS: string = DEVELOPMENT_PERSONAL_DATA_KEYS;
}
