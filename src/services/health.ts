import type { Kysely } from 'kysely'
import { appliedMigrationCount } from '../adapters/db/migrations.js'
import type { Database } from '../adapters/db/schema.js'

/**
 * Readiness: the database answers within `timeoutMs` and has every migration applied. Resolves
 * to undefined when ready, else to why not; never waits longer than `timeoutMs` (a frozen
 * database never answers: the query itself stays bounded by the pool's timeouts).
 */
export async function notReadyBecause (db: Kysely<Database>, migrationCount: number, timeoutMs: number): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined
  const check = appliedMigrationCount(db)
  check.catch(() => {})   // a failure after the timeout is not unhandled
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => { reject(new Error(`the database did not answer within ${timeoutMs} ms`)) }, timeoutMs)
  })
  try {
    const applied = await Promise.race([check, late])
    return applied < migrationCount ? `${applied} of ${migrationCount} migrations applied` : undefined
  } catch (err) {
    return err instanceof Error ? err.message : String(err)
  } finally {
    clearTimeout(timer)
  }
}
