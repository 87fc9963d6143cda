// HTTP: start-up time to ready on the embedded database, and requests per second of
// GET /health/ready and of an authenticated GET, each against bare Fastify (issue 2).
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import { line, withPgDatabase } from './util.js'

const KEY = 'bench-bootstrap-key-0123456789abcdef'
const root = new URL('..', import.meta.url).pathname

async function waitReady (port: number, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (Date.now() < end) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/health/ready`)
      if (r.status === 200) return
    } catch { /* not listening yet */ }
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error(`port ${port} not ready`)
}

function start (script: string, port: number, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: root, env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'ignore', 'inherit']
  })
}

async function stop (child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  await exited
}

async function timeToReady (script: string, port: number, env: Record<string, string>): Promise<{ ms: number, child: ChildProcess }> {
  const t0 = performance.now()
  const child = start(script, port, env)
  await waitReady(port)
  return { ms: performance.now() - t0, child }
}

async function rps (url: string, headers: Record<string, string> = {}): Promise<{ rps: number, p99: number }> {
  const r = await autocannon({ url, connections: 16, duration: 6, headers })
  return { rps: r.requests.average, p99: r.latency.p99 }
}

async function throughput (db: string, port: number, baseRps: number, baseline: string): Promise<void> {
  const ready = await rps(`http://127.0.0.1:${port}/health/ready`)
  line(`http-get-health-ready-${db}`, ready.rps, `req/s, p99 ${ready.p99} ms`, ready.rps / baseRps, baseline)
  const authed = await rps(`http://127.0.0.1:${port}/api/v1/leveranciers`, { authorization: `Bearer ${KEY}` })
  line(`http-get-authenticated-leveranciers-${db}`, authed.rps, `req/s, p99 ${authed.p99} ms`, authed.rps / baseRps, baseline)
  const deadline = await rps(`http://127.0.0.1:${port}/api/v1/kalender/deadline?van=2026-03-10T09:30:00Z&duur=PT100H`, { authorization: `Bearer ${KEY}` })
  line(`http-get-kalender-deadline-${db}`, deadline.rps, `req/s, p99 ${deadline.p99} ms`, deadline.rps / baseRps, baseline)
}

export async function benchHttp (): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sla-bench-'))
  try {
    const bare = await timeToReady('bench/bare-server.ts', 18081, {})
    const fresh = await timeToReady('src/server.ts', 18080, { DATA_DIR: join(dir, 'data'), SLA_BOOTSTRAP_KEY: KEY })
    line('startup-embedded-new-data-dir', fresh.ms, 'ms to ready', fresh.ms / bare.ms, `bare Fastify ${Math.round(bare.ms)} ms`)
    await stop(fresh.child)
    const again = await timeToReady('src/server.ts', 18080, { DATA_DIR: join(dir, 'data'), SLA_BOOTSTRAP_KEY: KEY })
    line('startup-embedded-existing-data', again.ms, 'ms to ready', again.ms / bare.ms, `bare Fastify ${Math.round(bare.ms)} ms`)

    const base = await rps('http://127.0.0.1:18081/health/ready')
    const baseline = `bare Fastify ${Math.round(base.rps)} req/s`
    await throughput('embedded', 18080, base.rps, baseline)
    await stop(again.child)

    // The same on real PostgreSQL, when DATABASE_URL names a server to make a database on.
    const pgUrl = process.env.DATABASE_URL
    if (pgUrl !== undefined && pgUrl.startsWith('postgres')) {
      await withPgDatabase(pgUrl, 'sla_bench_http', async (url) => {
        const onPg = await timeToReady('src/server.ts', 18082, { DATABASE_URL: url, SLA_BOOTSTRAP_KEY: KEY })
        line('startup-postgres-new-database', onPg.ms, 'ms to ready', onPg.ms / bare.ms, `bare Fastify ${Math.round(bare.ms)} ms`)
        await throughput('postgres', 18082, base.rps, baseline)
        await stop(onPg.child)
      })
    }
    await stop(bare.child)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
