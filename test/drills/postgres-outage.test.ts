// Outage drill (issue 11): a throwaway PostgreSQL of its own (never the shared server) is stopped,
// started, frozen (SIGSTOP of every process of the cluster) and resumed under a running app.
// Each time the API must answer 503 problem+json with Retry-After within a bound, not hang and
// not 500, and serve again afterwards without a restart. Registered in the PostgreSQL run of the
// suite when PostgreSQL's binaries are installed (/usr/lib/postgresql/*/bin) and the test may run
// them as user postgres. Bounded: about 20 s on a quiet machine, under 60 s.
import { execFileSync } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { userInfo } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import type { DatabaseHandle } from '../../src/adapters/db/database.js'
import { buildApp } from '../../src/app.js'
import { migrationCount, prepareDatabase } from '../../src/bootstrap.js'
import { DEFAULT_DATABASE_LIMITS, type DatabaseLimits } from '../../src/config.js'
import { DB_KIND } from '../helpers/database.js'
import { TEST_NOW } from '../helpers/app.js'

const KEY = 'drill-bootstrap-key-0123456789abcdef'
// Small limits so that the drill is quick; OUTAGE_DRILL_DEFAULT_LIMITS=1 runs it with the
// service's defaults (README, Operating it) to measure those.
const LIMITS: DatabaseLimits = process.env.OUTAGE_DRILL_DEFAULT_LIMITS === '1'
  ? { ...DEFAULT_DATABASE_LIMITS, poolSize: 4 }
  : { connectTimeoutMs: 1_000, statementTimeoutMs: 1_000, idleInTransactionTimeoutMs: 5_000, poolSize: 4, queueTimeoutMs: 1_000, queueMax: 100 }
// The bound a 503 must come within: the longest wait the limits allow (a statement on a frozen
// server: statement timeout + 1 s) plus slack for a loaded machine.
const BOUND_MS = Math.max(LIMITS.connectTimeoutMs, LIMITS.statementTimeoutMs + 1_000) + 3_000

function postgresBin (): string | undefined {
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return undefined
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl')) && existsSync(join(root, v, 'bin', 'initdb')))
  versions.sort((a, b) => Number(b) - Number(a))
  return versions[0] === undefined ? undefined : join(root, versions[0], 'bin')
}

/** Runs a PostgreSQL program as user postgres (it refuses to run as root). */
function asPostgres (bin: string, program: string, args: string[]): string {
  const cmd = join(bin, program)
  return userInfo().username === 'postgres'
    ? execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
    : execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
}

function postgresUser (): { uid: number, gid: number } | undefined {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:'))
  if (line === undefined) return undefined
  const [, , uid, gid] = line.split(':')
  return { uid: Number(uid), gid: Number(gid) }
}

/** The postmaster and every process it started (backends, checkpointer, walwriter …). */
function clusterPids (dataDir: string): number[] {
  const postmaster = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0])
  const children = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).flatMap((d) => {
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      return ppid === postmaster ? [Number(d)] : []
    } catch { return [] }
  })
  return [postmaster, ...children]
}

const bin = postgresBin()
const pgUser = postgresUser()
const canRun = DB_KIND === 'postgres' && bin !== undefined && pgUser !== undefined && (userInfo().username === 'postgres' || process.getuid?.() === 0)

if (canRun && bin !== undefined && pgUser !== undefined) {
  t.test('PostgreSQL stopped, started, frozen and resumed: 503 + Retry-After within a bound, then recovery without restart', async (t) => {
    const dir = mkdtempSync('/tmp/sla-outage-')
    chownSync(dir, pgUser.uid, pgUser.gid)
    const dataDir = join(dir, 'data')
    const port = 54329 + Math.floor(Math.random() * 1000)
    let frozen: number[] = []
    let handle: DatabaseHandle | undefined
    let closeApp = async (): Promise<void> => {}
    t.teardown(async () => {
      for (const pid of frozen) { try { process.kill(pid, 'SIGCONT') } catch { /* gone */ } }
      await closeApp()
      await handle?.close()
      try { asPostgres(bin, 'pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']) } catch { /* not running */ }
      rmSync(dir, { recursive: true, force: true })
    })

    asPostgres(bin, 'initdb', ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '--no-sync', '--no-instructions'])
    const start = (): void => {
      asPostgres(bin, 'pg_ctl', ['-D', dataDir, '-l', join(dir, 'log'), '-w', '-t', '30', 'start', '-o',
        `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`])
    }
    start()

    const prepared = await prepareDatabase({ databaseUrl: `postgres://postgres@127.0.0.1:${port}/postgres`, dataDir: '', bootstrapKey: KEY, database: LIMITS })
    handle = prepared.handle
    const app = await buildApp({ config: { corsOrigins: [], publicUrl: 'https://localhost/api/v1' }, database: handle, migrationCount: migrationCount(), clock: () => TEST_NOW })
    closeApp = async () => { await app.close() }
    await app.ready()

    const call = async (method: 'GET' | 'POST', url: string): Promise<{ status: number, retryAfter: unknown, type: unknown, ms: number }> => {
      const t0 = performance.now()
      const r = await app.inject({ method, url, headers: { authorization: `Bearer ${KEY}` }, ...(method === 'POST' ? { payload: { naam: 'Drill BV' } } : {}) })
      return { status: r.statusCode, retryAfter: r.headers['retry-after'], type: r.headers['content-type'], ms: performance.now() - t0 }
    }
    const expectUnavailable = async (what: string): Promise<number> => {
      let worst = 0
      for (const [method, url] of [['GET', '/api/v1/leveranciers'], ['POST', '/api/v1/leveranciers'], ['GET', '/health/ready']] as const) {
        const r = await call(method, url)
        t.equal(r.status, 503, `${what}: ${method} ${url} answers 503`)
        t.match(String(r.retryAfter), /^[1-9]\d*$/, `${what}: with Retry-After`)
        t.match(r.type, /^application\/problem\+json/, `${what}: as problem+json`)
        t.ok(r.ms < BOUND_MS, `${what}: ${method} ${url} answered in ${Math.round(r.ms)} ms (bound ${BOUND_MS} ms)`)
        worst = Math.max(worst, r.ms)
      }
      return worst
    }
    const expectRecovery = async (what: string): Promise<number> => {
      const t0 = performance.now()
      let last = 0
      while (performance.now() - t0 < 20_000) {
        last = (await call('GET', '/api/v1/leveranciers')).status
        if (last === 200) break
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      t.equal(last, 200, `${what}: served again without restarting the app`)
      t.equal((await call('POST', '/api/v1/leveranciers')).status, 201, `${what}: writes again`)
      t.equal((await call('GET', '/health/ready')).status, 200, `${what}: ready again`)
      return performance.now() - t0
    }

    t.equal((await call('GET', '/api/v1/leveranciers')).status, 200, 'served at first')
    // Fill the pool with idle connections, as a running service has.
    await Promise.all(Array.from({ length: LIMITS.poolSize }, async () => await call('GET', '/api/v1/leveranciers')))

    asPostgres(bin, 'pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop'])
    const stoppedMs = await expectUnavailable('stopped')
    start()
    const afterStartMs = await expectRecovery('started again')

    await Promise.all(Array.from({ length: LIMITS.poolSize }, async () => await call('GET', '/api/v1/leveranciers')))
    frozen = clusterPids(dataDir)
    for (const pid of frozen) process.kill(pid, 'SIGSTOP')
    const frozenMs = await expectUnavailable('frozen')
    for (const pid of frozen) process.kill(pid, 'SIGCONT')
    frozen = []
    const afterResumeMs = await expectRecovery('resumed')

    t.comment(`time to 503: stopped ${Math.round(stoppedMs)} ms, frozen ${Math.round(frozenMs)} ms (worst of GET, POST, /health/ready); ` +
      `back to 200: ${Math.round(afterStartMs)} ms after start, ${Math.round(afterResumeMs)} ms after resume`)
  })
}
