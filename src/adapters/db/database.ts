import { mkdirSync } from 'node:fs'
import { PGlite } from '@electric-sql/pglite'
import { Kysely, PostgresDialect } from 'kysely'
import { PGliteDialect } from 'kysely-pglite-dialect'
import pg from 'pg'
import type { Database } from './schema.js'

const DATE_OID = 1082
const INT8_OID = 20

// pg and PGlite disagree on `date` (local vs UTC midnight) and `int8` (string vs number): make
// both return the text Postgres sent, so the code above sees one shape (TOOLCHAIN.md).
pg.types.setTypeParser(DATE_OID, (v: string) => v)
pg.types.setTypeParser(INT8_OID, (v: string) => v)

export type DatabaseKind = 'postgres' | 'pglite'

export interface DatabaseHandle {
  readonly db: Kysely<Database>
  readonly kind: DatabaseKind
  /** Closes the pool or the embedded database. */
  close: () => Promise<void>
}

/**
 * Opens the database: Postgres through `pg` when `databaseUrl` is a postgres URL; otherwise the
 * embedded PGlite, in memory for `memory://` and else in `dataDir` (created when missing).
 */
export async function openDatabase (opts: { databaseUrl: string | undefined, dataDir: string, poolSize?: number }): Promise<DatabaseHandle> {
  if (opts.databaseUrl !== undefined && opts.databaseUrl !== 'memory://') {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10 })
    // An idle client's error (the server restarted) must not crash the process; the pool replaces it.
    pool.on('error', () => {})
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
    return { db, kind: 'postgres', close: async () => { await db.destroy() } }
  }
  const parsers = { [DATE_OID]: (v: string) => v, [INT8_OID]: (v: string) => v }
  let client: PGlite
  if (opts.databaseUrl === 'memory://') {
    client = await PGlite.create({ parsers })
  } else {
    mkdirSync(opts.dataDir, { recursive: true })
    client = await PGlite.create(opts.dataDir, { parsers })
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect(client) })
  // Kysely's destroy does not close a PGlite it was handed: close it here.
  return { db, kind: 'pglite', close: async () => { await db.destroy(); if (!client.closed) await client.close() } }
}
