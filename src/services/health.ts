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

/**
 * Details for /health/ready (issue 13): how each koppeling's reading of TOPdesk went. A failing
 * TOPdesk does not make this service unready; it is told here and on the koppeling.
 */
export async function topdeskDetails (db: Kysely<Database>): Promise<Array<{ koppeling: string, status: 'ok' | 'fout' | null, laatsteSucces: string | null, laatsteFout: string | null }>> {
  const rows = await db.selectFrom('koppeling').select(['id', 'topdesk_status', 'topdesk_laatste_succes', 'topdesk_laatste_fout'])
    .where('bron', '=', 'topdesk').where('topdesk_url', 'is not', null).orderBy('id').limit(100).execute()
  return rows.map((r) => ({ koppeling: r.id, status: r.topdesk_status, laatsteSucces: r.topdesk_laatste_succes?.toISOString() ?? null, laatsteFout: r.topdesk_status === 'fout' ? r.topdesk_laatste_fout : null }))
}
