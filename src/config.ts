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
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError'
  constructor (readonly variable: string, message: string) {
    super(`${variable}: ${message}`)
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

/** The `servers` URL of the committed OpenAPI document (npm run openapi). */
export const DEFAULT_PUBLIC_URL = 'https://localhost/api/v1'
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

  return { port, host: get('HOST') ?? '0.0.0.0', databaseUrl, dataDir: get('DATA_DIR') ?? './data', logLevel, bootstrapKey, corsOrigins, publicUrl }
}
