import { randomUUID } from 'node:crypto';
import { EventSourcedStreams, type StreamState } from './command-handler';
import { ConcurrencyError, type StoredEvent } from './event-store';
import { useLogSchema } from './testing/log-schema.fixture';

const { schema, dataSource, store } = useLogSchema('cmd_test');

/** A counter: the smallest stream that has a state to decide on. */
type CounterEvent = { type: 'Added'; data: { by: number } } | { type: 'Reset'; data: object };
interface Counter {
  total: number;
}

const evolve = (state: Counter, event: CounterEvent): Counter =>
  event.type === 'Added' ? { total: state.total + event.data.by } : { total: 0 };

const read = (stored: StoredEvent): CounterEvent => {
  if (stored.type !== 'Added' && stored.type !== 'Reset') throw new Error(stored.type);
  return { type: stored.type, data: stored.data } as CounterEvent;
};

const counters = new EventSourcedStreams<Counter, CounterEvent>(dataSource, store, {
  initialState: { total: 0 },
  evolve,
  read,
  schemaVersion: 3,
  rowsFor: (_manager, next) => [
    {
      table: `"${schema}".totals`,
      row: { id: 'last', total: next.state.total, version: next.version },
      onConflict:
        'ON CONFLICT (id) DO UPDATE SET total = EXCLUDED.total, version = EXCLUDED.version',
    },
  ],
});

const metadata = { merchantId: 'mer_test', requestId: 'req_1' };
const add = (by: number) => (): CounterEvent[] => [{ type: 'Added', data: { by } }];

beforeAll(async () => {
  await dataSource.query(
    `CREATE TABLE "${schema}".totals (id text PRIMARY KEY, total int NOT NULL, version int NOT NULL)`,
  );
});

const totalsRow = async () => {
  const [row] = await dataSource.query<{ total: number; version: number }[]>(
    `SELECT total, version FROM "${schema}".totals WHERE id = 'last'`,
  );
  return row;
};

describe('EventSourcedStreams.handleCommand', () => {
  it('decides on the folded stream, appends at its version, and writes the new state’s rows in the same statement', async () => {
    const id = `c_${randomUUID()}`;
    await counters.handleCommand(id, add(2), { metadata });
    const after = await counters.handleCommand(
      id,
      (state) => [{ type: 'Added', data: { by: state.total * 10 } }],
      { metadata },
    );

    expect(after).toEqual({ state: { total: 22 }, version: 2 });
    expect(await counters.load(dataSource.manager, id)).toEqual(after);
    expect(await totalsRow()).toEqual({ total: 22, version: 2 });
    const stored = await store.readStream(dataSource.manager, id);
    expect(stored.map((e) => [e.type, e.schemaVersion, e.metadata])).toEqual([
      ['Added', 3, metadata],
      ['Added', 3, metadata],
    ]);
    expect(new Set(stored.map((e) => e.eventId)).size).toBe(2);
    expect(stored[0]?.eventId).toMatch(/^evt_/);
  });

  it('reads again and decides anew when another writer appended in between', async () => {
    const id = `c_${randomUUID()}`;
    await counters.handleCommand(id, add(1), { metadata });
    const seen: number[] = [];
    const after = await counters.handleCommand(
      id,
      (state) => {
        seen.push(state.total);
        return [{ type: 'Added', data: { by: 1 } }];
      },
      // The caller's copy is stale: the stream moved on since it was read.
      { metadata, from: { state: { total: 0 }, version: 0 } },
    );

    expect(seen).toEqual([0, 1]);
    expect(after).toEqual({ state: { total: 2 }, version: 2 });
  });

  it('gives up after `retries` lost races with the ConcurrencyError', async () => {
    const id = `c_${randomUUID()}`;
    await counters.handleCommand(id, add(1), { metadata });
    let decisions = 0;
    const racing = async (): Promise<StreamState<Counter>> =>
      counters.handleCommand(
        id,
        () => {
          decisions++;
          return [{ type: 'Added', data: { by: 1 } }];
        },
        { metadata, from: { state: { total: 0 }, version: 0 }, retries: 0 },
      );

    await expect(racing()).rejects.toBeInstanceOf(ConcurrencyError);
    expect(decisions).toBe(1);
    expect((await counters.load(dataSource.manager, id)).version).toBe(1);
  });

  it('appends nothing when the decision is no event', async () => {
    const id = `c_${randomUUID()}`;
    await counters.handleCommand(id, add(5), { metadata });
    const after = await counters.handleCommand(id, () => [], { metadata });

    expect(after).toEqual({ state: { total: 5 }, version: 1 });
    expect(await store.readStream(dataSource.manager, id)).toHaveLength(1);
  });

  it('writes nothing of a command whose rows fail: the events and the rows are one statement', async () => {
    const id = `c_${randomUUID()}`;
    await expect(
      counters.handleCommand(id, add(1), {
        metadata,
        alongside: [{ table: `"${schema}".totals`, row: { id: 'x', total: null, version: 1 } }],
      }),
    ).rejects.toThrow(/null value/);
    expect(await counters.load(dataSource.manager, id)).toEqual(counters.newStream);
  });
});
