import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { schoonBerichtenOp, verwerkAchtergebleven } from '../services/koppelingen.js'
import { periodically } from './periodic.js'

/**
 * Background jobs of the koppelingen (issue 12), at start and then every `intervalMs`:
 * - messages left `ontvangen` (a crash, a kill -9, a database failure while processing) are
 *   processed, per ticket in the tool's order;
 * - the bodies of messages older than the retention term are cleared (their SHA-256 and outcome stay).
 * Every instance may run them at once: a ticket being processed elsewhere is skipped (its advisory
 * lock is held), each message is re-read under its locks, and bodies are cleared in rows taken
 * with FOR UPDATE SKIP LOCKED; so nothing is done twice.
 */
export default fp(async function koppelingenJobs (app: FastifyInstance, opts: { intervalMs: number, bewaartermijnMaanden: number }) {
  periodically(app, 'koppelingen job', opts.intervalMs, async () => {
    const verwerkt = await verwerkAchtergebleven(app.db, app.clock())
    if (verwerkt > 0) app.log.info({ verwerkt }, 'inbound messages left unprocessed were processed')
    const opgeschoond = await schoonBerichtenOp(app.db, app.clock(), opts.bewaartermijnMaanden)
    if (opgeschoond > 0) app.log.info({ opgeschoond, maanden: opts.bewaartermijnMaanden }, 'bodies of inbound messages past the retention term cleared')
  })
}, { name: 'koppelingen-jobs', dependencies: ['database'] })
