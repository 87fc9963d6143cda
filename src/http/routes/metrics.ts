import type { FastifyPluginAsync } from 'fastify'
import { Gauge } from 'prom-client'
import { bedrijfsmetrieken } from '../../services/metrics.js'

export const METRICS_PATH = '/metrics'

/**
 * `GET /metrics` (issue 16): Prometheus text format, for a `beheerder` key or a `monitor` key
 * (Prometheus sends it with `authorization: { credentials_file: … }`). Outside /api/v1 and the
 * OpenAPI document, like the health routes. Besides what the process counts (plugins/metrics.ts)
 * it reports the data as of now: open meldingen per priority, their clocks and those at risk,
 * and the koppelingen's inbox, from one service call per scrape.
 */
const metricsRoute: FastifyPluginAsync = async (app) => {
  const registers = [app.metrics.registry]
  const open = new Gauge({ name: 'sla_meldingen_open', help: 'Open meldingen (not opgelost or gesloten), per priority', labelNames: ['prioriteit'], registers })
  const klokken = new Gauge({ name: 'sla_klokken', help: 'Clocks of the open meldingen now, per clock (reactie, functieherstel), priority and status (lopend, gepauzeerd, verlopen, behaald, nvt)', labelNames: ['klok', 'prioriteit', 'status'], registers })
  const risico = new Gauge({ name: 'sla_klokken_risico', help: 'Running clocks of open meldingen with less than the risk share of their norm left (the sla block\'s risico), per clock and priority', labelNames: ['klok', 'prioriteit'], registers })
  const berichten = new Gauge({ name: 'sla_koppeling_berichten', help: 'Messages the koppelingen\'s inbox has received since the start of the database, per tool and result (verwerkt, dubbel, fout); rises like a counter', labelNames: ['bron', 'resultaat'], registers })
  const laatste = new Gauge({ name: 'sla_koppeling_laatste_bericht_timestamp_seconds', help: 'When the inbox last received a message from a tool (Unix time)', labelNames: ['bron'], registers })
  const koppelingen = new Gauge({ name: 'sla_koppelingen', help: 'Koppelingen per tool', labelNames: ['bron'], registers })
  const scrape = new Gauge({ name: 'sla_metrics_query_duration_seconds', help: 'How long reading the figures of the data for this scrape took', registers })

  app.get(METRICS_PATH, { schema: { hide: true }, config: { access: ['beheerder', 'monitor'], produces: ['text/plain'] } }, async (_request, reply) => {
    const started = performance.now()
    const m = await bedrijfsmetrieken(app.db, app.clock())
    scrape.set((performance.now() - started) / 1000)
    for (const g of [open, klokken, risico, berichten, laatste, koppelingen]) g.reset()
    for (const r of m.openPerPrioriteit) open.set({ prioriteit: String(r.prioriteit) }, r.n)
    for (const r of m.klokken) klokken.set({ klok: r.klok, prioriteit: String(r.prioriteit), status: r.status }, r.n)
    for (const r of m.klokkenMetRisico) risico.set({ klok: r.klok, prioriteit: String(r.prioriteit) }, r.n)
    const last = new Map<string, number>()
    for (const r of m.berichten) {
      berichten.set({ bron: r.bron, resultaat: r.resultaat }, r.n)
      if (r.laatsteOntvangen !== null) last.set(r.bron, Math.max(last.get(r.bron) ?? 0, r.laatsteOntvangen))
    }
    for (const [bron, at] of last) laatste.set({ bron }, at / 1000)
    for (const r of m.koppelingen) koppelingen.set({ bron: r.bron }, r.n)
    return reply.type(app.metrics.registry.contentType).send(await app.metrics.registry.metrics())
  })
}

export default metricsRoute
