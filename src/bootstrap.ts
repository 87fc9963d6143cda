import { readdirSync } from 'node:fs'
import { openDatabase, type DatabaseHandle } from './adapters/db/database.js'
import { migrateToLatest, MIGRATIONS_DIR } from './adapters/db/migrations.js'
import { ensureBootstrapKey } from './adapters/db/sleutels-repository.js'
import { DEFAULT_DATABASE_LIMITS, type Config } from './config.js'

/** The number of migrations the code knows, so that readiness can tell whether all have run. */
export const migrationCount = (): number => readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).length

/**
 * Opens and migrates the database and makes the bootstrap key when asked: everything the app
 * needs before it can serve. On any failure the database is closed again and the error thrown.
 */
export async function prepareDatabase (config: Pick<Config, 'databaseUrl' | 'dataDir' | 'bootstrapKey'> & Partial<Pick<Config, 'database'>>): Promise<{ handle: DatabaseHandle, migrated: string[], bootstrapped: boolean }> {
  const limits = config.database ?? DEFAULT_DATABASE_LIMITS
  // On PostgreSQL migrations run on a connection of their own without the statement timeouts,
  // which are meant for requests: a migration on a large table may rightly take minutes.
  let migrated: string[] | undefined
  if (config.databaseUrl !== undefined && config.databaseUrl !== 'memory://') {
    const migrating = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, limits: { ...limits, statementTimeoutMs: 0, idleInTransactionTimeoutMs: 0, poolSize: 1 } })
    try { migrated = await migrateToLatest(migrating.db) } finally { await migrating.close() }
  }
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, limits })
  try {
    migrated ??= await migrateToLatest(handle.db)
    const bootstrapped = config.bootstrapKey === undefined ? false : await ensureBootstrapKey(handle.db, config.bootstrapKey)
    return { handle, migrated, bootstrapped }
  } catch (err) {
    await handle.close()
    throw err
  }
}
