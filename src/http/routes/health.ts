import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { sql } from 'kysely'
import { problem } from '../problem.js'

/**
 * Liveness and readiness for the orchestrator (outside /api/v1 and the OpenAPI document).
 * Ready means: the database answers and every migration has run; the app is built only after
 * migrating, so that is a live query against the migration table.
 */
const health: FastifyPluginAsyncTypebox<{ migrationCount: number }> = async (app, opts) => {
  app.get('/health/live', { config: { access: 'public' } }, async () => ({ status: 'ok' }))

  app.get('/health/ready', { config: { access: 'public' } }, async () => {
    try {
      const r = await sql<{ n: string | number }>`select count(*) as n from schema_migratie`.execute(app.db)
      const applied = Number(r.rows[0]?.n ?? 0)
      if (applied < opts.migrationCount) throw new Error(`${applied} of ${opts.migrationCount} migrations applied`)
    } catch (err) {
      app.log.warn({ err }, 'not ready')
      throw problem(503, 'the database does not answer or is not migrated')
    }
    return { status: 'ok' }
  })
}

export default health
