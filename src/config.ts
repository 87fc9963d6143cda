import { parseGeheimenSleutel } from './adapters/security/geheimen.js'

/**
 * The service's configuration, read from the environment once at start (API.md, Environment).
 * `loadConfig` is pure over the record it is given, so tests pass their own.
 */
export interface Config {
  readonly port: number
  readonly host: string
  /** A `postgres://` URL, `memory://` for in-memory PGlite, or undefined for PGlite in `dataDir`. */
  readonly databaseUrl: string | undefined
  readonly dataDir: string
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
  readonly bootstrapKey: string | undefined
  /** Origins allowed by CORS for the API (openapi.json allows every origin). */
  readonly corsOrigins: readonly string[]
  /** The URL under which clients reach `/api/v1`, for the OpenAPI `servers`: https, or http on localhost. */
  readonly publicUrl: string
  /** Bounds on waiting for the database, so that a database that is down, frozen or overloaded
   * gives a 503 in bounded time instead of a hang (README, Operating it). */
  readonly database: DatabaseLimits
  /** Shed load (503 + Retry-After) while the event loop lags more than this; 0 turns it off. */
  readonly maxEventLoopDelayMs: number
  /** Shed load (503 + Retry-After) while this many requests are being worked on; 0 turns it off. */
  readonly maxInFlight: number
  /**
   * SLA_GEHEIMEN_SLEUTEL: the AES-256 key that encrypts the koppelingen's shared secrets (issue 12).
   * Unset: a key file in DATA_DIR for the embedded database; on PostgreSQL no koppeling can be made.
   */
  readonly geheimenSleutel: Buffer | undefined
  /** Inbound koppeling messages (issue 12). */
  readonly koppelingen: KoppelingenConfig
  /** SMTP_URL (`smtp://…`, `smtps://…`) and SMTP_FROM for e-mail signals (issue 14); unset: no e-mail. */
  readonly smtp: { readonly url: string, readonly from: string } | undefined
  /** SIGNALEN_INTERVAL_MS: how often signals are fired and delivered (default 5 s). */
  readonly signalenIntervalMs: number
}

export interface KoppelingenConfig {
  /** KOPPELING_ANTWOORD_MS: the longest the answer to a tool waits for its message's processing before a 202. */
  readonly antwoordMs: number
  /** KOPPELING_VERWERKING: `direct` (at once) or `job` (only stored; the job processes: benchmarks, bulk loads). */
  readonly verwerking: 'direct' | 'job'
  /** BERICHTEN_BEWAARTERMIJN_MAANDEN: raw bodies are cleared after this many months. */
  readonly bewaartermijnMaanden: number
  /** TOPDESK_INTERVAL_MS: how often TOPdesk is read to reconcile (issue 13; default 5 minutes). */
  readonly topdeskIntervalMs?: number
}

export const DEFAULT_TOPDESK_INTERVAL_MS = 5 * 60_000

export const DEFAULT_KOPPELINGEN: KoppelingenConfig = { antwoordMs: 50, verwerking: 'direct', bewaartermijnMaanden: 13 }

export interface DatabaseLimits {
  /** PostgreSQL: connecting a new connection, and waiting for a free one in the pool (pg `connectionTimeoutMillis`). */
  readonly connectTimeoutMs: number
  /** PostgreSQL `statement_timeout`; the client gives up on an unanswered statement 1 s after it (`query_timeout`). */
  readonly statementTimeoutMs: number
  /** PostgreSQL `idle_in_transaction_session_timeout`. */
  readonly idleInTransactionTimeoutMs: number
  /** PostgreSQL: connections per process. */
  readonly poolSize: number
  /** Embedded database: the longest a request waits for the one connection before a 503. */
  readonly queueTimeoutMs: number
  /** Embedded database: how many requests may wait for the connection; one more gets a 503 at once. */
  readonly queueMax: number
}

export const DEFAULT_MAX_IN_FLIGHT = 32

export const DEFAULT_DATABASE_LIMITS: DatabaseLimits = {
  connectTimeoutMs: 5_000,
  statementTimeoutMs: 10_000,
  idleInTransactionTimeoutMs: 10_000,
  poolSize: 10,
  queueTimeoutMs: 5_000,
  queueMax: 500
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError'
  constructor (readonly variable: string, message: string) {
    super(`${variable}: ${message}`)
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

/** The `servers` URL of the committed OpenAPI document (npm run openapi): where `npm start` answers, so that an import into Postman or Swagger UI works as it is. */
export const DEFAULT_PUBLIC_URL = 'http://localhost:8080/api/v1'
const LOCAL_HTTP = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?\/api\/v1$/

/** Reads and validates the environment; throws a ConfigError naming the first bad variable. */
export function loadConfig (env: Readonly<Record<string, string | undefined>>): Config {
  const get = (name: string): string | undefined => {
    const v = env[name]
    return v === undefined || v.trim() === '' ? undefined : v.trim()
  }

  const portText = get('PORT') ?? '8080'
  const port = Number(portText)
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) throw new ConfigError('PORT', `'${portText}' is not a port number (1–65535)`)

  const databaseUrl = get('DATABASE_URL')
  if (databaseUrl !== undefined && databaseUrl !== 'memory://' && !/^postgres(ql)?:\/\/.+/.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL', 'must be a postgres:// or postgresql:// URL, or memory:// for an in-memory database')
  }

  const logLevel = (get('LOG_LEVEL') ?? 'info') as Config['logLevel']
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`)

  const bootstrapKey = get('SLA_BOOTSTRAP_KEY')
  if (bootstrapKey !== undefined && bootstrapKey.length < 24) {
    throw new ConfigError('SLA_BOOTSTRAP_KEY', 'must be at least 24 characters: it becomes a beheerder key')
  }

  const corsOrigins = (get('CORS_ORIGINS') ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '')
  for (const o of corsOrigins) {
    if (!/^https?:\/\/[^/\s]+$/.test(o)) throw new ConfigError('CORS_ORIGINS', `'${o}' is not an origin such as https://mijn.gemeente.nl`)
  }

  // Unset: where a local start answers, so that a Postman import of openapi.json works as it is.
  // Behind an ingress it is the https URL clients use; plain http only for this machine.
  const publicUrl = get('PUBLIC_URL') ?? `http://localhost:${port}/api/v1`
  if (!/^https:\/\/[^/\s]+\/api\/v1$/.test(publicUrl) && !LOCAL_HTTP.test(publicUrl)) {
    throw new ConfigError('PUBLIC_URL', 'must be an absolute https URL ending in /api/v1, such as https://sla.example.nl/api/v1 (http only for localhost, 127.0.0.1 or [::1])')
  }

  const int = (name: string, dflt: number, min: number, max: number, unit: string): number => {
    const text = get(name)
    if (text === undefined) return dflt
    const n = Number(text)
    if (!/^\d+$/.test(text) || n < min || n > max) throw new ConfigError(name, `'${text}' is not a whole number of ${unit} from ${min} to ${max}`)
    return n
  }
  const d = DEFAULT_DATABASE_LIMITS
  const database: DatabaseLimits = {
    connectTimeoutMs: int('DB_CONNECT_TIMEOUT_MS', d.connectTimeoutMs, 100, 600_000, 'ms'),
    statementTimeoutMs: int('DB_STATEMENT_TIMEOUT_MS', d.statementTimeoutMs, 100, 3_600_000, 'ms'),
    idleInTransactionTimeoutMs: int('DB_IDLE_IN_TRANSACTION_TIMEOUT_MS', d.idleInTransactionTimeoutMs, 100, 3_600_000, 'ms'),
    poolSize: int('DB_POOL_SIZE', d.poolSize, 1, 1000, 'connections'),
    queueTimeoutMs: int('DB_QUEUE_TIMEOUT_MS', d.queueTimeoutMs, 10, 600_000, 'ms'),
    queueMax: int('DB_QUEUE_MAX', d.queueMax, 1, 100_000, 'requests')
  }

  // Off by default: under-pressure reads an event loop blocked for a whole sample (one PDF report
  // renders synchronously for about a second) as an infinite delay, and then shed the next
  // requests of a service that was not overloaded at all (found by the live check in CI).
  // MAX_IN_FLIGHT and the database waits bound a saturated process without that false alarm.
  const maxEventLoopDelayMs = int('MAX_EVENT_LOOP_DELAY_MS', 0, 0, 60_000, 'ms')
  const maxInFlight = int('MAX_IN_FLIGHT', DEFAULT_MAX_IN_FLIGHT, 0, 100_000, 'requests')

  const geheimenText = get('SLA_GEHEIMEN_SLEUTEL')
  const geheimenSleutel = geheimenText === undefined ? undefined : parseGeheimenSleutel(geheimenText)
  if (geheimenText !== undefined && geheimenSleutel === undefined) {
    throw new ConfigError('SLA_GEHEIMEN_SLEUTEL', 'must be 32 random bytes as 64 hex digits or 43 base64url characters (openssl rand -hex 32)')
  }

  const smtpUrl = get('SMTP_URL')
  if (smtpUrl !== undefined && !/^smtps?:\/\/[^\s]+$/.test(smtpUrl)) throw new ConfigError('SMTP_URL', 'must be an smtp:// or smtps:// URL, such as smtp://user:pass@mail.example.nl:587')
  const smtpFrom = get('SMTP_FROM') ?? 'sla-monitor@localhost'
  const smtp = smtpUrl === undefined ? undefined : { url: smtpUrl, from: smtpFrom }
  const signalenIntervalMs = int('SIGNALEN_INTERVAL_MS', 5_000, 100, 3_600_000, 'ms')

  const verwerking = get('KOPPELING_VERWERKING') ?? DEFAULT_KOPPELINGEN.verwerking
  if (verwerking !== 'direct' && verwerking !== 'job') throw new ConfigError('KOPPELING_VERWERKING', 'must be direct or job')
  const koppelingen: KoppelingenConfig = {
    antwoordMs: int('KOPPELING_ANTWOORD_MS', DEFAULT_KOPPELINGEN.antwoordMs, 0, 60_000, 'ms'),
    verwerking,
    bewaartermijnMaanden: int('BERICHTEN_BEWAARTERMIJN_MAANDEN', DEFAULT_KOPPELINGEN.bewaartermijnMaanden, 1, 1200, 'months'),
    topdeskIntervalMs: int('TOPDESK_INTERVAL_MS', DEFAULT_TOPDESK_INTERVAL_MS, 10_000, 86_400_000, 'ms')
  }

  return { smtp, signalenIntervalMs, port, host: get('HOST') ?? '0.0.0.0', databaseUrl, dataDir: get('DATA_DIR') ?? './data', logLevel, bootstrapKey, corsOrigins, publicUrl, database, maxEventLoopDelayMs, maxInFlight, geheimenSleutel, koppelingen }
}
