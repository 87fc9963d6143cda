import underPressure from '@fastify/under-pressure'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { problem } from '../problem.js'
import { sendProblem } from './problem-handling.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** under-pressure's per-route handler; returning nothing lets the request through. */
    pressureHandler?: (request: FastifyRequest, reply: FastifyReply, type: string, value: number | undefined) => void
  }
}

/** Seconds a shed request is told to wait: a saturated process usually recovers within a few. */
export const SHED_RETRY_AFTER_S = 2

/**
 * Load shedding (issue 11): when the event loop lags more than `maxEventLoopDelayMs` (mean over
 * the last second), new requests get 503 problem+json with Retry-After at once instead of
 * joining a queue they would time out in. /health/live is never shed (a busy process is alive,
 * and an orchestrator would kill it); everything else is, /health/ready included, so a load
 * balancer sends traffic elsewhere. Off when `maxEventLoopDelayMs` is 0.
 */
export default fp(async function loadShedding (app: FastifyInstance, opts: { maxEventLoopDelayMs: number }) {
  if (opts.maxEventLoopDelayMs <= 0) return
  await app.register(underPressure, {
    maxEventLoopDelay: opts.maxEventLoopDelayMs,
    sampleInterval: 1_000,
    retryAfter: SHED_RETRY_AFTER_S,
    pressureHandler: (request, reply, type, value) => {
      request.log.warn({ type, value }, 'shedding load')
      sendProblem(request, reply, problem(503, 'the service is overloaded; try again after Retry-After seconds', undefined, { 'retry-after': String(SHED_RETRY_AFTER_S) }))
    }
  })
}, { name: 'load-shedding', dependencies: ['problem-handling'] })
