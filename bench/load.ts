// Mixed read/write load (issue 11, part 5): 200 connections against one server process, on the
// embedded database and (with DATABASE_URL) on PostgreSQL. Not part of `npm run bench` (it takes
// about a minute per database and loads the machine); run it on its own:
//
//   npx tsx bench/load.ts [--root DIR] [--duration S] [--connections N] [--runs N] [--db embedded|postgres] [--polite]
//
// By default autocannon drives the load: it never waits, so a 503 is followed at once by the next
// request (the worst case: clients that ignore Retry-After). --polite uses clients that wait
// for each answer and honour Retry-After, as the README asks of clients.
// --root runs the server from another checkout (for a before/after comparison). Each request is,
// at random: 35 % a new melding (write), 25 % an event on a seeded melding (write), 20 % a page of
// 100 meldingen with their sla blocks (long read), 10 % one melding, 10 % /actieve-verstoringen.
// autocannon's timeout is 30 s, so `timeouts` counts requests that took longer than that.
// Prints per run: p50/p99/max latency of all answers, 2xx, 503, other 5xx, 4xx, timeouts, errors;
// then the latency of the 2xx and of the 503 answers apart, and the 503s by cause (from their
// detail). autocannon does not honour Retry-After: a 503 is followed at once by the next request.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import { mulberry32, withPgDatabase } from './util.js'

const KEY = 'bench-bootstrap-key-0123456789abcdef'
const args = process.argv.slice(2)
const opt = (name: string, dflt: string): string => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] ?? dflt : dflt }
const root = opt('root', new URL('..', import.meta.url).pathname)
const duration = Number(opt('duration', '20'))
const connections = Number(opt('connections', '200'))
const runs = Number(opt('runs', '1'))
const only = opt('db', '')
const polite = args.includes('--polite')
const SEEDED = 300

function start (port: number, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: process.env.LOAD_LOG_LEVEL ?? 'silent', SLA_BOOTSTRAP_KEY: KEY, ...env },
    stdio: ['ignore', process.env.LOAD_LOG_LEVEL === undefined ? 'ignore' : 'inherit', 'inherit']
  })
}

async function waitReady (port: number): Promise<void> {
  const end = Date.now() + 120_000
  while (Date.now() < end) {
    try { if ((await fetch(`http://127.0.0.1:${port}/health/ready`)).status === 200) return } catch { /* not yet */ }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`port ${port} not ready`)
}

async function stop (child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  await exited
}

async function api (port: number, method: string, path: string, body?: unknown): Promise<any> {
  const r = await fetch(`http://127.0.0.1:${port}/api/v1${path}`, {
    method, headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) })
  })
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`)
  return await r.json()
}

/** A leverancier, a contract and SEEDED meldingen with a few events each. */
async function seed (port: number): Promise<{ contract: string, meldingen: string[] }> {
  const lev = await api(port, 'POST', '/leveranciers', { naam: `Load BV ${Date.now()}` })
  const con = await api(port, 'POST', '/contracten', { leverancier: lev.id, naam: 'Load' })
  const meldingen: string[] = []
  for (let i = 0; i < SEEDED; i++) {
    const gemeldOp = new Date(Date.UTC(2026, 0, 5, 9) + i * 3_600_000).toISOString()
    const m = await api(port, 'POST', '/meldingen', { contract: con.id, kenmerk: `S-${i}`, onderwerp: 'seed', type: 'verstoring', prioriteit: 1 + (i % 4), gemeldOp })
    await api(port, 'POST', `/meldingen/${m.id as string}/gebeurtenissen`, [
      { type: 'reactie', op: new Date(Date.parse(gemeldOp) + 600_000).toISOString(), kenmerk: 'r' },
      { type: 'voortgang', op: new Date(Date.parse(gemeldOp) + 1_800_000).toISOString(), kenmerk: 'v' }
    ])
    meldingen.push(m.id)
  }
  return { contract: con.id, meldingen }
}

const AUTH = { authorization: `Bearer ${KEY}` }
const JSON_AUTH = { ...AUTH, 'content-type': 'application/json' }

/** The n-th request of a run: 35 % new melding, 25 % event, 20 % page of 100, 10 % one, 10 % actieve. */
function mix (rnd: () => number, n: number, run: number, contract: string, meldingen: string[]): { method: 'GET' | 'POST', path: string, headers: Record<string, string>, body?: string } {
  const x = rnd()
  const m = meldingen[Math.floor(rnd() * meldingen.length)] as string
  if (x < 0.35) {
    const gemeldOp = new Date(Date.UTC(2026, 2, 2, 9) + n * 60_000).toISOString()
    return { method: 'POST', path: '/api/v1/meldingen', headers: { ...JSON_AUTH }, body: JSON.stringify({ contract, kenmerk: `L-${run}-${process.pid}-${n}`, onderwerp: 'load', type: 'verstoring', prioriteit: 2, gemeldOp }) }
  }
  if (x < 0.6) {
    return { method: 'POST', path: `/api/v1/meldingen/${m}/gebeurtenissen`, headers: { ...JSON_AUTH }, body: JSON.stringify({ type: 'voortgang', op: new Date(Date.UTC(2026, 1, 1) + n * 1000).toISOString(), kenmerk: `L-${run}-${process.pid}-${n}` }) }
  }
  if (x < 0.8) return { method: 'GET', path: `/api/v1/meldingen?contract=${contract}&pageSize=100&page=${1 + Math.floor(rnd() * 3)}`, headers: { ...AUTH } }
  if (x < 0.9) return { method: 'GET', path: `/api/v1/meldingen/${m}`, headers: { ...AUTH } }
  return { method: 'GET', path: '/api/v1/actieve-verstoringen?pageSize=100', headers: { ...AUTH } }
}

const pct = (xs: number[], p: number): number => { const s = [...xs].sort((a, b) => a - b); return s.length === 0 ? 0 : Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))] as number) }

/**
 * The same mix from `connections` clients that behave: each sends a request, waits for its
 * answer (giving up after 30 s), and after a 503 waits the Retry-After it was given.
 */
async function loadPolite (port: number, contract: string, meldingen: string[], run: number): Promise<void> {
  const rnd = mulberry32(2000 + run)
  let n = 0
  const lat: Record<string, number[]> = { '2xx': [], 503: [], other: [] }
  let timeouts = 0
  let errors = 0
  const end = Date.now() + duration * 1000
  await Promise.all(Array.from({ length: connections }, async () => {
    while (Date.now() < end) {
      const r = mix(rnd, ++n, run, contract, meldingen)
      const t0 = performance.now()
      try {
        const res = await fetch(`http://127.0.0.1:${port}${r.path}`, { method: r.method, headers: r.headers, ...(r.body === undefined ? {} : { body: r.body }), signal: AbortSignal.timeout(30_000) })
        await res.arrayBuffer()
        const ms = performance.now() - t0
        const key = res.status < 300 ? '2xx' : res.status === 503 ? '503' : 'other'
        lat[key]?.push(ms)
        if (res.status === 503) await new Promise((resolve) => setTimeout(resolve, 1000 * Number(res.headers.get('retry-after') ?? '1')))
      } catch (err) {
        if ((err as Error).name === 'TimeoutError') timeouts++; else errors++
      }
    }
  }))
  const all = [...(lat['2xx'] ?? []), ...(lat['503'] ?? []), ...(lat.other ?? [])]
  process.stdout.write(`polite ${connections} clients ${duration}s run ${run}: all p50 ${pct(all, 0.5)} ms, p99 ${pct(all, 0.99)} ms, max ${pct(all, 1)} ms; ` +
    `2xx ${lat['2xx']?.length ?? 0} (p50 ${pct(lat['2xx'] ?? [], 0.5)} ms, p99 ${pct(lat['2xx'] ?? [], 0.99)} ms, max ${pct(lat['2xx'] ?? [], 1)} ms), ` +
    `503 ${lat['503']?.length ?? 0} (p99 ${pct(lat['503'] ?? [], 0.99)} ms), other ${lat.other?.length ?? 0}, timeouts(>30 s) ${timeouts}, errors ${errors}\n`)
}

async function load (port: number, contract: string, meldingen: string[], run: number): Promise<void> {
  const rnd = mulberry32(1000 + run)
  let n = 0
  const samples: string[] = []
  const why503: Record<string, number> = {}
  const byStatus: Record<'2xx' | '503', number[]> = { '2xx': [], '503': [] }
  const instance = autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration,
    timeout: 30,
    requests: [{
      onResponse: (status, body) => {
        if (status === 400 && samples.length < 3) samples.push(body)
        if (status === 503) {
          const why = /overloaded/.test(body) ? 'shed (event loop)' : /busy/.test(body) ? 'queue (embedded db)' : /unavailable/.test(body) ? 'database timeout' : 'other'
          why503[why] = (why503[why] ?? 0) + 1
        }
      },
      setupRequest: () => { n++; return mix(rnd, n, run, contract, meldingen) }
    }]
  })
  ;(instance as unknown as { on: (e: string, f: (c: unknown, s: number, b: number, ms: number) => void) => void }).on('response', (_client, status, _bytes, ms) => {
    if (status < 300) byStatus['2xx'].push(ms); else if (status === 503) byStatus['503'].push(ms)
  })
  const r = await instance
  const codes = r.statusCodeStats as unknown as Record<string, { count: number }>
  const count = (f: (c: number) => boolean): number => Object.entries(codes).filter(([c]) => f(Number(c))).reduce((s, [, v]) => s + v.count, 0)
  process.stdout.write(`load ${connections} conns ${duration}s run ${run}: p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, max ${r.latency.max} ms; ` +
    `2xx ${count((c) => c < 300)}, 503 ${count((c) => c === 503)}, other 5xx ${count((c) => c >= 500 && c !== 503)}, 4xx ${count((c) => c >= 400 && c < 500)}, ` +
    `timeouts(>30 s) ${r.timeouts}, errors ${r.errors - r.timeouts}; by status ${JSON.stringify(Object.fromEntries(Object.entries(codes).map(([c, v]) => [c, v.count])))}\n`)
  process.stdout.write(`  2xx latency: p50 ${pct(byStatus['2xx'], 0.5)} ms, p99 ${pct(byStatus['2xx'], 0.99)} ms, max ${pct(byStatus['2xx'], 1)} ms; ` +
    `503 latency: p50 ${pct(byStatus['503'], 0.5)} ms, p99 ${pct(byStatus['503'], 0.99)} ms, max ${pct(byStatus['503'], 1)} ms\n`)
  if (Object.keys(why503).length > 0) process.stdout.write(`  503 by cause: ${JSON.stringify(why503)}\n`)
  if (process.env.LOAD_SHOW_400 === '1') for (const b of samples) process.stdout.write(`  400: ${b.slice(0, 300)}\n`)
}

async function against (label: string, port: number, env: Record<string, string>): Promise<void> {
  process.stdout.write(`# ${label} (server in ${root})\n`)
  const child = start(port, env)
  try {
    await waitReady(port)
    const { contract, meldingen } = await seed(port)
    for (let run = 1; run <= runs; run++) await (polite ? loadPolite : load)(port, contract, meldingen, run)
  } finally {
    await stop(child)
  }
}

if (only === '' || only === 'embedded') {
  const dir = mkdtempSync(join(tmpdir(), 'sla-load-'))
  try { await against('embedded database (PGlite)', 18090, { DATA_DIR: join(dir, 'data') }) } finally { rmSync(dir, { recursive: true, force: true }) }
}
const pgUrl = process.env.DATABASE_URL
if ((only === '' || only === 'postgres') && pgUrl !== undefined && pgUrl.startsWith('postgres')) {
  await withPgDatabase(pgUrl, 'sla_load', async (url) => { await against('PostgreSQL', 18091, { DATABASE_URL: url }) })
}
