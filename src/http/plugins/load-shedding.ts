import underPressure from '@fastify/under-pressure'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { problem } from '../problem.js'
import { sendProblem } from './problem-handling.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** under-pressure's per-route handler; returning nothing lets the request through. Set on
     * /health/live, which is never shed, by either measure. */
    pressureHandler?: (request: FastifyRequest, reply: FastifyReply, type: string, value: number | undefined) => void
  }
}

/** Seconds a shed request is told to wait: a saturated process usually recovers within a few. */
export const SHED_RETRY_AFTER_S = 2

/**
 * Load shedding (issue 11): when `maxInFlight` requests are being worked on already, or the event
 * loop lags more than `maxEventLoopDelayMs` (mean over the last second, by under-pressure), a new
 * request gets 503 problem+json with Retry-After at once instead of joining a queue it would time
 * out in. /health/live is never shed (a busy process is alive, and an orchestrator would kill
 * it); everything else is, /health/ready included, so a load balancer sends traffic elsewhere.
 * Each measure is off when its number is 0.
 */
export default fp(async function loadShedding (app: FastifyInstance, opts: { maxEventLoopDelayMs: number, maxInFlight: number }) {
  // One warn line a second at most, with how many were shed: a flood must not flood the log too.
  let shedSinceLog = 0
  let lastLog = 0
  const shed = (request: FastifyRequest, reply: FastifyReply, why: Record<string, unknown>): void => {
    shedSinceLog++
    const now = Date.now()
    if (now - lastLog >= 1_000) {
      request.log.warn({ ...why, shed: shedSinceLog }, 'shedding load')
      shedSinceLog = 0
      lastLog = now
    }
    sendProblem(request, reply, problem(503, 'the service is overloaded; try again after Retry-After seconds', undefined, { 'retry-after': String(SHED_RETRY_AFTER_S) }))
  }

  // At most maxInFlight requests are worked on at once: every admitted request shares one event
  // loop (and, embedded, one database connection), so past the point where the process is busy,
  // admitting more only makes every request slower (200 admitted at ~9 requests/s took about
  // 20 s each, some over 30 s). The others get an immediate 503 instead.
  if (opts.maxInFlight > 0) {
    let inFlight = 0
    const counted = new WeakSet<FastifyRequest>()
    app.addHook('onRequest', async (request, reply) => {
      if (request.routeOptions.config?.pressureHandler !== undefined) return
      if (inFlight >= opts.maxInFlight) { shed(request, reply, { type: 'inFlight', value: inFlight }); return reply }
      inFlight++
      counted.add(request)
      // Freed when the answer is sent, and also when the client goes away first: then neither
      // onResponse nor 'finish' may come, and a leaked slot would shed every request after.
      reply.raw.once('close', () => { if (counted.delete(request)) inFlight-- })
    })
    app.addHook('onResponse', async (request) => { if (counted.delete(request)) inFlight-- })
  }

  if (opts.maxEventLoopDelayMs <= 0) return
  await app.register(underPressure, {
    maxEventLoopDelay: opts.maxEventLoopDelayMs,
    sampleInterval: 1_000,
    retryAfter: SHED_RETRY_AFTER_S,
    pressureHandler: (request, reply, type, value) => { shed(request, reply, { type, value }) }
  })
}, { name: 'load-shedding', dependencies: ['problem-handling'] })
