import { mkdirSync } from 'node:fs'
import { PGlite } from '@electric-sql/pglite'
import { Kysely, PostgresDialect, type DatabaseConnection, type Dialect, type Driver, type PostgresPool, type PostgresPoolClient, type TransactionSettings } from 'kysely'
import { PGliteDialect } from 'kysely-pglite-dialect'
import pg from 'pg'
import { DEFAULT_DATABASE_LIMITS, type DatabaseLimits } from '../../config.js'
import type { Database } from './schema.js'
import { DatabaseBusyError } from './unavailable.js'

const DATE_OID = 1082
const INT8_OID = 20

// pg and PGlite disagree on `date` (local vs UTC midnight) and `int8` (string vs number): make
// both return the text Postgres sent, so the code above sees one shape (TOOLCHAIN.md).
pg.types.setTypeParser(DATE_OID, (v: string) => v)
pg.types.setTypeParser(INT8_OID, (v: string) => v)

export type DatabaseKind = 'postgres' | 'pglite'

/** How busy the connections are right now, for /metrics. */
export interface PoolStats {
  /** Connections this process may open (DB_POOL_SIZE; 1 for the embedded database). */
  readonly max: number
  /** Connections open now, and of those the ones lent to a request or job. */
  readonly open: number
  readonly inUse: number
  /** Requests waiting for a connection. */
  readonly waiting: number
}

export interface DatabaseHandle {
  readonly db: Kysely<Database>
  readonly kind: DatabaseKind
  /** The pool's state now (absent on handles made by hand in tests). */
  readonly poolStats?: () => PoolStats
  /** Closes the pool or the embedded database. */
  close: () => Promise<void>
}

/**
 * Opens the database: Postgres through `pg` when `databaseUrl` is a postgres URL; otherwise the
 * embedded PGlite, in memory for `memory://` and else in `dataDir` (created when missing).
 * `limits` bound every wait on the database (README, Operating it); `poolSize` overrides theirs.
 */
export async function openDatabase (opts: { databaseUrl: string | undefined, dataDir: string, poolSize?: number, limits?: Partial<DatabaseLimits> }): Promise<DatabaseHandle> {
  const limits: DatabaseLimits = { ...DEFAULT_DATABASE_LIMITS, ...opts.limits, ...(opts.poolSize === undefined ? {} : { poolSize: opts.poolSize }) }
  if (opts.databaseUrl !== undefined && opts.databaseUrl !== 'memory://') {
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: limits.poolSize,
      // Both connecting a new connection (a frozen server accepts TCP but never answers) and
      // waiting for a free one when all are busy.
      connectionTimeoutMillis: limits.connectTimeoutMs,
      // Enforced by the server (it cancels the statement, 57014) …
      statement_timeout: limits.statementTimeoutMs,
      idle_in_transaction_session_timeout: limits.idleInTransactionTimeoutMs,
      // … and by the client a second later, for a server that cannot even cancel (frozen).
      // 0 turns both off (migrations).
      query_timeout: limits.statementTimeoutMs > 0 ? limits.statementTimeoutMs + 1_000 : 0
    })
    // An idle client's error (the server restarted) must not crash the process; the pool replaces it.
    pool.on('error', () => {})
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: discardingTimedOut(pool) }) })
    const poolStats = (): PoolStats => ({ max: limits.poolSize, open: pool.totalCount, inUse: pool.totalCount - pool.idleCount, waiting: pool.waitingCount })
    return { db, kind: 'postgres', poolStats, close: async () => { await db.destroy() } }
  }
  const parsers = { [DATE_OID]: (v: string) => v, [INT8_OID]: (v: string) => v }
  let client: PGlite
  if (opts.databaseUrl === 'memory://') {
    client = await PGlite.create({ parsers })
  } else {
    mkdirSync(opts.dataDir, { recursive: true })
    client = await PGlite.create(opts.dataDir, { parsers })
  }
  const drivers: BoundedDriver[] = []
  const db = new Kysely<Database>({ dialect: boundedQueue(new PGliteDialect(client), limits, drivers) })
  const poolStats = (): PoolStats => ({ max: 1, open: client.closed ? 0 : 1, inUse: drivers.some((d) => d.busy) ? 1 : 0, waiting: drivers.reduce((n, d) => n + d.waiting, 0) })
  // Kysely's destroy does not close a PGlite it was handed: close it here.
  return { db, kind: 'pglite', poolStats, close: async () => { await db.destroy(); if (!client.closed) await client.close() } }
}

/**
 * A pool whose connections are thrown away, not reused, once a statement on them went
 * unanswered (pg's `query_timeout`) or the connection broke: that statement may still be running
 * or the server frozen, and everything sent after it on that connection would wait behind it.
 * Later statements on such a connection (the rollback) fail at once instead of waiting out a
 * timeout of their own.
 */
function discardingTimedOut (pool: pg.Pool): PostgresPool {
  return {
    connect: async () => {
      const client = await pool.connect()
      let broken: Error | undefined
      // A checked-out client whose server goes away emits 'error' (pg-pool listens only while it
      // is idle): without a listener that would crash the process. Note it; the query fails too.
      const onError = (err: Error): void => { broken = err }
      client.on('error', onError)
      const guarded = {
        query: (sqlOrCursor: unknown, parameters?: readonly unknown[]) => {
          if (typeof sqlOrCursor !== 'string') return client.query(sqlOrCursor as never)
          if (broken !== undefined) return Promise.reject(broken)
          return client.query(sqlOrCursor, parameters as unknown[]).catch((err: unknown) => {
            if (err instanceof Error && err.message === 'Query read timeout') broken = err
            throw err
          })
        },
        release: (destroy?: boolean) => { client.removeListener('error', onError); client.release(broken ?? destroy === true) }
      }
      return guarded as unknown as PostgresPoolClient
    },
    end: async () => { await pool.end() }
  }
}

/**
 * The embedded database has one connection, and kysely-pglite-dialect queues every request for
 * it without limit, so under load a request could wait minutes behind others' reads and writes
 * (issue 11). This gate in front of it lets at most `queueMax` wait, each at most
 * `queueTimeoutMs`; the rest get a DatabaseBusyError (503 with Retry-After) at once. It hands the
 * connection on through the event loop (see #handOver), so that waiting never starves the loop.
 */
function boundedQueue (inner: Dialect, limits: Pick<DatabaseLimits, 'queueMax' | 'queueTimeoutMs'>, drivers: BoundedDriver[]): Dialect {
  return {
    createAdapter: () => inner.createAdapter(),
    createQueryCompiler: () => inner.createQueryCompiler(),
    createIntrospector: (db) => inner.createIntrospector(db),
    createDriver: () => { const d = new BoundedDriver(inner.createDriver(), limits); drivers.push(d); return d }
  }
}

class BoundedDriver implements Driver {
  #busy = false
  readonly #waiting: Array<{ resolve: () => void, timer: NodeJS.Timeout }> = []

  constructor (private readonly inner: Driver, private readonly limits: Pick<DatabaseLimits, 'queueMax' | 'queueTimeoutMs'>) {}

  /** Whether the connection is lent out, and how many wait for it (for /metrics). */
  get busy (): boolean { return this.#busy }
  get waiting (): number { return this.#waiting.length }

  async init (): Promise<void> { await this.inner.init() }

  async acquireConnection (): Promise<DatabaseConnection> {
    if (this.#busy) {
      if (this.#waiting.length >= this.limits.queueMax) {
        throw new DatabaseBusyError(`the embedded database has ${this.#waiting.length} requests waiting already`)
      }
      // The connection is handed over on release with #busy still true.
      await new Promise<void>((resolve, reject) => {
        const waiter = {
          resolve,
          timer: setTimeout(() => {
            this.#waiting.splice(this.#waiting.indexOf(waiter), 1)
            reject(new DatabaseBusyError(`the embedded database was busy for ${this.limits.queueTimeoutMs} ms`))
          }, this.limits.queueTimeoutMs)
        }
        this.#waiting.push(waiter)
      })
    }
    this.#busy = true
    try {
      return await this.inner.acquireConnection()
    } catch (err) {
      this.#handOver()
      throw err
    }
  }

  async releaseConnection (connection: DatabaseConnection): Promise<void> {
    try {
      await this.inner.releaseConnection(connection)
    } finally {
      this.#handOver()
    }
  }

  #handOver (): void {
    const next = this.#waiting.shift()
    if (next === undefined) { this.#busy = false; return }
    clearTimeout(next.timer)
    // Through the event loop, not as a microtask: PGlite runs in this thread and its promises
    // resolve at once, so handing over directly chained every waiting request's queries and
    // computation into one stretch that never let the loop read a request, send an answer or
    // fire a timeout (under 200 connections: stretches of 14 s, requests over 30 s).
    setImmediate(next.resolve)
  }

  async beginTransaction (c: DatabaseConnection, s: TransactionSettings): Promise<void> { await this.inner.beginTransaction(c, s) }
  async commitTransaction (c: DatabaseConnection): Promise<void> { await this.inner.commitTransaction(c) }
  async rollbackTransaction (c: DatabaseConnection): Promise<void> { await this.inner.rollbackTransaction(c) }
  async destroy (): Promise<void> {
    for (const w of this.#waiting.splice(0)) clearTimeout(w.timer)
    await this.inner.destroy()
  }
}
