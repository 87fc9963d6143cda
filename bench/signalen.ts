// Signalen (issue 14), on PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres):
// - the scheduler's run with 10,000 open meldingen (target < 50 ms), nothing due and 100 due;
// - the delay from a signal's instant to its webhook arriving, with the job every second;
// - outbox throughput: signals delivered per second to a local receiver.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { sql } from 'kysely'
import { buildApp } from '../src/app.js'
import { migrationCount, prepareDatabase } from '../src/bootstrap.js'
import { sendWebhook } from '../src/adapters/delivery/senders.js'
import { insertSignalen } from '../src/adapters/db/signalen-repository.js'
import { deliverDue, fireDue } from '../src/services/signalen.js'
import { line, withPgDatabase } from './util.js'

const KEY = 'bench-bootstrap-key-0123456789abcdef'
const SLEUTEL = Buffer.alloc(32, 7)
const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)] as number }
const p99 = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(s.length * 0.99))] as number }

async function receiver (): Promise<{ url: string, arrivals: Array<{ at: number, body: string }>, close: () => Promise<void> }> {
  const arrivals: Array<{ at: number, body: string }> = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => { arrivals.push({ at: Date.now(), body: Buffer.concat(chunks).toString('utf8') }); res.writeHead(204).end() })
  })
  server.keepAliveTimeout = 60_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, arrivals, close: async () => { await new Promise((resolve) => server.close(resolve)) } }
}

export async function benchSignalen (): Promise<void> {
  const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
  await withPgDatabase(base, 'bench_signalen', async (url) => {
    const { handle } = await prepareDatabase({ databaseUrl: url, dataDir: '', bootstrapKey: KEY })
    const db = handle.db
    try {
      const app = await buildApp({ config: { corsOrigins: [], publicUrl: 'https://localhost/api/v1' }, database: handle, migrationCount: migrationCount(), clock: Date.now, geheimenSleutel: SLEUTEL })
      await app.ready()
      const call = async (method: 'POST', u: string, payload: object): Promise<any> => {
        const r = await app.inject({ method, url: u, headers: { authorization: `Bearer ${KEY}` }, payload })
        if (r.statusCode >= 300) throw new Error(`${u}: ${r.statusCode} ${r.body}`)
        return r.json()
      }
      const lev = await call('POST', '/api/v1/leveranciers', { naam: 'Bench BV' })
      const con = await call('POST', '/api/v1/contracten', { leverancier: lev.id, naam: 'Bench' })

      // 10,000 open meldingen, their next signal instants spread over the coming 10 days.
      const now = Date.now()
      await sql`insert into melding (contract_id, kenmerk, onderwerp, type, omgeving, gevraagde_prioriteit, gemeld_op, prioriteit)
        select ${con.id}::uuid, 'B-' || i, 'bench', 'verstoring', 'productie', 3, ${new Date(now - 3_600_000)}, 3 from generate_series(1, 10000) i`.execute(db)
      await sql`insert into signaal_planning (melding_id, volgende_op, verwerkt_tot)
        select id, ${new Date(now)}::timestamptz + (random() * interval '10 days') + interval '1 minute', ${new Date(now)} from melding`.execute(db)
      await sql`analyze`.execute(db)
      const idle: number[] = []
      for (let i = 0; i < 30; i++) {
        const t0 = performance.now()
        await fireDue(db, Date.now())
        idle.push(performance.now() - t0)
      }
      line('signalen-scheduler-10000-open-none-due', median(idle), 'ms per run (target < 50)')
      const busy: number[] = []
      for (let i = 0; i < 10; i++) {
        await sql`update signaal_planning set volgende_op = ${new Date(Date.now() - 1000)} where melding_id in (select melding_id from signaal_planning where volgende_op is not null order by random() limit 100)`.execute(db)
        const t0 = performance.now()
        await fireDue(db, Date.now())
        busy.push(performance.now() - t0)
      }
      line('signalen-scheduler-10000-open-100-due', median(busy), 'ms per run (target < 50)')
      await app.close()

      // Delay from a signal's instant to its webhook arriving: the job every second, reactie
      // norms of 10 s on the 24/7 calendar, so risico (8 s) and verlopen (10 s) fall due while we watch.
      const rec = await receiver()
      const live = await buildApp({ config: { corsOrigins: [], publicUrl: 'https://localhost/api/v1' }, database: handle, migrationCount: migrationCount(), clock: Date.now, geheimenSleutel: SLEUTEL, signalenIntervalMs: 1000 })
      await live.ready()
      const inject = async (u: string, payload: object): Promise<any> => {
        const r = await live.inject({ method: 'POST', url: u, headers: { authorization: `Bearer ${KEY}` }, payload })
        if (r.statusCode >= 300) throw new Error(`${u}: ${r.statusCode} ${r.body}`)
        return r.json()
      }
      const fast = await inject('/api/v1/contracten', {
        leverancier: lev.id,
        naam: 'Snel',
        normen: [1, 2, 3, 4].map((p) => ({ prioriteit: p, reactietijd: 'PT10S', functiehersteltijd: 'PT1H', voortgang: null, kalender: 'altijd' }))
      })
      await inject('/api/v1/abonnementen', { soort: 'webhook', url: rec.url, contract: fast.id, signalen: ['melding.risico', 'melding.verlopen'] })
      const n = 100
      for (let i = 0; i < n; i++) {
        await inject('/api/v1/meldingen', { contract: fast.id, kenmerk: `L-${i}`, onderwerp: 'live', type: 'vraag', prioriteit: 3, gemeldOp: new Date(Date.now() - Math.floor(Math.random() * 5000)).toISOString() })
      }
      const until = Date.now() + 25_000
      while (rec.arrivals.length < 2 * n && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 200))
      const delays = rec.arrivals.map((a) => a.at - Date.parse(JSON.parse(a.body).kenmerken.op as string))
      line('signalen-delay-median', median(delays), `ms from the signal's instant to the webhook arriving (job every 1 s; ${delays.length} of ${2 * n})`)
      line('signalen-delay-p99', p99(delays), 'ms (job every 1 s)')
      await live.close()

      // Outbox throughput: 2,000 signals to one webhook on this machine.
      const ab = await db.selectFrom('abonnement').select('id').executeTakeFirstOrThrow()
      await db.updateTable('abonnement').set({ contract_id: null, signalen: null }).where('id', '=', ab.id).execute()
      const m = 2000
      const start = new Date()
      await db.transaction().execute(async (trx) => {
        await insertSignalen(trx, Array.from({ length: m }, (_, i) => ({ sleutel: `bench:${i}`, soort: 'melding.verlopen' as const, contractId: con.id, meldingId: null, op: start, gevuurdOp: start, kenmerken: { i: String(i) } })), start)
      })
      rec.arrivals.length = 0
      const t0 = performance.now()
      while (await deliverDue(db, { sleutel: SLEUTEL, publicUrl: 'https://localhost/api/v1', verzenders: { webhook: sendWebhook, email: undefined } }, Date.now(), 100) > 0);
      const s = (performance.now() - t0) / 1000
      line('signalen-outbox-throughput', rec.arrivals.length / s, `signals per second delivered to a local receiver (${rec.arrivals.length} in ${s.toFixed(1)} s, batches of 100)`)
      await rec.close()
    } finally {
      await handle.close()
    }
  })
}
