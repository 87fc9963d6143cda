import { randomBytes } from 'node:crypto'
import { pino } from 'pino'
import { keyFileSleutel } from './adapters/security/geheimen.js'
import { buildApp } from './app.js'
import { migrationCount, prepareDatabase } from './bootstrap.js'
import { ConfigError, DEFAULT_TOPDESK_INTERVAL_MS, loadConfig } from './config.js'
import { VERSION } from './version.js'

/**
 * The process: reads the environment once, prepares the database, listens, and shuts down
 * gracefully on SIGTERM/SIGINT (stop accepting, finish in-flight requests, close the database).
 */
async function main (): Promise<void> {
  let config
  try {
    config = loadConfig(process.env)
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`sla-monitor: bad configuration: ${err.message}\n`)
      process.exit(2)
    }
    throw err
  }

  const logger = pino({
    level: config.logLevel,
    base: { service: 'sla-monitor', version: VERSION },
    // Belt and braces: nothing logs headers, but a key must never reach a log line.
    redact: { paths: ['req.headers.authorization', 'headers.authorization', 'authorization', 'sleutel', '*.sleutel'], censor: '[redacted]' }
  })

  const started = performance.now()
  const where = config.databaseUrl === undefined ? `embedded PGlite in ${config.dataDir}` : config.databaseUrl === 'memory://' ? 'in-memory PGlite' : 'PostgreSQL'
  let prepared
  try {
    prepared = await prepareDatabase(config)
  } catch (err) {
    logger.fatal({ err }, `cannot start: database (${where}) not ready`)
    process.exit(1)
  }
  const { handle, migrated, bootstrapped } = prepared
  if (migrated.length > 0) logger.info({ migrated }, 'migrations applied')
  if (bootstrapped) logger.info('bootstrap beheerder key created from SLA_BOOTSTRAP_KEY')

  // The key of the koppelingen's secrets: SLA_GEHEIMEN_SLEUTEL; else, for the embedded database,
  // a key file made once in DATA_DIR (it travels with the data); in memory a key for this run;
  // on PostgreSQL none, and making a koppeling answers 503 saying so.
  let geheimenSleutel = config.geheimenSleutel
  if (geheimenSleutel === undefined && config.databaseUrl === undefined) geheimenSleutel = keyFileSleutel(config.dataDir)
  if (geheimenSleutel === undefined && config.databaseUrl === 'memory://') geheimenSleutel = randomBytes(32)
  if (geheimenSleutel === undefined) logger.warn('SLA_GEHEIMEN_SLEUTEL is not set: koppelingen cannot be made or receive messages')

  const app = await buildApp({ config, database: handle, migrationCount: migrationCount(), logger, jobsIntervalMs: 60_000, maxEventLoopDelayMs: config.maxEventLoopDelayMs, maxInFlight: config.maxInFlight, clock: Date.now, geheimenSleutel, koppelingen: { antwoordMs: config.koppelingen.antwoordMs, alleenOpslaan: config.koppelingen.verwerking === 'job', bewaartermijnMaanden: config.koppelingen.bewaartermijnMaanden }, signalenIntervalMs: config.signalenIntervalMs, smtp: config.smtp, topdesk: { intervalMs: config.koppelingen.topdeskIntervalMs ?? DEFAULT_TOPDESK_INTERVAL_MS } })
  let closing = false
  const shutdown = (signal: string): void => {
    if (closing) return
    closing = true
    logger.info({ signal }, 'shutting down: finishing in-flight requests')
    const force = setTimeout(() => { logger.error('shutdown took over 10 s; exiting'); process.exit(1) }, 10_000)
    force.unref()
    app.close()
      .then(async () => { await handle.close() })
      .then(() => { logger.info('stopped'); process.exit(0) })
      .catch((err: unknown) => { logger.error({ err }, 'shutdown failed'); process.exit(1) })
  }
  process.on('SIGTERM', () => { shutdown('SIGTERM') })
  process.on('SIGINT', () => { shutdown('SIGINT') })

  try {
    await app.listen({ port: config.port, host: config.host })
  } catch (err) {
    // A port in use is a configuration matter: one line that says so, not a stack trace.
    const code = (err as { code?: unknown }).code
    logger.fatal({ err }, code === 'EADDRINUSE' ? `cannot listen: port ${config.port} on ${config.host} is in use (set PORT)` : 'cannot listen')
    await handle.close()
    process.exit(1)
  }
  logger.info({ port: config.port, database: where, readyMs: Math.round(performance.now() - started) }, 'ready')
}

await main()
