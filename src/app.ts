import { randomUUID } from 'node:crypto'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Ajv, type Options as AjvOptions } from 'ajv'
import { createRequire } from 'node:module'
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import type { DatabaseHandle } from './adapters/db/database.js'
import type { Config } from './config.js'
import auth from './http/plugins/auth.js'
import database from './http/plugins/database.js'
import httpHeaders, { standardHeaders } from './http/plugins/http-headers.js'
import openapi from './http/plugins/openapi.js'
import loadShedding from './http/plugins/load-shedding.js'
import problemHandling from './http/plugins/problem-handling.js'
import strictText, { frameworkErrors } from './http/plugins/strict-text.js'
import health from './http/routes/health.js'
import root from './http/routes/root.js'
import docs from './http/routes/docs.js'
import metricsRoute from './http/routes/metrics.js'
import metrics from './http/plugins/metrics.js'
import contracten from './http/routes/contracten/index.js'
import diensten from './http/routes/diensten/index.js'
import gebruikersopgaven from './http/routes/gebruikersopgaven/index.js'
import rapportages from './http/routes/rapportages/index.js'
import restoretests from './http/routes/restoretests/index.js'
import kalender from './http/routes/kalender/index.js'
import koppelingen from './http/routes/koppelingen/index.js'
import meldingen from './http/routes/meldingen/index.js'
import leveranciers from './http/routes/leveranciers/index.js'
import sleutels from './http/routes/sleutels/index.js'
import verplichtingen from './http/routes/verplichtingen/index.js'
import abonnementen from './http/routes/abonnementen/index.js'
import { addApiFormats } from './http/formats.js'
import { buildSerializerFactory } from './http/serializer.js'
import { SHARED_SCHEMAS } from './http/schemas/shared.js'
import autoClose from './jobs/auto-close.js'
import koppelingenJobs from './jobs/koppelingen.js'
import signalenJob from './jobs/signalen.js'
import { sendWebhook, smtpSender } from './adapters/delivery/senders.js'
import topdeskJobs, { type TopdeskJobOpties } from './jobs/topdesk.js'
import { API_VERSION } from './version.js'
import { DEFAULT_KOPPELINGEN } from './config.js'
import type { VerwerkingOpties } from './services/koppelingen.js'

// ajv-formats is CommonJS whose types describe an ES default export; require gives the function.
const addFormats = createRequire(import.meta.url)('ajv-formats') as (ajv: Ajv) => Ajv

export interface AppOptions {
  readonly config: Pick<Config, 'corsOrigins' | 'publicUrl'>
  /** An opened and migrated database; the caller closes it after the app. */
  readonly database: DatabaseHandle
  /** How many migrations exist, for readiness. */
  readonly migrationCount: number
  /** The time source: Date.now in the service; tests pass a fixed one, or say that they mean the real time. */
  readonly clock: () => number
  /** Run background jobs (automatic closing) every this many ms; off when absent (tests). */
  readonly jobsIntervalMs?: number
  /** A pino logger; none (silent) in tests. */
  readonly logger?: Logger
  /** Shed load (503) when the event loop lags more than this many ms; off when absent or 0 (tests). */
  readonly maxEventLoopDelayMs?: number
  /** Shed load (503) while this many requests are being worked on; off when absent or 0 (tests). */
  readonly maxInFlight?: number
  /** The AES-256 key of the koppelingen's secrets (server.ts resolves it); none: koppelingen answer 503. */
  readonly geheimenSleutel?: Buffer | undefined
  /**
   * Inbound koppeling messages: the answer's time budget (absent: the answer waits until the
   * message is processed, as tests that check outcomes want), only storing them (the job
   * processes), a test hook before processing, and the retention term of raw bodies (13 months).
   */
  readonly koppelingen?: Omit<VerwerkingOpties, 'bijFout'> & { readonly bewaartermijnMaanden?: number }
  /** Fire and deliver signals every this many ms (issue 14); off when absent (tests drive the services). */
  readonly signalenIntervalMs?: number
  /** SMTP_URL and SMTP_FROM for e-mail signals; none: e-mail deliveries fail and are retried. */
  readonly smtp?: { readonly url: string, readonly from: string } | undefined
  /** TOPdesk reading (issue 13): the reconciliation's interval and reading options; off when absent (tests call the services). */
  readonly topdesk?: Omit<TopdeskJobOpties, 'geheimenSleutel'>
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/

function ajv (coerceTypes: NonNullable<AjvOptions['coerceTypes']>): Ajv {
  const instance = new Ajv({ allErrors: true, removeAdditional: false, useDefaults: true, coerceTypes, strict: false })
  addFormats(instance)
  addApiFormats(instance)
  for (const s of SHARED_SCHEMAS) instance.addSchema(s)
  return instance
}

/**
 * Builds the application: plugins, then routes. It never listens and reads no environment, so
 * tests build it with their own database and config (server.ts does the rest).
 */
export async function buildApp (opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    // pino's Logger is a FastifyBaseLogger; saying so keeps the instance's logger type plain.
    ...(opts.logger === undefined ? { logger: false } : { loggerInstance: opts.logger as FastifyBaseLogger }),
    // Fastify's own two lines per request are off; the onResponse hook below logs one.
    logController: new LogController({ disableRequestLogging: true }),
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id']
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID()
    },
    bodyLimit: 1_048_576,
    return503OnClosing: true,
    // Responses are checked with the same formats as requests (src/http/serializer.ts).
    schemaController: { compilersFactory: { buildSerializer: buildSerializerFactory } },
    // A path that is not percent-encoded UTF-8 fails in the router, before any hook: answered as
    // a problem too, with the headers every answer has (found by fuzzing).
    frameworkErrors: (err, request, reply) => {
      reply.headers(standardHeaders(API_VERSION, request.id))
      frameworkErrors(err, request, reply)
    },
    routerOptions: { ignoreTrailingSlash: false, ignoreDuplicateSlashes: false }
  }).withTypeProvider<TypeBoxTypeProvider>()

  // Bodies are validated without type coercion (a number is no string); query strings and path
  // parameters arrive as text and are coerced. Every error is reported, not only the first.
  for (const s of SHARED_SCHEMAS) app.addSchema(s)
  const bodyAjv = ajv(false)
  const paramAjv = ajv('array')
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodyAjv : paramAjv).compile(schema))

  // One line per request, with its id and the key's id; never headers, so never a key.
  app.addHook('onResponse', async (request, reply) => {
    request.log.info({
      method: request.method,
      url: request.url,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
      keyId: request.principal?.keyId
    }, 'request')
  })

  await app.register(database, { handle: opts.database, clock: opts.clock })
  await app.register(metrics, { poolStats: opts.database.poolStats })
  // Registered first of the hooks, so that its headers are on every answer, also the 404, 405
  // and 406 that problem-handling's onRequest hook gives; and before auth: CORS adds its own
  // OPTIONS preflight route, which needs no key.
  await app.register(httpHeaders, { apiVersion: API_VERSION, corsOrigins: opts.config.corsOrigins })
  await app.register(problemHandling)
  await app.register(loadShedding, { maxEventLoopDelayMs: opts.maxEventLoopDelayMs ?? 0, maxInFlight: opts.maxInFlight ?? 0 })
  // JSON bodies (strict UTF-8) and the text of every body, query and path: one check for all routes.
  await app.register(strictText)
  await app.register(auth)
  await app.register(openapi, { apiVersion: API_VERSION, publicUrl: opts.config.publicUrl })
  await app.register(health, { migrationCount: opts.migrationCount })
  await app.register(root, { apiVersion: API_VERSION })
  await app.register(docs)
  await app.register(metricsRoute)
  const { bewaartermijnMaanden = DEFAULT_KOPPELINGEN.bewaartermijnMaanden, ...verwerking } = opts.koppelingen ?? {}
  if (opts.jobsIntervalMs !== undefined) {
    await app.register(autoClose, { intervalMs: opts.jobsIntervalMs })
    await app.register(koppelingenJobs, { intervalMs: opts.jobsIntervalMs, bewaartermijnMaanden })
  }
  if (opts.signalenIntervalMs !== undefined) {
    await app.register(signalenJob, {
      intervalMs: opts.signalenIntervalMs,
      geheimenSleutel: opts.geheimenSleutel,
      publicUrl: opts.config.publicUrl,
      verzenders: { webhook: sendWebhook, email: opts.smtp === undefined ? undefined : smtpSender(opts.smtp.url, opts.smtp.from) }
    })
  }
  if (opts.topdesk !== undefined) await app.register(topdeskJobs, { ...opts.topdesk, geheimenSleutel: opts.geheimenSleutel })
  await app.register(async (api) => {
    await api.register(leveranciers)
    await api.register(sleutels)
    await api.register(kalender)
    await api.register(contracten)
    await api.register(meldingen)
    await api.register(diensten)
    await api.register(rapportages)
    await api.register(gebruikersopgaven)
    await api.register(restoretests)
    await api.register(koppelingen, { geheimenSleutel: opts.geheimenSleutel, publicUrl: opts.config.publicUrl, verwerking, bewaartermijnMaanden })
    await api.register(verplichtingen)
    await api.register(abonnementen, { geheimenSleutel: opts.geheimenSleutel })
  }, { prefix: '/api/v1' })
  return app
}
