import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { sql } from 'kysely'
import { closeDue } from '../services/meldingen.js'
import { periodically } from './periodic.js'

/**
 * Background jobs. Runs the automatic closing (R-SLU-2) at start and then every `intervalMs`. Every instance may
 * run it: the rows are taken with FOR UPDATE SKIP LOCKED, so no melding is closed twice, and a
 * closing records the exact instant, so a late run (after downtime) closes as the SLA says.
 */
export default fp(async function autoClose (app: FastifyInstance, opts: { intervalMs: number }) {
  let statsTimer: NodeJS.Timeout | undefined
  periodically(app, 'automatic closing', opts.intervalMs, async () => {
    const startedAt = Date.now()
    const t0 = performance.now()
    const record = (ok: boolean, items: number): void => { app.metrics.jobRun('auto-close', { startedAt, durationMs: performance.now() - t0, items, ok }) }
    let ids: string[]
    try {
      ids = await closeDue(app.db, app.clock())
    } catch (err) {
      record(false, 0)
      throw err
    }
    record(true, ids.length)
    if (ids.length > 0) app.log.info({ closed: ids.length }, 'meldingen closed automatically (R-SLU-2)')
  })
  // PostgreSQL's autovacuum keeps planner statistics fresh; embedded PGlite has no such
  // background process, and without statistics it scans whole tables. Analyze it ourselves.
  const analyze = (): void => {
    sql`analyze`.execute(app.db).catch((err: unknown) => { app.log.warn({ err }, 'analyze failed') })
  }
  app.addHook('onReady', async () => {
    if (app.dbKind === 'pglite') {
      analyze()
      statsTimer = setInterval(analyze, 10 * 60_000)
      statsTimer.unref()
    }
  })
  app.addHook('onClose', async () => {
    if (statsTimer !== undefined) clearInterval(statsTimer)
  })
}, { name: 'auto-close', dependencies: ['database', 'metrics'] })
