import t from 'tap'
import { ConfigError, loadConfig } from '../src/config.js'

t.test('defaults of API.md', async (t) => {
  t.same(loadConfig({}), {
    port: 8080, host: '0.0.0.0', databaseUrl: undefined, dataDir: './data', logLevel: 'info',
    bootstrapKey: undefined, corsOrigins: [], publicUrl: 'http://localhost:8080/api/v1'
  })
  t.equal(loadConfig({ PORT: '9000' }).publicUrl, 'http://localhost:9000/api/v1', 'unset, PUBLIC_URL is where a local start answers (a Postman import works)')
  t.equal(loadConfig({ PUBLIC_URL: 'http://127.0.0.1:8080/api/v1' }).publicUrl, 'http://127.0.0.1:8080/api/v1', 'plain http is allowed for this machine')
})

t.test('reads every variable', async (t) => {
  const c = loadConfig({
    PORT: '9000', HOST: '127.0.0.1', DATABASE_URL: 'postgres://u@h/db', DATA_DIR: '/var/lib/sla', LOG_LEVEL: 'warn',
    SLA_BOOTSTRAP_KEY: 'x'.repeat(30), CORS_ORIGINS: 'https://a.nl, https://b.nl', PUBLIC_URL: 'https://sla.gemeente.nl/api/v1'
  })
  t.match(c, { port: 9000, host: '127.0.0.1', databaseUrl: 'postgres://u@h/db', dataDir: '/var/lib/sla', logLevel: 'warn', corsOrigins: ['https://a.nl', 'https://b.nl'] })
  t.equal(loadConfig({ DATABASE_URL: 'memory://' }).databaseUrl, 'memory://')
})

t.test('a bad value names its variable', async (t) => {
  const cases: Array<[Record<string, string>, string]> = [
    [{ PORT: 'abc' }, 'PORT'], [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'], [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ SLA_BOOTSTRAP_KEY: 'short' }, 'SLA_BOOTSTRAP_KEY'], [{ CORS_ORIGINS: 'not an origin' }, 'CORS_ORIGINS'],
    [{ PUBLIC_URL: 'http://insecure/api/v1' }, 'PUBLIC_URL'], [{ PUBLIC_URL: 'http://localhost.evil.nl/api/v1' }, 'PUBLIC_URL'],
    [{ PUBLIC_URL: 'https://sla.gemeente.nl/api/v2' }, 'PUBLIC_URL']
  ]
  for (const [env, variable] of cases) {
    let caught: unknown
    try { loadConfig(env) } catch (err) { caught = err }
    t.ok(caught instanceof ConfigError, `${variable} throws a ConfigError`)
    t.equal((caught as ConfigError).variable, variable)
    t.match((caught as ConfigError).message, new RegExp(`^${variable}: `))
  }
})
