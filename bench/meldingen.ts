// Meldingen (issue 4): the sla block in the core, a page of 500 meldingen with sla blocks on the
// embedded database holding 100,000, and event ingest over HTTP on PostgreSQL against bare
// single-row inserts into the same table at the same concurrency.
import { spawn, type ChildProcess } from 'node:child_process'
import autocannon from 'autocannon'
import Fastify from 'fastify'
import { sql } from 'kysely'
import pg from 'pg'
import { buildApp } from '../src/app.js'
import { migrationCount, prepareDatabase } from '../src/bootstrap.js'
import { computeSla, HOUR, STATUSES, type Gebeurtenis } from '../src/core/index.js'
import { slaContext, STANDAARD_VOORWAARDEN } from '../src/services/voorwaarden.js'
import { line, mulberry32, withPgDatabase } from './util.js'

const KEY = 'bench-bootstrap-key-0123456789abcdef'
const MIN = 60_000

function history (rnd: () => number, gemeldOp: number, n: number): Gebeurtenis[] {
  const out: Gebeurtenis[] = []
  let t = gemeldOp
  for (let i = 0; i < n; i++) {
    t += Math.floor(rnd() * 240) * MIN
    const r = rnd()
    out.push(r < 0.5
      ? { id: `e${i}`, type: 'voortgang', op: t }
      : r < 0.9
        ? { id: `e${i}`, type: 'status', op: t, status: STATUSES[Math.floor(rnd() * 5)] }
        : { id: `e${i}`, type: 'prioriteit', op: t, prioriteit: 1 + Math.floor(rnd() * 2) as 1 | 2 })
  }
  return out
}

export async function benchSlaBlock (): Promise<void> {
  const rnd = mulberry32(7)
  const ctx = slaContext(STANDAARD_VOORWAARDEN)
  const cases = Array.from({ length: 2_000 }, () => {
    const gemeldOp = Date.UTC(2026, 0, 5) + Math.floor(rnd() * 300) * 24 * HOUR
    return { gemeldOp, type: 'verstoring' as const, omgeving: 'productie' as const, gevraagdePrioriteit: 2 as const, gebeurtenissen: history(rnd, gemeldOp, 50) }
  })
  const peil = (c: typeof cases[number]): number => c.gemeldOp + 30 * 24 * HOUR
  for (let i = 0; i < 2_000; i++) computeSla(cases[i % cases.length] as typeof cases[number], ctx, peil(cases[0] as typeof cases[number]))
  const runs = 40_000
  let t0 = performance.now()
  for (let i = 0; i < runs; i++) { const c = cases[i % cases.length] as typeof cases[number]; computeSla(c, ctx, peil(c)) }
  const us = (performance.now() - t0) * 1000 / runs
  // Baseline: only sorting a copy of the 50 events, the least any computation must do.
  t0 = performance.now()
  let sink = 0
  for (let i = 0; i < runs; i++) { const c = cases[i % cases.length] as typeof cases[number]; sink += [...c.gebeurtenissen].sort((a, b) => a.op - b.op).length }
  const sortUs = (performance.now() - t0) * 1000 / runs
  if (sink === 0) throw new Error('unreachable')
  line('sla-block-50-events', us, 'µs per melding (target < 50)', us / sortUs, `sorting the events ${sortUs.toFixed(2)} µs`)
}

export async function benchList (): Promise<void> {
  const { handle } = await prepareDatabase({ databaseUrl: 'memory://', dataDir: '', bootstrapKey: KEY })
  const app = await buildApp({ config: { corsOrigins: [], publicUrl: 'https://localhost/api/v1' }, database: handle, migrationCount: migrationCount(), clock: Date.now })
  await app.ready()
  const lev = await app.inject({ method: 'POST', url: '/api/v1/leveranciers', headers: { authorization: `Bearer ${KEY}` }, payload: { naam: 'Bench BV' } })
  const con = await app.inject({ method: 'POST', url: '/api/v1/contracten', headers: { authorization: `Bearer ${KEY}` }, payload: { leverancier: lev.json().id, naam: 'Bench' } })
  const contract = con.json().id as string
  const N = 100_000
  const t0 = performance.now()
  await sql`insert into melding (contract_id, kenmerk, onderwerp, type, omgeving, gevraagde_prioriteit, gemeld_op, prioriteit)
    select ${contract}::uuid, 'B-' || g, 'bench', 'verstoring', 'productie', 1 + g % 4,
           timestamptz '2026-01-05 09:00+01' + (g * interval '3 minutes'), 1 + g % 4
    from generate_series(1, ${N}) g`.execute(handle.db)
  // Four events each: a reaction, two progress updates, opgelost.
  await sql`insert into gebeurtenis (melding_id, type, op, status)
    select m.id, e.type, m.gemeld_op + e.after, e.status
    from melding m cross join (values ('reactie', interval '20 minutes', null), ('voortgang', interval '50 minutes', null),
                                       ('voortgang', interval '110 minutes', null), ('status', interval '5 hours', 'opgelost')) as e(type, after, status)`.execute(handle.db)
  // What the service's own job does on the embedded database (no autovacuum there).
  await sql`analyze`.execute(handle.db)
  const seedMs = performance.now() - t0
  const get = async (url: string): Promise<number> => {
    const s = performance.now()
    const r = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${KEY}` } })
    if (r.statusCode !== 200) throw new Error(`${r.statusCode} ${r.body.slice(0, 200)}`)
    return performance.now() - s
  }
  const pages = ['/api/v1/meldingen?pageSize=500', '/api/v1/meldingen?pageSize=500&page=100', '/api/v1/meldingen?pageSize=500&page=199']
  for (const p of pages) await get(p)
  const times: number[] = []
  for (let i = 0; i < 10; i++) for (const p of pages) times.push(await get(p))
  times.sort((a, b) => a - b)
  const median = times[Math.floor(times.length / 2)] as number
  const bt: number[] = []
  for (let i = 0; i < 10; i++) {
    const s = performance.now()
    await sql`select * from melding order by gemeld_op, id offset 49500 limit 500`.execute(handle.db)
    bt.push(performance.now() - s)
  }
  bt.sort((a, b) => a - b)
  const bare = bt[5] as number
  line('get-meldingen-500-of-100k-embedded', median, `ms median (max ${Math.round(times[times.length - 1] as number)} ms; target < 200; seeded 100,000 meldingen + 400,000 events in ${Math.round(seedMs / 1000)} s)`, median / bare, `bare page query ${bare.toFixed(1)} ms`)
  await app.close()
  await handle.close()
}

export async function benchIngest (): Promise<void> {
  const base = process.env.DATABASE_URL
  if (base === undefined || !base.startsWith('postgres')) {
    process.stdout.write('bench event-ingest-postgres: skipped (set DATABASE_URL to a PostgreSQL server)\n')
    return
  }
  await withPgDatabase(base, 'sla_bench_ingest', async (url) => { await ingestOn(url) })
}

async function ingestOn (dbUrl: string): Promise<void> {
  const u = new URL(dbUrl)
  let child: ChildProcess | undefined
  try {
    const { handle } = await prepareDatabase({ databaseUrl: u.toString(), dataDir: '', bootstrapKey: KEY })
    const port = 18093
    child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: new URL('..', import.meta.url).pathname,
      env: { ...process.env, DATABASE_URL: u.toString(), PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'inherit']
    })
    for (let i = 0; i < 300; i++) {
      try { if ((await fetch(`http://127.0.0.1:${port}/health/ready`)).ok) break } catch { /* starting */ }
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }
    const lev = await (await fetch(`http://127.0.0.1:${port}/api/v1/leveranciers`, { method: 'POST', headers, body: JSON.stringify({ naam: 'Bench BV' }) })).json() as { id: string }
    const con = await (await fetch(`http://127.0.0.1:${port}/api/v1/contracten`, { method: 'POST', headers, body: JSON.stringify({ leverancier: lev.id, naam: 'Bench' }) })).json() as { id: string }
    const M = 2_000
    await sql`insert into melding (contract_id, kenmerk, onderwerp, type, omgeving, gevraagde_prioriteit, gemeld_op, prioriteit)
      select ${con.id}::uuid, 'I-' || g, 'bench', 'verstoring', 'productie', 3, timestamptz '2026-03-02 09:00+01', 3 from generate_series(1, ${M}) g`.execute(handle.db)
    const ids = (await sql<{ id: string }>`select id from melding order by kenmerk`.execute(handle.db)).rows.map((r) => r.id)
    let seq = 0
    const next = (): { path: string, body: string } => {
      const k = seq++
      return {
        path: `/api/v1/meldingen/${ids[k % M] as string}/gebeurtenissen`,
        body: JSON.stringify({ type: 'voortgang', op: new Date(Date.UTC(2026, 2, 2, 9) + Math.floor(k / M) * 60_000).toISOString(), kenmerk: `k-${k}` })
      }
    }
    const run = async (opts: { duration: number, overallRate?: number }): Promise<autocannon.Result> => await autocannon({
      url: `http://127.0.0.1:${port}`,
      connections: 16,
      duration: opts.duration,
      ...(opts.overallRate === undefined ? {} : { overallRate: opts.overallRate }),
      requests: [{ method: 'POST', headers, setupRequest: (req) => { const n = next(); return { ...req, path: n.path, body: n.body } } }]
    })
    const http = await run({ duration: 8 })

    // Baseline: 16 connections, each inserting single rows into gebeurtenis as fast as it can.
    const pool = new pg.Pool({ connectionString: u.toString(), max: 16 })
    let inserted = 0
    const end = Date.now() + 8_000
    await Promise.all(Array.from({ length: 16 }, async (_, c) => {
      while (Date.now() < end) {
        const k = inserted++
        await pool.query('insert into gebeurtenis (melding_id, type, op, kenmerk) values ($1, $2, $3, $4)', [ids[(k * 7 + c) % M], 'opmerking', new Date(), `bare-${k}`])
      }
    }))
    await pool.end()
    const bareRate = inserted / 8
    line('event-ingest-http-postgres', http.requests.average, `events/s (16 connections, p99 ${http.latency.p99} ms, ${http.non2xx} non-2xx)`, http.requests.average / bareRate, `bare single-row inserts ${Math.round(bareRate)}/s`)
    const paced = await run({ duration: 8, overallRate: 1_000 })
    line('event-ingest-http-postgres-at-1000rps', paced.latency.p99, `ms p99 (target < 25; p50 ${paced.latency.p50} ms, ${paced.requests.average} req/s achieved, ${paced.non2xx} non-2xx)`)

    // Lower bound of any checked, idempotent ingest over HTTP on this machine: bare Fastify that
    // only looks up the key and inserts the event (one statement each), same load.
    const minimal = Fastify({ logger: false })
    const minPool = new pg.Pool({ connectionString: u.toString(), max: 16 })
    minimal.post('/e/:id', async (req) => {
      const b = req.body as { op: string, kenmerk: string }
      await minPool.query('select id from sleutel where hash = $1 and ingetrokken_op is null', [KEY])
      await minPool.query("insert into gebeurtenis (melding_id, type, op, kenmerk) values ($1, 'voortgang', $2, $3) on conflict do nothing", [(req.params as { id: string }).id, b.op, `min-${b.kenmerk}`])
      return { ok: true }
    })
    await minimal.listen({ port: port + 1, host: '127.0.0.1' })
    const minRun = await autocannon({
      url: `http://127.0.0.1:${port + 1}`, connections: 16, duration: 8,
      requests: [{ method: 'POST', headers, setupRequest: (req) => { const n = next(); return { ...req, path: n.path.replace(/^\/api\/v1\/meldingen\/([^/]+)\/gebeurtenissen$/, '/e/$1'), body: n.body } } }]
    })
    await minimal.close()
    await minPool.end()
    line('event-ingest-minimal-route-postgres', minRun.requests.average, `req/s (key lookup + one insert, nothing else; p99 ${minRun.latency.p99} ms)`, minRun.requests.average / bareRate, `bare single-row inserts ${Math.round(bareRate)}/s`)
    await handle.close()
  } finally {
    if (child !== undefined) { const exited = new Promise((resolve) => child?.once('exit', resolve)); child.kill('SIGTERM'); await exited }
  }
}

export async function benchMeldingen (): Promise<void> {
  await benchSlaBlock()
  await benchList()
  await benchIngest()
}
