// Koppelingen (issue 12): signed Jira webhook deliveries into one server process on PostgreSQL
// (DATABASE_URL), each figure against the plain event ingest over HTTP (POST
// /meldingen/{id}/gebeurtenissen, as `event-ingest-http-postgres` of the meldingen group)
// measured in the same run on the same server, 16 connections each:
// - accepted only: the server runs with KOPPELING_VERWERKING=job, so an answer is the signature
//   check and the insert of the message (processing is left to the job);
// - accepted + translated: the default (processing at once, answer within KOPPELING_ANTWOORD_MS):
//   messages processed per second, counted until none is left `ontvangen`;
// - the answer time of the inbound endpoint at a steady 25 and 100 deliveries per second (target:
//   2xx within 100 ms), and how many answers were 202 (processing took longer than the budget).
import { createHmac, randomBytes } from 'node:crypto'
import { spawn, type ChildProcess } from 'node:child_process'
import autocannon from 'autocannon'
import { sql } from 'kysely'
import { prepareDatabase } from '../src/bootstrap.js'
import { line, withPgDatabase } from './util.js'

const KEY = 'bench-bootstrap-key-0123456789abcdef'
const GEHEIM = 'bench-koppeling-secret-0123456789abcdef'
const PORT = 18095
const CONNECTIONS = 16
const SECONDS = 8

function start (url: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: new URL('..', import.meta.url).pathname,
    env: { ...process.env, DATABASE_URL: url, PORT: String(PORT), HOST: '127.0.0.1', LOG_LEVEL: 'warn', SLA_GEHEIMEN_SLEUTEL: GEHEIMEN_SLEUTEL, ...env },
    stdio: ['ignore', 'ignore', 'inherit']
  })
}
const GEHEIMEN_SLEUTEL = randomBytes(32).toString('hex')

async function ready (): Promise<void> {
  for (let i = 0; i < 600; i++) {
    try { if ((await fetch(`http://127.0.0.1:${PORT}/health/ready`)).ok) return } catch { /* starting */ }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error('server not ready')
}

async function stop (child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  await exited
}

/** Delivery k of a run: tickets of five deliveries each (made, then four changes), in order per ticket. */
function delivery (run: string, k: number): { body: string, headers: Record<string, string> } {
  const ticket = `${run}${Math.floor(k / 5)}`
  const n = k % 5
  const at = Date.parse('2026-11-30T10:15:00+01:00') + n * 30 * 60_000
  const issue = { id: ticket, key: `ZS-${ticket}`, fields: { summary: 'Zaaksysteem traag', created: '2026-11-30T10:15:00.000+0100', priority: { id: '2', name: 'High' }, status: { id: '1', name: 'Open' } } }
  const items = [
    [{ field: 'status', from: '1', fromString: 'Open', to: '3', toString: 'In Progress' }],
    [{ field: 'status', from: '3', fromString: 'In Progress', to: '10010', toString: 'Waiting for customer' }],
    [{ field: 'status', from: '10010', fromString: 'Waiting for customer', to: '3', toString: 'In Progress' }],
    [{ field: 'resolution', from: null, fromString: null, to: '10000', toString: 'Done' }, { field: 'status', from: '3', fromString: 'In Progress', to: '5', toString: 'Resolved' }]
  ][n - 1]
  const body = JSON.stringify(n === 0
    ? { timestamp: at, webhookEvent: 'jira:issue_created', issue }
    : { timestamp: at, webhookEvent: 'jira:issue_updated', issue, changelog: { id: `${ticket}-${n}`, items } })
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-hub-signature': `sha256=${createHmac('sha256', GEHEIM).update(body).digest('hex')}`,
      'x-atlassian-webhook-identifier': `${run}-${k}`
    }
  }
}

async function deliveries (koppeling: string, run: string, opts: { duration: number }): Promise<{ r: autocannon.Result, s202: number }> {
  let seq = 0
  let s202 = 0
  const r = await autocannon({
    url: `http://127.0.0.1:${PORT}`,
    connections: CONNECTIONS,
    duration: opts.duration,
    requests: [{
      method: 'POST',
      setupRequest: (req) => { const d = delivery(run, seq++); return { ...req, path: `/api/v1/koppelingen/${koppeling}/berichten`, body: d.body, headers: d.headers } },
      onResponse: (status) => { if (status === 202) s202++ }
    }]
  })
  return { r, s202 }
}

export async function benchKoppelingen (): Promise<void> {
  const base = process.env.DATABASE_URL
  if (base === undefined || !base.startsWith('postgres')) {
    process.stdout.write('bench koppeling-deliveries-postgres: skipped (set DATABASE_URL to a PostgreSQL server)\n')
    return
  }
  await withPgDatabase(base, 'sla_bench_koppelingen', async (url) => { await on(url) })
}

async function on (url: string): Promise<void> {
  const { handle } = await prepareDatabase({ databaseUrl: url, dataDir: '', bootstrapKey: KEY })
  let child: ChildProcess | undefined
  try {
    child = start(url, {})
    await ready()
    const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }
    const post = async (path: string, body: object): Promise<{ id: string }> =>
      await (await fetch(`http://127.0.0.1:${PORT}/api/v1${path}`, { method: 'POST', headers, body: JSON.stringify(body) })).json() as { id: string }
    const lev = await post('/leveranciers', { naam: 'Bench BV' })
    const con = await post('/contracten', { leverancier: lev.id, naam: 'Bench' })
    const kop = await post('/koppelingen', { contract: con.id, bron: 'jira', naam: 'Bench Jira', geheim: GEHEIM })

    // Baseline: the plain event ingest of the meldingen group, on this server, same load.
    const M = 2_000
    await sql`insert into melding (contract_id, kenmerk, onderwerp, type, omgeving, gevraagde_prioriteit, gemeld_op, prioriteit)
      select ${con.id}::uuid, 'I-' || g, 'bench', 'verstoring', 'productie', 3, timestamptz '2026-03-02 09:00+01', 3 from generate_series(1, ${M}) g`.execute(handle.db)
    const ids = (await sql<{ id: string }>`select id from melding where kenmerk like 'I-%' order by kenmerk`.execute(handle.db)).rows.map((r) => r.id)
    let seq = 0
    const ingest = await autocannon({
      url: `http://127.0.0.1:${PORT}`,
      connections: CONNECTIONS,
      duration: SECONDS,
      requests: [{
        method: 'POST',
        headers,
        setupRequest: (req) => {
          const k = seq++
          return { ...req, path: `/api/v1/meldingen/${ids[k % M] as string}/gebeurtenissen`, body: JSON.stringify({ type: 'voortgang', op: new Date(Date.UTC(2026, 2, 2, 9) + Math.floor(k / M) * 60_000).toISOString(), kenmerk: `k-${k}` }) }
        }
      }]
    })
    const baseRate = ingest.requests.average
    const baseline = `event ingest over HTTP ${Math.round(baseRate)}/s`

    // Accepted + translated: the default server; counted until nothing is left `ontvangen`.
    const openstaand = async (): Promise<number> => Number((await sql<{ n: string }>`select count(*) as n from bericht where resultaat = 'ontvangen'`.execute(handle.db)).rows[0]?.n)
    const t0 = performance.now()
    const direct = await deliveries(kop.id, 'd', { duration: SECONDS })
    while (await openstaand() > 0) await new Promise((resolve) => setTimeout(resolve, 50))
    const secs = (performance.now() - t0) / 1000
    const done = Number((await sql<{ n: string }>`select count(*) as n from bericht where ticket like 'd%' and resultaat in ('verwerkt', 'dubbel')`.execute(handle.db)).rows[0]?.n)
    const translated = done / secs
    line('koppeling-deliveries-translated-postgres', translated, `deliveries/s accepted and translated (16 connections; answers p50 ${direct.r.latency.p50} ms, p99 ${direct.r.latency.p99} ms, ${direct.s202} of ${direct.r.requests.total} were 202, ${direct.r.non2xx} non-2xx)`, translated / baseRate, baseline)

    // The answer time at a steady rate (the 100 ms target): one delivery every 1000/RATE ms, each
    // timed from its send to its answer by this client.
    for (const rate of [25, 100]) {
      const times: number[] = []
      const statuses = new Map<number, number>()
      const pending: Array<Promise<void>> = []
      const begin = performance.now()
      for (let k = 0; k < rate * SECONDS; k++) {
        const d = delivery(`p${rate}-`, k)
        pending.push((async () => {
          const s = performance.now()
          const r = await fetch(`http://127.0.0.1:${PORT}/api/v1/koppelingen/${kop.id}/berichten`, { method: 'POST', headers: d.headers, body: d.body })
          await r.arrayBuffer()
          times.push(performance.now() - s)
          statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1)
        })())
        // Paced from the start, so a late timer does not lower the rate.
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, begin + (k + 1) * 1000 / rate - performance.now())))
      }
      await Promise.all(pending)
      times.sort((a, b) => a - b)
      const q = (p: number): number => Math.round(times[Math.min(times.length - 1, Math.floor(p * times.length))] as number)
      const within = times.filter((x) => x <= 100).length / times.length
      line(`koppeling-answer-at-${rate}rps-postgres`, q(0.99), `ms p99 (target 2xx within 100 ms: ${Math.round(within * 1000) / 10} % were; p50 ${q(0.5)} ms, max ${q(1)} ms; ${[...statuses].map(([st, n]) => `${n}× ${st}`).join(', ')})`)
      while (await openstaand() > 0) await new Promise((resolve) => setTimeout(resolve, 50))
    }
    await stop(child)
    child = undefined

    // Accepted only: processing left to the job.
    child = start(url, { KOPPELING_VERWERKING: 'job' })
    await ready()
    const accepted = await deliveries(kop.id, 'a', { duration: SECONDS })
    line('koppeling-deliveries-accepted-postgres', accepted.r.requests.average, `deliveries/s accepted, processing left to the job (16 connections; p50 ${accepted.r.latency.p50} ms, p99 ${accepted.r.latency.p99} ms, ${accepted.r.non2xx} non-2xx)`, accepted.r.requests.average / baseRate, baseline)
  } finally {
    if (child !== undefined) await stop(child)
    await handle.close()
  }
}
