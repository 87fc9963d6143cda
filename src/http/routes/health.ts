import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { notReadyBecause, topdeskDetails } from '../../services/health.js'
import { sendProblem } from '../plugins/problem-handling.js'
import { problem } from '../problem.js'

/** /health/ready answers within this, whatever the database does (a frozen one never answers). */
export const READY_TIMEOUT_MS = 2_000
/** What /health/ready's 503 tells the orchestrator (and anyone else) to wait before asking again. */
const READY_RETRY_AFTER_S = 5

/**
 * Liveness and readiness for the orchestrator (outside /api/v1 and the OpenAPI document).
 * Ready means: the database answers and every migration has run; the app is built only after
 * migrating, so that is a live query against the migration table. Not ready is an expected state
 * (the database restarts, an instance starts): logged at warn, not as a failed request.
 */
const health: FastifyPluginAsyncTypebox<{ migrationCount: number }> = async (app, opts) => {
  app.get('/health/live', { config: { access: 'public', pressureHandler: () => {} } }, async () => ({ status: 'ok' }))

  app.get('/health/ready', { config: { access: 'public' } }, async (request, reply) => {
    const why = await notReadyBecause(app.db, opts.migrationCount, READY_TIMEOUT_MS)
    if (why !== undefined) {
      request.log.warn({ why }, 'not ready')
      return sendProblem(request, reply, problem(503, 'the database does not answer or is not migrated', undefined, { 'retry-after': String(READY_RETRY_AFTER_S) }))
    }
    // Koppelingen reading TOPdesk (issue 13): how their last reading went; their failure is no unreadiness.
    const topdesk = await topdeskDetails(app.db).catch(() => [])
    return topdesk.length === 0 ? { status: 'ok' } : { status: 'ok', details: { topdesk } }
  })
}

export default health
