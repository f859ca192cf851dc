import { connectToTestDatabase, type TestDatabaseClient } from '@finfusion/testing';

/**
 * What a merchant has written in every service, as digests of the columns a request can change
 * (not those that background work changes: delivery failures, expired secrets).
 */
export interface MerchantWrites {
  payments: string;
  refunds: string;
  customers: string;
  endpoints: string;
  secrets: string;
  serviceKeys: string;
  gatewayKeys: string;
}

export interface KeyRecord {
  state: string;
  status: number | null;
}

const WRITES_SQL = `
  SELECT
    (SELECT count(*) || ':' || coalesce(md5(string_agg(
        concat_ws('|', id, status, metadata::text, customer_id, amount_captured, amount_refunded,
                  canceled_at), ',' ORDER BY id)), '')
       FROM payments.payments WHERE merchant_id = $1) AS payments,
    (SELECT count(*) || ':' || coalesce(md5(string_agg(
        concat_ws('|', id, status, amount_value, metadata::text), ',' ORDER BY id)), '')
       FROM payments.refunds WHERE merchant_id = $1) AS refunds,
    (SELECT count(*) || ':' || coalesce(md5(string_agg(
        concat_ws('|', id, email, name, metadata::text, version, deleted_at), ',' ORDER BY id)), '')
       FROM customers.customers WHERE merchant_id = $1) AS customers,
    (SELECT count(*) || ':' || coalesce(md5(string_agg(
        concat_ws('|', id, url, events::text, metadata::text, deleted_at,
                  disabled_reason IS NOT DISTINCT FROM 'requested'), ',' ORDER BY id)), '')
       FROM webhooks.endpoints WHERE merchant_id = $1) AS endpoints,
    (SELECT coalesce(max(s.id), 0)::text FROM webhooks.endpoint_secrets s
       JOIN webhooks.endpoints e ON e.id = s.endpoint_id WHERE e.merchant_id = $1) AS secrets,
    (SELECT count(*)::text FROM payments.idempotency_keys WHERE merchant_id = $1) AS "serviceKeys",
    (SELECT count(*)::text FROM gateway.idempotency_keys WHERE merchant_id = $1) AS "gatewayKeys",
    (SELECT json_build_object('state', state, 'status', response_status)
       FROM gateway.idempotency_keys WHERE merchant_id = $1 AND key = $2) AS key_record`;

/** One connection that reads a merchant's writes after each request of a lane. */
export class WriteLedger {
  private constructor(private readonly client: TestDatabaseClient) {}

  static async open(): Promise<WriteLedger> {
    return new WriteLedger(await connectToTestDatabase());
  }

  async read(
    merchantId: string,
    key: string | undefined,
  ): Promise<{ writes: MerchantWrites; key: KeyRecord | undefined }> {
    const { rows } = await this.client.query(WRITES_SQL, [merchantId, key ?? '']);
    const { key_record: record, ...writes } = rows[0] as unknown as MerchantWrites & {
      key_record: KeyRecord | null;
    };
    return { writes, key: key === undefined || record === null ? undefined : record };
  }

  close(): Promise<void> {
    return this.client.end();
  }
}

/** The names of the digests that differ. */
export function changed(before: MerchantWrites, after: MerchantWrites): string[] {
  return (Object.keys(before) as (keyof MerchantWrites)[]).filter((k) => before[k] !== after[k]);
}
