// TOPdesk history import (issue 13): N incidents (TOPDESK_BENCH_INCIDENTEN, default 10,000) with
// ten progress-trail entries each from the fake TOPdesk (a real HTTP server, test/helpers), read
// page by page and processed through the inbox and translation on PostgreSQL (DATABASE_URL) and
// on the embedded database; events per second, against batch event ingest through the API
// (POST /meldingen/{id}/gebeurtenissen with 100 events per request, 16 connections) in the same
// run. The heap is sampled while importing: it must stay flat with the number of incidents
// (the pages are streamed, never held whole).
import { randomBytes } from 'node:crypto'
import { spawn, type ChildProcess } from 'node:child_process'
import autocannon from 'autocannon'
import { sql } from 'kysely'
import { buildApp } from '../src/app.js'
import { migrationCount, prepareDatabase } from '../src/bootstrap.js'
import { createKoppeling } from '../src/services/koppelingen.js'
import { runImporten, startImport } from '../src/services/topdesk.js'
import { fakeTopdesk, topdeskTime, type Obj } from '../test/helpers/fake-topdesk.js'
import { line, withPgDatabase } from './util.js'

const KEY = 'bench-bootstrap-key-0123456789abcdef'
const PORT = 18097
const N = Number(process.env.TOPDESK_BENCH_INCIDENTEN ?? 10_000)
const TRAIL = 10
const NOW = Date.parse('2026-12-01T10:00:00+01:00')
const SLEUTEL = randomBytes(32)
const OPERATOR = { id: 'op-1', name: 'Operator' }

function vul (fake: Awaited<ReturnType<typeof fakeTopdesk>>): void {
  const from = Date.parse('2026-07-01T07:00:00Z')
  const step = Math.floor((Date.parse('2026-09-30T00:00:00Z') - from) / N)
  for (let i = 0; i < N; i++) {
    const call = from + i * step
    const at = (m: number): string => topdeskTime(call + m * 60_000)
    const done = i % 3 !== 0
    const inc: Obj = {
      id: `20000000-0000-4000-8000-${String(i).padStart(12, '0')}`, number: `M26 ${i}`, briefDescription: `Storing ${i}`, callDate: at(0), modificationDate: at(600),
      priority: { id: `p${1 + (i % 4)}`, name: `P${1 + (i % 4)}` }, callType: { name: 'Storing' }, supplier: { id: 'S1' },
      responded: true, responseDate: at(20), onHold: false, onHoldDate: null,
      completed: done, completedDate: done ? at(500) : null, closed: false, closedDate: null
    }
    const trail: Obj[] = Array.from({ length: TRAIL }, (_, e) => ({
      id: `${i}-${e}`, entryDate: at(30 + e * 40), operator: e % 4 === 3 ? null : OPERATOR, person: e % 4 === 3 ? { id: 'p' } : null, invisibleForCaller: e % 5 === 4, plainText: `stap ${e}`
    }))
    fake.put(inc, trail)
  }
}

async function importOn (name: string, url: string, fake: Awaited<ReturnType<typeof fakeTopdesk>>, baseRate: number | undefined): Promise<void> {
  const { handle } = await prepareDatabase({ databaseUrl: url, dataDir: '', bootstrapKey: KEY })
  try {
    // The contract through the API, in process (its versions and norms are the API's business).
    const app = await buildApp({ config: { corsOrigins: [], publicUrl: 'http://localhost/api/v1' }, database: handle, migrationCount: migrationCount(), clock: () => NOW, geheimenSleutel: SLEUTEL })
    const post = async (url: string, payload: object): Promise<string> => (JSON.parse((await app.inject({ method: 'POST', url, payload, headers: { authorization: `Bearer ${KEY}` } })).body) as { id: string }).id
    const contract = await post('/api/v1/contracten', { leverancier: await post('/api/v1/leveranciers', { naam: 'Bench BV' }), naam: 'Bench' })
    await app.close()
    const { view } = await createKoppeling(handle.db, SLEUTEL, { contract, bron: 'topdesk', naam: 'TOPdesk', topdesk: { url: fake.url, gebruiker: fake.gebruiker, applicatiewachtwoord: fake.wachtwoord } }, { leverancierId: null }, null, NOW)
    await startImport(handle.db, view.row.id, Date.parse('2026-07-01T00:00:00+02:00'), { leverancierId: null }, NOW)
    const heap: number[] = []
    // With --expose-gc (as `npm run bench` runs this group), what is live after a collection; else the heap as it is.
    const gc = (globalThis as { gc?: () => void }).gc
    const sampler = setInterval(() => { gc?.(); heap.push(process.memoryUsage().heapUsed) }, gc === undefined ? 250 : 2_000)
    const t0 = performance.now()
    await runImporten(handle.db, SLEUTEL, () => NOW, { pageSize: 1000, gelijktijdig: Number(process.env.TOPDESK_BENCH_GELIJKTIJDIG ?? 8) })
    const secs = (performance.now() - t0) / 1000
    clearInterval(sampler)
    const i = await handle.db.selectFrom('topdesk_import').selectAll().executeTakeFirstOrThrow()
    const events = Number((await sql<{ n: string }>`select count(*) as n from gebeurtenis`.execute(handle.db)).rows[0]?.n)
    const q = Math.max(1, Math.floor(heap.length / 4))
    const mb = (xs: number[]): number => Math.round(Math.max(...xs) / 1e6)
    const rate = events / secs
    line(`topdesk-import-${name}`, rate, `events/s (${i.vertaald} of ${N} incidents, ${TRAIL * N} trail entries, ${events} events in ${Math.round(secs * 10) / 10} s, status ${i.status}, ${i.fouten} failed; heap${(globalThis as { gc?: () => void }).gc === undefined ? '' : ' after GC'} max ${mb(heap.slice(0, q))} MB in the first quarter, ${mb(heap.slice(-q))} MB in the last)`,
      baseRate === undefined ? undefined : rate / baseRate, baseRate === undefined ? undefined : `batch event ingest over HTTP ${Math.round(baseRate)}/s`)
  } finally {
    await handle.close()
  }
}

/** Baseline: batch event ingest through the API, 100 events per request, 16 connections, on a server of its own database. */
async function batchIngest (url: string): Promise<number> {
  const { handle } = await prepareDatabase({ databaseUrl: url, dataDir: '', bootstrapKey: KEY })
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: new URL('..', import.meta.url).pathname,
    env: { ...process.env, DATABASE_URL: url, PORT: String(PORT), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit']
  })
  try {
    for (let i = 0; i < 600; i++) {
      try { if ((await fetch(`http://127.0.0.1:${PORT}/health/ready`)).ok) break } catch { /* starting */ }
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }
    const post = async (path: string, body: object): Promise<{ id: string }> => await (await fetch(`http://127.0.0.1:${PORT}/api/v1${path}`, { method: 'POST', headers, body: JSON.stringify(body) })).json() as { id: string }
    const lev = await post('/leveranciers', { naam: 'Bench BV' })
    const con = await post('/contracten', { leverancier: lev.id, naam: 'Bench' })
    const M = 2_000
    await sql`insert into melding (contract_id, kenmerk, onderwerp, type, omgeving, gevraagde_prioriteit, gemeld_op, prioriteit)
      select ${con.id}::uuid, 'I-' || g, 'bench', 'verstoring', 'productie', 3, timestamptz '2026-03-02 09:00+01', 3 from generate_series(1, ${M}) g`.execute(handle.db)
    const ids = (await sql<{ id: string }>`select id from melding order by kenmerk`.execute(handle.db)).rows.map((r) => r.id)
    let seq = 0
    const BATCH = 100
    const r = await autocannon({
      url: `http://127.0.0.1:${PORT}`,
      connections: 16,
      duration: 8,
      requests: [{
        method: 'POST',
        headers,
        setupRequest: (req) => {
          const k = seq++
          const events = Array.from({ length: BATCH }, (_, e) => ({ type: 'voortgang', op: new Date(Date.UTC(2026, 2, 2, 9) + (Math.floor(k / M) * BATCH + e) * 60_000).toISOString(), kenmerk: `k-${k}-${e}` }))
          return { ...req, path: `/api/v1/meldingen/${ids[k % M] as string}/gebeurtenissen`, body: JSON.stringify(events) }
        }
      }]
    })
    return r.requests.average * BATCH * (r.non2xx === 0 ? 1 : (r.requests.total - r.non2xx) / Math.max(1, r.requests.total))
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
    await handle.close()
  }
}

export async function benchTopdesk (): Promise<void> {
  const fake = await fakeTopdesk()
  try {
    vul(fake)
    const base = process.env.DATABASE_URL
    let baseRate: number | undefined
    if (base !== undefined && base.startsWith('postgres')) {
      baseRate = await withPgDatabase(base, 'sla_bench_ingest_batch', batchIngest)
      await withPgDatabase(base, 'sla_bench_topdesk', async (url) => { await importOn('postgres', url, fake, baseRate) })
    } else {
      process.stdout.write('bench topdesk-import-postgres: skipped (set DATABASE_URL to a PostgreSQL server)\n')
    }
    if (process.env.TOPDESK_BENCH_EMBEDDED !== '0') await importOn('pglite', 'memory://', fake, baseRate)
  } finally {
    await fake.close()
  }
}
