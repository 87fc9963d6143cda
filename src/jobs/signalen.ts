import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { periodically } from './periodic.js'
import { deliverDue, fireDue, signaleerVerplichtingen, type Verzenders } from '../services/signalen.js'

/** The SLA's other obligations are looked at about once a minute (their instants are dates, not seconds). */
const VERPLICHTINGEN_MS = 60_000

/**
 * Signalen (issue 14): every `intervalMs` fires the signals whose instant has come (the next
 * signal instant of each melding is stored and indexed) into the outbox, then delivers what is
 * due. Every instance may run it: meldingen and deliveries are taken with FOR UPDATE SKIP LOCKED
 * and a signal's key is unique in the outbox.
 */
export default fp(async function signalenJob (app: FastifyInstance, opts: { intervalMs: number, geheimenSleutel: Buffer | undefined, publicUrl: string, verzenders: Verzenders }) {
  let verplichtingenOp = -Infinity
  periodically(app, 'signalen job', opts.intervalMs, async () => {
    const fired = await fireDue(app.db, app.clock())
    if (fired > 0) app.log.info({ fired }, 'signals fired')
    if (app.clock() - verplichtingenOp >= VERPLICHTINGEN_MS) {
      verplichtingenOp = app.clock()
      const n = await signaleerVerplichtingen(app.db, app.clock())
      if (n > 0) app.log.info({ signalen: n }, 'obligation signals fired')
    }
    // Deliver in rounds while a full batch was due.
    for (let i = 0; i < 20; i++) {
      const n = await deliverDue(app.db, { sleutel: opts.geheimenSleutel, publicUrl: opts.publicUrl, verzenders: opts.verzenders }, app.clock())
      if (n < 50) break
    }
  })
}, { name: 'signalen', dependencies: ['database'] })
