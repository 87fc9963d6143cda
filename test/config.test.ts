import t from 'tap'
import { ConfigError, loadConfig } from '../src/config.js'

t.test('defaults of API.md', async (t) => {
  t.same(loadConfig({}), {
    port: 8080, host: '0.0.0.0', databaseUrl: undefined, dataDir: './data', logLevel: 'info',
    bootstrapKey: undefined, corsOrigins: [], publicUrl: 'http://localhost:8080/api/v1',
    database: { connectTimeoutMs: 5000, statementTimeoutMs: 10000, idleInTransactionTimeoutMs: 10000, poolSize: 10, queueTimeoutMs: 5000, queueMax: 500 },
    maxEventLoopDelayMs: 0, maxInFlight: 32, geheimenSleutel: undefined, smtp: undefined, signalenIntervalMs: 5000,
    koppelingen: { antwoordMs: 50, verwerking: 'direct', bewaartermijnMaanden: 13, topdeskIntervalMs: 300_000 }
  })
  t.equal(loadConfig({ PORT: '9000' }).publicUrl, 'http://localhost:9000/api/v1', 'unset, PUBLIC_URL is where a local start answers (a Postman import works)')
  t.equal(loadConfig({ PUBLIC_URL: 'http://127.0.0.1:8080/api/v1' }).publicUrl, 'http://127.0.0.1:8080/api/v1', 'plain http is allowed for this machine')
})

t.test('reads the database limits and load shedding (issue 11)', async (t) => {
  const c = loadConfig({
    DB_CONNECT_TIMEOUT_MS: '2000', DB_STATEMENT_TIMEOUT_MS: '30000', DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: '60000',
    DB_POOL_SIZE: '4', DB_QUEUE_TIMEOUT_MS: '750', DB_QUEUE_MAX: '50', MAX_EVENT_LOOP_DELAY_MS: '1500', MAX_IN_FLIGHT: '200'
  })
  t.equal(c.maxInFlight, 200)
  t.same(c.database, { connectTimeoutMs: 2000, statementTimeoutMs: 30000, idleInTransactionTimeoutMs: 60000, poolSize: 4, queueTimeoutMs: 750, queueMax: 50 })
  t.equal(c.maxEventLoopDelayMs, 1500, 'shedding by event loop delay, off by default, can be turned on')
})

t.test('reads every variable', async (t) => {
  const c = loadConfig({
    PORT: '9000', HOST: '127.0.0.1', DATABASE_URL: 'postgres://u@h/db', DATA_DIR: '/var/lib/sla', LOG_LEVEL: 'warn',
    SLA_BOOTSTRAP_KEY: 'x'.repeat(30), CORS_ORIGINS: 'https://a.nl, https://b.nl', PUBLIC_URL: 'https://sla.gemeente.nl/api/v1'
  })
  t.match(c, { port: 9000, host: '127.0.0.1', databaseUrl: 'postgres://u@h/db', dataDir: '/var/lib/sla', logLevel: 'warn', corsOrigins: ['https://a.nl', 'https://b.nl'] })
  t.equal(loadConfig({ DATABASE_URL: 'memory://' }).databaseUrl, 'memory://')
  t.same(loadConfig({ SLA_GEHEIMEN_SLEUTEL: 'ab'.repeat(32) }).geheimenSleutel, Buffer.alloc(32, 0xab), 'a key as 64 hex digits')
  t.same(loadConfig({ SLA_GEHEIMEN_SLEUTEL: Buffer.alloc(32, 7).toString('base64url') }).geheimenSleutel, Buffer.alloc(32, 7), 'a key as base64url')
})

t.test('a bad value names its variable', async (t) => {
  const cases: Array<[Record<string, string>, string]> = [
    [{ PORT: 'abc' }, 'PORT'], [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'], [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ SLA_BOOTSTRAP_KEY: 'short' }, 'SLA_BOOTSTRAP_KEY'], [{ CORS_ORIGINS: 'not an origin' }, 'CORS_ORIGINS'],
    [{ PUBLIC_URL: 'http://insecure/api/v1' }, 'PUBLIC_URL'], [{ PUBLIC_URL: 'http://localhost.evil.nl/api/v1' }, 'PUBLIC_URL'],
    [{ PUBLIC_URL: 'https://sla.gemeente.nl/api/v2' }, 'PUBLIC_URL'],
    [{ DB_CONNECT_TIMEOUT_MS: '5s' }, 'DB_CONNECT_TIMEOUT_MS'], [{ DB_CONNECT_TIMEOUT_MS: '0' }, 'DB_CONNECT_TIMEOUT_MS'],
    [{ DB_STATEMENT_TIMEOUT_MS: '-1' }, 'DB_STATEMENT_TIMEOUT_MS'], [{ DB_STATEMENT_TIMEOUT_MS: '1.5' }, 'DB_STATEMENT_TIMEOUT_MS'],
    [{ DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: 'never' }, 'DB_IDLE_IN_TRANSACTION_TIMEOUT_MS'],
    [{ DB_POOL_SIZE: '0' }, 'DB_POOL_SIZE'], [{ DB_POOL_SIZE: '5000' }, 'DB_POOL_SIZE'],
    [{ DB_QUEUE_TIMEOUT_MS: 'x' }, 'DB_QUEUE_TIMEOUT_MS'], [{ DB_QUEUE_MAX: '0' }, 'DB_QUEUE_MAX'],
    [{ MAX_EVENT_LOOP_DELAY_MS: '-5' }, 'MAX_EVENT_LOOP_DELAY_MS'], [{ MAX_IN_FLIGHT: 'many' }, 'MAX_IN_FLIGHT'],
    [{ SLA_GEHEIMEN_SLEUTEL: 'too-short' }, 'SLA_GEHEIMEN_SLEUTEL'], [{ SLA_GEHEIMEN_SLEUTEL: 'ab'.repeat(31) }, 'SLA_GEHEIMEN_SLEUTEL'],
    [{ KOPPELING_ANTWOORD_MS: '80ms' }, 'KOPPELING_ANTWOORD_MS'], [{ KOPPELING_VERWERKING: 'later' }, 'KOPPELING_VERWERKING'],
    [{ BERICHTEN_BEWAARTERMIJN_MAANDEN: '0' }, 'BERICHTEN_BEWAARTERMIJN_MAANDEN']
  ]
  for (const [env, variable] of cases) {
    let caught: unknown
    try { loadConfig(env) } catch (err) { caught = err }
    t.ok(caught instanceof ConfigError, `${variable} throws a ConfigError`)
    t.equal((caught as ConfigError).variable, variable)
    t.match((caught as ConfigError).message, new RegExp(`^${variable}: `))
  }
})

t.test('reads SMTP_URL, SMTP_FROM and SIGNALEN_INTERVAL_MS (issue 14)', async (t) => {
  t.same(loadConfig({ SMTP_URL: 'smtp://u:p@mail.example.nl:587', SMTP_FROM: 'sla@gemeente.nl', SIGNALEN_INTERVAL_MS: '1000' }).smtp, { url: 'smtp://u:p@mail.example.nl:587', from: 'sla@gemeente.nl' })
  t.equal(loadConfig({ SIGNALEN_INTERVAL_MS: '1000' }).signalenIntervalMs, 1000)
  t.throws(() => loadConfig({ SMTP_URL: 'mail.example.nl' }), ConfigError)
  t.throws(() => loadConfig({ SIGNALEN_INTERVAL_MS: '0' }), ConfigError)
})
