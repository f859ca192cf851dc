// Generated hostile requests to every route of the gateway's OpenAPI document. Each must be
// answered, in time, with a documented 4xx in the API's error shape (or a 2xx where it was
// valid), and a refused request must write nothing.
//
//   FUZZ_RUNS   requests in all (400; `npm run fuzz` sends 10,000)
//   FUZZ_SEED   the base seed (pinned); lane n runs fast-check with FUZZ_SEED + n
//   FUZZ_LANES  merchants fuzzed side by side (2, or 8 past 1,000 requests)
//   FUZZ_LANE + FUZZ_PATH   replay one lane's failure from the seed and path it printed
//   FUZZ_SHRINK=1           shrink a failure to a smaller request (sends more requests)
import fc from 'fast-check';
import { api, createMerchant, startWebhookReceiver, testEnv, waitUntil } from '@finfusion/testing';
import type { WebhookReceiver } from '@finfusion/testing';
import {
  describeRequest,
  hostileRequests,
  type HostileRequest,
  type LaneContext,
} from './hostile-requests';
import { ALL_TEST_CARDS } from './hostile-values';
import { operationsOf, type OpenApiDocument, type Operation } from './openapi-operations';
import { sendRaw, type RawResponse } from './raw-http';
import { changed, WriteLedger, type MerchantWrites } from './write-ledger';

const SEED = Number(process.env.FUZZ_SEED ?? 20260515);
const RUNS = Number(process.env.FUZZ_RUNS ?? 400);
const LANES = Number(process.env.FUZZ_LANES ?? (RUNS > 1000 ? 8 : 2));
const ONLY_LANE = process.env.FUZZ_LANE === undefined ? undefined : Number(process.env.FUZZ_LANE);
const PATH = process.env.FUZZ_PATH;
const SHRINK = process.env.FUZZ_SHRINK === '1';

/** The e2e gateway's BODY_LIMIT_BYTES (its default). */
const BODY_LIMIT_BYTES = 65_536;
/** Under the e2e gateway's 40 requests per second per merchant. */
const PER_MERCHANT_PER_SECOND = 30;
/** Under AUTH_FAILURE_LIMIT (30 per 10 s per client address): every lane sends from 127.0.0.1. */
const AUTH_FAILURES_PER_WINDOW = 24;
const AUTH_FAILURE_WINDOW_MS = 10_000;

const ERROR_TYPES: Record<number, string[]> = {
  400: ['invalid_request_error', 'idempotency_error'],
  401: ['authentication_error'],
  402: ['card_error'],
  404: ['invalid_request_error'],
  405: ['invalid_request_error'],
  408: ['invalid_request_error'],
  409: ['idempotency_error'],
  413: ['invalid_request_error'],
  // A path segment or headers too long: refused before routing, in the same shape.
  414: ['invalid_request_error'],
  431: ['invalid_request_error'],
  415: ['invalid_request_error'],
  429: ['rate_limit_error'],
};

/** Refusals only the gateway decides, before any service: never kept under an Idempotency-Key. */
const GATEWAY_REFUSALS = new Set([
  'invalid_json',
  'invalid_body',
  'request_malformed',
  'parameter_missing',
  'parameter_unknown',
  'parameter_invalid',
  'idempotency_key_invalid',
  'api_key_missing',
  'api_key_invalid',
  'route_not_found',
  'method_not_allowed',
  'request_timeout',
  'body_too_large',
  'unsupported_media_type',
  'rate_limited',
]);

/** At most `count` calls in any `windowMs`. */
function pacer(count: number, windowMs: number): () => Promise<void> {
  const sent: number[] = [];
  return async () => {
    for (;;) {
      const now = Date.now();
      while (sent.length > 0 && (sent[0] ?? 0) <= now - windowMs) sent.shift();
      if (sent.length < count) {
        sent.push(now);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, (sent[0] ?? now) + windowMs + 1 - now));
    }
  };
}

const authFailurePace = pacer(AUTH_FAILURES_PER_WINDOW, AUTH_FAILURE_WINDOW_MS);

interface Stats {
  requests: number;
  mustRefuse: number;
  byStatus: Map<number, number>;
  byCode: Map<string, number>;
}

const stats: Stats = { requests: 0, mustRefuse: 0, byStatus: new Map(), byCode: new Map() };
const bump = <K>(map: Map<K, number>, key: K): void => {
  map.set(key, (map.get(key) ?? 0) + 1);
};

interface Merchant {
  merchantId: string;
  apiKey: string;
  own: Record<string, string[]>;
}

/** A merchant with a few resources of each kind, created through the API. */
async function merchantWithResources(receiver: WebhookReceiver): Promise<Merchant> {
  const { merchantId, apiKey } = await createMerchant();
  const client = api(apiKey);
  const created = async (path: string, body: unknown): Promise<string> => {
    const response = await client.post(path, body);
    if (response.status !== 200) {
      throw new Error(`POST ${path}: ${response.status} ${response.text}`);
    }
    return (response.body as { id: string }).id;
  };
  const endpoint = await created('/v2/webhooks', { url: receiver.url, events: ['*'] });
  const customers = [
    await created('/v2/customers', { email: `a.${merchantId}@example.com` }),
    await created('/v2/customers', { email: `b.${merchantId}@example.com`, name: 'Bé' }),
    await created('/v2/customers', { email: `c.${merchantId}@example.com` }),
  ];
  const card = { number: '4242424242424242', exp_month: 12, exp_year: 2035, cvc: '123' };
  const payments = [
    await created('/v2/payments', {
      amount: { value: 1000, currency: 'USD' },
      payment_method: { type: 'card', card },
      customer: customers[0],
    }),
    await created('/v2/payments', {
      amount: { value: 500, currency: 'JPY' },
      payment_method: { type: 'card', card },
    }),
  ];
  const delivery: string = await waitUntil(async () => {
    const page = await client.get(`/v2/webhooks/${endpoint}/deliveries`);
    return (page.body as { data?: { id: string }[] } | null)?.data?.[0]?.id ?? '';
  }, 30_000);
  return {
    merchantId,
    apiKey,
    own: { cust: customers, pay: payments, whk: [endpoint], whd: [delivery] },
  };
}

/** The problems with one answer to one generated request; none when it is as documented. */
function problemsWith(
  generated: HostileRequest,
  response: RawResponse,
  context: { refused: boolean },
): string[] {
  const problems: string[] = [];
  const { status } = response;
  if (status >= 500) problems.push(`answered ${status}`);
  if (!/^req_[0-9A-Za-z]+$/.test(response.headers['request-id'] ?? '')) {
    problems.push('no Request-Id header');
  }
  if (status >= 400 && status < 500) {
    const allowed = ERROR_TYPES[status];
    const error = (response.body as { error?: Record<string, unknown> } | null)?.error;
    if (allowed === undefined) problems.push(`${status} is not a documented status`);
    if (error === undefined || typeof error !== 'object') {
      problems.push('an error without the error shape');
    } else {
      if (allowed !== undefined && !allowed.includes(String(error.type))) {
        problems.push(`error.type ${String(error.type)} with ${status}`);
      }
      for (const field of ['code', 'message', 'request_id'] as const) {
        if (typeof error[field] !== 'string') problems.push(`error.${field} is not a string`);
      }
      if (error.request_id !== response.headers['request-id']) {
        problems.push('error.request_id is not the Request-Id header');
      }
    }
    if (status === 429 && !/^\d+$/.test(response.headers['retry-after'] ?? '')) {
      problems.push('429 without Retry-After');
    }
    if (status === 405 && response.headers.allow === undefined) problems.push('405 without Allow');
  }
  if (generated.mustRefuse.length > 0 && !context.refused) {
    problems.push(`accepted (${status}) though it must be refused`);
  }
  if (status === 402 && generated.operation !== 'POST /v2/payments') {
    problems.push('402 outside payment creation');
  }
  const sent = `${generated.request.path} ${generated.request.body ?? ''} ${generated.request.headers.map(([, v]) => v).join(' ')}`;
  for (const card of ALL_TEST_CARDS) {
    if (sent.includes(card) && response.text.includes(card)) {
      problems.push('the answer repeats a card number');
    }
  }
  if (/\bat .+\.(js|ts):\d+/.test(response.text)) problems.push('the answer carries a stack trace');
  return problems;
}

const errorCodeOf = (response: RawResponse): string | undefined => {
  const code = (response.body as { error?: { code?: unknown } } | null)?.error?.code;
  return typeof code === 'string' ? code : undefined;
};

class Lane {
  private writes: MerchantWrites | undefined;
  private readonly keysKept = new Set<string>();
  private lastKey: string | undefined;
  private readonly pace = pacer(PER_MERCHANT_PER_SECOND, 1000);

  constructor(
    readonly index: number,
    private readonly merchant: Merchant,
    readonly context: LaneContext,
    private readonly ledger: WriteLedger,
  ) {}

  requests(operations: Operation[]): fc.Arbitrary<HostileRequest> {
    return hostileRequests(operations, this.context, () => this.lastKey).map((generated) =>
      Object.assign(generated, { [fc.toStringMethod]: () => describeRequest(generated) }),
    );
  }

  close(): Promise<void> {
    return this.ledger.close();
  }

  async check(generated: HostileRequest): Promise<void> {
    const key = generated.idempotencyKey;
    // A key that left no record before is new to the gateway, even if a refused request sent it.
    const fresh = key !== undefined && !this.keysKept.has(key);
    this.writes ??= (await this.ledger.read(this.merchant.merchantId, undefined)).writes;
    await this.pace();
    if (!generated.authenticated) await authFailurePace();
    let response: RawResponse;
    try {
      response = await sendRaw(testEnv.gatewayUrl, generated.request);
    } catch (error) {
      throw new Error(`no answer (${String(error)})\n${describeRequest(generated)}`);
    }
    const after = await this.ledger.read(this.merchant.merchantId, key);
    const refused = response.status >= 400 && response.status !== 402;
    const problems = problemsWith(generated, response, { refused });

    const wrote = changed(this.writes, after.writes);
    const record = after.key;
    let keptKey = false;
    if (fresh && record !== undefined) {
      keptKey = true;
      const code = errorCodeOf(response);
      if (record.state !== 'completed')
        problems.push('its Idempotency-Key record stays in progress');
      else if (record.status !== response.status) {
        problems.push(`its Idempotency-Key keeps ${String(record.status)}, not ${response.status}`);
      } else if (refused && code !== undefined && GATEWAY_REFUSALS.has(code)) {
        problems.push(`its Idempotency-Key keeps a refusal the gateway decided (${code})`);
      }
    }
    if (refused) {
      const unexplained = wrote.filter((k) => !(k === 'gatewayKeys' && keptKey));
      if (unexplained.length > 0) problems.push(`refused, yet wrote ${unexplained.join(', ')}`);
    }
    this.writes = after.writes;
    if (key !== undefined) {
      if (record !== undefined) this.keysKept.add(key);
      this.lastKey = key;
    }

    stats.requests++;
    if (generated.mustRefuse.length > 0) stats.mustRefuse++;
    bump(stats.byStatus, response.status);
    bump(stats.byCode, errorCodeOf(response) ?? String(response.status));

    if (problems.length > 0) {
      throw new Error(
        [
          problems.join('; '),
          describeRequest(generated),
          `answer: ${response.status} in ${response.ms} ms ${response.text.slice(0, 500)}`,
        ].join('\n'),
      );
    }
  }
}

describe('the gateway under hostile input', () => {
  let operations: Operation[];
  let receiver: WebhookReceiver;
  let lanes: Lane[];
  let ledger: WriteLedger;
  let bystander: Merchant;
  let bystanderWrites: MerchantWrites;
  const startedAt = Date.now();

  beforeAll(async () => {
    const document = await api().get('/openapi.json');
    operations = operationsOf(document.body as OpenApiDocument);
    receiver = await startWebhookReceiver();
    // A merchant no lane sends as: its ids are another merchant's to every lane.
    const merchants = await Promise.all(
      Array.from({ length: LANES + 1 }, () => merchantWithResources(receiver)),
    );
    bystander = merchants.pop() as Merchant;
    ledger = await WriteLedger.open();
    bystanderWrites = (await ledger.read(bystander.merchantId, undefined)).writes;
    lanes = await Promise.all(
      merchants.map(async (merchant, index) => {
        const context: LaneContext = {
          apiKey: merchant.apiKey,
          own: merchant.own,
          foreign: bystander.own,
          receiverUrl: receiver.url,
          bodyLimitBytes: BODY_LIMIT_BYTES,
        };
        return new Lane(index, merchant, context, await WriteLedger.open());
      }),
    );
  }, 180_000);

  afterAll(async () => {
    await receiver.close();
    await ledger.close();
    const seconds = (Date.now() - startedAt) / 1000;
    const top = (map: Map<string | number, number>) =>
      [...map.entries()]
        .sort((a, b) => b[1] - a[1])
        .map(([k, n]) => `${k}: ${n}`)
        .join(', ');
    // eslint-disable-next-line no-console -- the run's summary: requests, time, answers
    console.log(
      `hostile input: ${stats.requests} requests (${stats.mustRefuse} invalid for certain) in ` +
        `${seconds.toFixed(0)} s over ${LANES} merchants, seed ${SEED}\n` +
        `  statuses: ${top(stats.byStatus)}\n  codes: ${top(stats.byCode)}`,
    );
  });

  it('lists the routes to fuzz from the OpenAPI document', () => {
    expect(operations.length).toBeGreaterThanOrEqual(16);
    expect(operations.map((o) => `${o.method} ${o.template}`)).toContain('POST /v2/payments');
  });

  const perLane = Math.ceil(RUNS / LANES);
  it(
    `answers ${RUNS} generated requests as documented, and writes nothing for a refusal`,
    async () => {
      const chosen = lanes.filter((lane) => ONLY_LANE === undefined || lane.index === ONLY_LANE);
      await Promise.all(
        chosen.map(async (lane) => {
          const seed = SEED + lane.index;
          try {
            await fc.assert(
              fc.asyncProperty(lane.requests(operations), (generated) => lane.check(generated)),
              {
                seed,
                numRuns: perLane,
                path: PATH,
                endOnFailure: !SHRINK,
                includeErrorInReport: true,
              },
            );
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            throw new Error(
              `lane ${lane.index} failed: replay with FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} ` +
                `FUZZ_LANE=${lane.index} FUZZ_PATH=<path below>\n${message}`,
            );
          }
        }),
      );
      // The suite must reach validation, not only the rate limits.
      const limited = stats.byStatus.get(429) ?? 0;
      expect(limited).toBeLessThan(stats.requests * 0.1);
      const accepted = [...stats.byStatus].filter(([s]) => s < 300).reduce((n, [, c]) => n + c, 0);
      expect(accepted).toBeGreaterThan(stats.requests * 0.05);
      // Nothing written in the name of a merchant no request authenticated as.
      const after = (await ledger.read(bystander.merchantId, undefined)).writes;
      expect(changed(bystanderWrites, after)).toEqual([]);
    },
    Math.max(180_000, perLane * 200 + 120_000),
  );

  afterAll(async () => {
    await Promise.all(lanes.map((lane) => lane.close()));
  });
});
