import { Writable } from 'node:stream'
import { sql } from 'kysely'
import { pino, type Logger } from 'pino'
import t from 'tap'
import { ensureBootstrapKey } from '../../src/adapters/db/sleutels-repository.js'
import { databaseUnavailable } from '../../src/adapters/db/unavailable.js'
import { buildApp } from '../../src/app.js'
import { migrationCount } from '../../src/bootstrap.js'
import { BOOTSTRAP, TEST_NOW } from '../helpers/app.js'
import { DB_KIND, freshDatabase } from '../helpers/database.js'

// Issue 11: a database that cannot serve (here: its every connection held by a transaction)
// answers 503 problem+json with Retry-After within its configured wait, never a hang or a 500,
// and serves again as soon as it can; /health/ready says so at warn level.
const WAIT_MS = 300

function capturingLogger (): { logger: Logger, lines: Array<{ level: number, msg: string }> } {
  const lines: Array<{ level: number, msg: string }> = []
  const stream = new Writable({ write (chunk, _enc, done) { lines.push(JSON.parse(String(chunk))); done() } })
  return { logger: pino({ level: 'info' }, stream), lines }
}

t.test('every connection held: 503 + Retry-After within the wait, then served again', async (t) => {
  const { handle } = await freshDatabase(t, { poolSize: 1, limits: { connectTimeoutMs: WAIT_MS, queueTimeoutMs: WAIT_MS, queueMax: 1 } })
  await ensureBootstrapKey(handle.db, BOOTSTRAP)
  const { logger, lines } = capturingLogger()
  const app = await buildApp({ config: { corsOrigins: [], publicUrl: 'https://localhost/api/v1' }, database: handle, migrationCount: migrationCount(), clock: () => TEST_NOW, logger })
  t.teardown(async () => { await app.close() })
  const get = async (url: string): Promise<{ status: number, headers: Record<string, unknown>, body: any, ms: number }> => {
    const t0 = performance.now()
    const r = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${BOOTSTRAP}` } })
    return { status: r.statusCode, headers: r.headers, body: r.body.startsWith('{') ? JSON.parse(r.body) : r.body, ms: performance.now() - t0 }
  }
  t.equal((await get('/api/v1/leveranciers')).status, 200, 'served before')

  let release = (): void => {}
  const held = new Promise<void>((resolve) => { release = resolve })
  const holding = handle.db.transaction().execute(async (trx) => { await sql`select 1`.execute(trx); await held })
  await new Promise((resolve) => setTimeout(resolve, 50))

  const [a, b] = await Promise.all([get('/api/v1/leveranciers'), get('/api/v1/leveranciers')])
  for (const r of [a, b]) {
    t.equal(r.status, 503, 'not a 500, not a hang')
    t.match(r.headers['content-type'], /^application\/problem\+json/)
    t.match(String(r.headers['retry-after']), /^[1-9]\d*$/, 'Retry-After in whole seconds')
    t.match(r.body, { status: 503, title: 'Service Unavailable', detail: /try again after Retry-After seconds/ })
    // Bounded by the configured wait: generous against a slow machine, far below a hang.
    t.ok(r.ms < WAIT_MS + 4_000, `answered in ${Math.round(r.ms)} ms`)
  }
  if (DB_KIND === 'pglite') t.ok(Math.min(a.ms, b.ms) < WAIT_MS, 'with queueMax 1 the second waiter is refused at once')

  const ready = await get('/health/ready')
  t.equal(ready.status, 503)
  t.match(String(ready.headers['retry-after']), /^[1-9]\d*$/)
  t.match(ready.headers['content-type'], /^application\/problem\+json/)
  const notReady = lines.filter((l) => l.msg === 'not ready')
  t.ok(notReady.length > 0 && notReady.every((l) => l.level === 40), '/health/ready logs its 503 at warn')
  t.ok(ready.ms < 2_000 + 4_000, `/health/ready answered in ${Math.round(ready.ms)} ms`)
  const readyId = String(ready.body.instance).split('#')[1]
  t.notOk(lines.some((l) => (l as { reqId?: string }).reqId === readyId && l.level >= 50), 'nothing about the readiness 503 at error level')

  release()
  await holding
  t.equal((await get('/api/v1/leveranciers')).status, 200, 'served again without a restart')
  t.equal((await get('/health/ready')).status, 200)
})

// statement_timeout is PostgreSQL's: PGlite runs one statement at a time in this process.
if (DB_KIND === 'postgres') t.test('a statement that runs past statement_timeout is a 503 case, not a 500 (PostgreSQL)', async (t) => {
  const { handle } = await freshDatabase(t, { migrate: false, limits: { statementTimeoutMs: 200 } })
  const err = await sql`select pg_sleep(3)`.execute(handle.db).then(() => undefined, (e: unknown) => e)
  t.equal((err as { code?: string } | undefined)?.code, '57014', 'the server cancelled it')
  t.equal(databaseUnavailable(err)?.reason, 'timeout')
  t.equal((await sql<{ n: number }>`select 1 as n`.execute(handle.db)).rows[0]?.n, 1, 'the connection serves the next statement')
})

t.test('a saturated process sheds load: 503 + Retry-After, /health/live still answers', async (t) => {
  const { handle } = await freshDatabase(t)
  await ensureBootstrapKey(handle.db, BOOTSTRAP)
  const app = await buildApp({ config: { corsOrigins: [], publicUrl: 'https://localhost/api/v1' }, database: handle, migrationCount: migrationCount(), clock: () => TEST_NOW, maxEventLoopDelayMs: 50 })
  t.teardown(async () => { await app.close() })
  await app.ready()
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/leveranciers', headers: { authorization: `Bearer ${BOOTSTRAP}` } })).statusCode, 200, 'served when idle')
  // Block the event loop as a CPU-bound burst would, then let under-pressure take its sample.
  const end = Date.now() + 1_500
  while (Date.now() < end) { /* busy */ }
  for (let i = 0; i < 40 && !app.isUnderPressure(); i++) await new Promise((resolve) => setTimeout(resolve, 50))
  t.ok(app.isUnderPressure(), 'the lag was seen')
  const shed = await app.inject({ method: 'GET', url: '/api/v1/leveranciers', headers: { authorization: `Bearer ${BOOTSTRAP}` } })
  t.equal(shed.statusCode, 503)
  t.equal(shed.headers['retry-after'], '2')
  t.match(shed.headers['content-type'], /^application\/problem\+json/)
  t.match(shed.json(), { status: 503, detail: /overloaded/ })
  t.equal((await app.inject({ method: 'GET', url: '/health/live' })).statusCode, 200, 'liveness is never shed')
})

t.test('at most maxInFlight requests are worked on; the next gets 503 + Retry-After at once', async (t) => {
  // One connection, so that the transaction below holds the database on PostgreSQL too.
  const { handle } = await freshDatabase(t, { poolSize: 1 })
  await ensureBootstrapKey(handle.db, BOOTSTRAP)
  const app = await buildApp({ config: { corsOrigins: [], publicUrl: 'https://localhost/api/v1' }, database: handle, migrationCount: migrationCount(), clock: () => TEST_NOW, maxInFlight: 1 })
  t.teardown(async () => { await app.close() })
  await app.ready()
  // One request held in flight: it waits for the database, which a transaction holds.
  let release = (): void => {}
  const held = new Promise<void>((resolve) => { release = resolve })
  const holding = handle.db.transaction().execute(async (trx) => { await sql`select 1`.execute(trx); await held })
  await new Promise((resolve) => setTimeout(resolve, 50))
  const first = app.inject({ method: 'GET', url: '/api/v1/leveranciers', headers: { authorization: `Bearer ${BOOTSTRAP}` } })
  await new Promise((resolve) => setTimeout(resolve, 50))
  const second = await app.inject({ method: 'GET', url: '/api/v1/leveranciers', headers: { authorization: `Bearer ${BOOTSTRAP}` } })
  t.equal(second.statusCode, 503)
  t.equal(second.headers['retry-after'], '2')
  t.match(second.json(), { status: 503, detail: /overloaded/ })
  t.equal((await app.inject({ method: 'GET', url: '/health/live' })).statusCode, 200, 'liveness is never shed')
  release()
  await holding
  t.equal((await first).statusCode, 200, 'the admitted request is served')
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/leveranciers', headers: { authorization: `Bearer ${BOOTSTRAP}` } })).statusCode, 200, 'its slot is free again')
})

t.test('a request whose client went away frees its in-flight slot', async (t) => {
  // One connection, so that the transaction below holds the database on PostgreSQL too.
  const { handle } = await freshDatabase(t, { poolSize: 1 })
  await ensureBootstrapKey(handle.db, BOOTSTRAP)
  const app = await buildApp({ config: { corsOrigins: [], publicUrl: 'https://localhost/api/v1' }, database: handle, migrationCount: migrationCount(), clock: () => TEST_NOW, maxInFlight: 1 })
  t.teardown(async () => { await app.close() })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/api/v1/leveranciers`
  const headers = { authorization: `Bearer ${BOOTSTRAP}` }
  let release = (): void => {}
  const held = new Promise<void>((resolve) => { release = resolve })
  const holding = handle.db.transaction().execute(async (trx) => { await sql`select 1`.execute(trx); await held })
  await new Promise((resolve) => setTimeout(resolve, 50))
  const aborted = new AbortController()
  const gone = fetch(url, { headers, signal: aborted.signal }).catch(() => 'aborted')
  await new Promise((resolve) => setTimeout(resolve, 200))
  aborted.abort()
  t.equal(await gone, 'aborted')
  release()
  await holding
  await new Promise((resolve) => setTimeout(resolve, 200))
  t.equal((await fetch(url, { headers })).status, 200, 'the next request is admitted, not shed')
})
