import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { openDatabase, type DatabaseHandle } from '../../src/adapters/db/database.js'
import type { DatabaseLimits } from '../../src/config.js'
import { migrateToLatest } from '../../src/adapters/db/migrations.js'

interface Teardown { teardown: (fn: () => Promise<void> | void) => void }

/** Which database the suite runs on: real Postgres when DATABASE_URL is set, else PGlite. */
export const DB_KIND = process.env.DATABASE_URL === undefined || process.env.DATABASE_URL === 'memory://' ? 'pglite' : 'postgres'

/**
 * A fresh, migrated database for one test file: in-memory PGlite, or (with DATABASE_URL) a new
 * database on that Postgres server, dropped again at the end.
 */
export async function freshDatabase (t: Teardown, opts: { migrate?: boolean, poolSize?: number, limits?: Partial<DatabaseLimits> } = {}): Promise<{ handle: DatabaseHandle, url: string | undefined }> {
  const base = process.env.DATABASE_URL
  let url: string | undefined = 'memory://'
  if (DB_KIND === 'postgres' && base !== undefined) {
    const name = `sla_test_${randomBytes(6).toString('hex')}`
    const admin = new pg.Client({ connectionString: base })
    await admin.connect()
    await admin.query(`create database ${name}`)
    await admin.end()
    const u = new URL(base)
    u.pathname = `/${name}`
    url = u.toString()
    t.teardown(async () => {
      const a = new pg.Client({ connectionString: base })
      await a.connect()
      await a.query(`drop database if exists ${name} with (force)`)
      await a.end()
    })
  }
  // Tests check behaviour, not the service's waits: on a loaded machine a burst of concurrent
  // requests may wait longer than the 5 s defaults, which would turn into 503s. Tests of the
  // waits themselves pass their own limits.
  const limits = { connectTimeoutMs: 60_000, queueTimeoutMs: 60_000, queueMax: 100_000, ...opts.limits }
  const handle = await openDatabase({ databaseUrl: url, dataDir: '', ...(opts.poolSize === undefined ? {} : { poolSize: opts.poolSize }), limits })
  t.teardown(async () => { await handle.close() })
  if (opts.migrate !== false) await migrateToLatest(handle.db)
  return { handle, url: DB_KIND === 'postgres' ? url : undefined }
}
