// Baseline B0: the least an HTTP API that writes to Postgres can do per request. A bare Fastify
// server (no logging, no validation beyond JSON parsing) with a pg Pool of the size the services
// use, answering each POST /b0 with one `INSERT … RETURNING` into a scratch table. It runs as a
// child of the bench (forked with an IPC channel) and says {ready: port} when it listens.
//
// Environment: B0_PORT, B0_DATABASE_URL, B0_POOL_SIZE (10, the services' DATABASE_POOL_SIZE),
// B0_TABLE (created by the bench: id bigserial, body jsonb, created_at timestamptz).
import Fastify from 'fastify';
import pg from 'pg';

const B0_TABLE = process.env.B0_TABLE;

const port = Number(process.env.B0_PORT);
const pool = new pg.Pool({
  connectionString: process.env.B0_DATABASE_URL,
  max: Number(process.env.B0_POOL_SIZE ?? 10),
});
pool.on('error', () => {});

const app = Fastify({ logger: false });
app.post('/b0', async (request) => {
  const { rows } = await pool.query(
    `INSERT INTO ${B0_TABLE} (body) VALUES ($1) RETURNING id, created_at`,
    [JSON.stringify(request.body)],
  );
  return { id: rows[0].id, object: 'write', created_at: rows[0].created_at };
});

async function stop() {
  await app.close().catch(() => {});
  await pool.end().catch(() => {});
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('disconnect', stop); // the bench is gone: never outlive it

await app.listen({ host: '127.0.0.1', port });
process.send?.({ ready: port });
