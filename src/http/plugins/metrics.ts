import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'
import type { PoolStats } from '../../adapters/db/database.js'

/** What a background job reports of one run. */
export interface JobRun { readonly startedAt: number, readonly durationMs: number, readonly items: number, readonly ok: boolean }

export interface Metrics {
  readonly registry: Registry
  /** Records one run of a background job (`auto-close`). */
  jobRun: (job: string, run: JobRun) => void
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Prometheus metrics of this process (served by GET /metrics). */
    readonly metrics: Metrics
  }
}

/**
 * Metrics of this process in Prometheus form (issue 16): every answer per method, route template
 * and status, its duration per method and route, the database connections, the background jobs,
 * and Node's own (event loop, heap, GC). One registry per app, so tests' apps do not share one.
 * The figures of the data (meldingen, clocks, inbox) are read when /metrics is asked (routes/metrics.ts).
 */
export default fp(async function metrics (app: FastifyInstance, opts: { poolStats?: (() => PoolStats) | undefined }) {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })

  const requests = new Counter({ name: 'sla_http_requests_total', help: 'Answers given, per method, route template (unmatched for unknown paths) and status', labelNames: ['method', 'route', 'status'], registers: [registry] })
  const duration = new Histogram({
    name: 'sla_http_request_duration_seconds',
    help: 'Time from receiving a request to sending its answer, per method and route template',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry]
  })
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched'
    requests.inc({ method: request.method, route, status: String(reply.statusCode) })
    duration.observe({ method: request.method, route }, reply.elapsedTime / 1000)
  })

  const pool = opts.poolStats
  const poolGauge = (name: string, help: string, pick: (s: PoolStats) => number): void => {
    // eslint-disable-next-line no-new
    new Gauge({ name, help, registers: [registry], collect () { if (pool !== undefined) this.set(pick(pool())) } })
  }
  poolGauge('sla_db_pool_max', 'Database connections this process may open (DB_POOL_SIZE; 1 for the embedded database)', (s) => s.max)
  poolGauge('sla_db_pool_open', 'Database connections open', (s) => s.open)
  poolGauge('sla_db_pool_in_use', 'Database connections lent to a request or job', (s) => s.inUse)
  poolGauge('sla_db_pool_waiting', 'Requests waiting for a database connection', (s) => s.waiting)

  const jobRuns = new Counter({ name: 'sla_job_runs_total', help: 'Runs of a background job, per job (job_name: Prometheus keeps the label job for the scrape target) and result (ok, failed)', labelNames: ['job_name', 'result'], registers: [registry] })
  const jobItems = new Counter({ name: 'sla_job_items_total', help: 'Items a background job handled (auto-close: meldingen closed)', labelNames: ['job_name'], registers: [registry] })
  const lastRun = new Gauge({ name: 'sla_job_last_run_timestamp_seconds', help: 'When the last run of a background job started (Unix time)', labelNames: ['job_name'], registers: [registry] })
  const lastSuccess = new Gauge({ name: 'sla_job_last_success_timestamp_seconds', help: 'When the last successful run of a background job started (Unix time)', labelNames: ['job_name'], registers: [registry] })
  const lastDuration = new Gauge({ name: 'sla_job_last_duration_seconds', help: 'How long the last run of a background job took', labelNames: ['job_name'], registers: [registry] })
  const lastItems = new Gauge({ name: 'sla_job_last_items', help: 'Items the last run of a background job handled', labelNames: ['job_name'], registers: [registry] })

  app.decorate('metrics', {
    registry,
    jobRun: (job: string, run: JobRun) => {
      jobRuns.inc({ job_name: job, result: run.ok ? 'ok' : 'failed' })
      lastRun.set({ job_name: job }, run.startedAt / 1000)
      lastDuration.set({ job_name: job }, run.durationMs / 1000)
      if (run.ok) {
        lastSuccess.set({ job_name: job }, run.startedAt / 1000)
        lastItems.set({ job_name: job }, run.items)
        jobItems.inc({ job_name: job }, run.items)
      }
    }
  } satisfies Metrics)
}, { name: 'metrics' })
