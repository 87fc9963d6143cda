import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { reconcileAll, runImporten, type TopdeskLeesOpties } from '../services/topdesk.js'

export interface TopdeskJobOpties {
  /** TOPDESK_INTERVAL_MS: the reconciliation, at start and then this often. */
  readonly intervalMs: number
  /** How often imports `bezig` are looked for (default 5 s): a new one starts soon, one a restart left is resumed. */
  readonly importIntervalMs?: number
  readonly geheimenSleutel: Buffer | undefined
  readonly lees?: TopdeskLeesOpties
}

/**
 * TOPdesk jobs (issue 13): the reconciliation of every koppeling with TOPdesk read access, and
 * history imports. Every instance may run them: a koppeling or an import is read by one instance
 * at a time (a lease in the database); a failing TOPdesk is recorded on the koppeling or the
 * import and retried next time, never a crash. Closing aborts the reading under way (the cursor
 * keeps what was processed).
 */
export default fp(async function topdeskJobs (app: FastifyInstance, opts: TopdeskJobOpties) {
  const abort = new AbortController()
  const lees: TopdeskLeesOpties = { ...opts.lees, signal: abort.signal }
  const timers: NodeJS.Timeout[] = []
  let closing = false
  const loop = (name: string, every: number, work: () => Promise<void>): void => {
    let running: Promise<void> | undefined
    const run = (): void => {
      if (running !== undefined || closing) return
      running = work().catch((err: unknown) => { if (!closing) app.log.error({ err }, `${name} failed; retried next interval`) }).finally(() => { running = undefined })
    }
    run()
    const t = setInterval(run, every)
    t.unref()
    timers.push(t)
    app.addHook('onClose', async () => { await running })
  }
  app.addHook('onReady', async () => {
    loop('TOPdesk reconciliation', opts.intervalMs, async () => {
      const out = await reconcileAll(app.db, opts.geheimenSleutel, app.clock(), lees)
      for (const [koppeling, t] of out) if (t !== undefined && t.gelezen > 0) app.log.info({ koppeling, ...t }, 'TOPdesk reconciled')
    })
    loop('TOPdesk import', opts.importIntervalMs ?? 5_000, async () => { await runImporten(app.db, opts.geheimenSleutel, app.clock, lees) })
  })
  app.addHook('preClose', async () => {
    closing = true
    for (const t of timers) clearInterval(t)
    abort.abort()
  })
}, { name: 'topdesk-jobs', dependencies: ['database'] })
