// `npm run demo [-- --periode 2026-Q3] [--out rapportage.pdf]`: fills an embedded database with a
// realistic synthetic quarter through the service's own API, runs the closing job, generates that
// quarter's report and writes its PDF. The database stays (DEMO_DATA_DIR, default ./demo-data),
// so the service can be started on it afterwards to look around.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { DateTime } from 'luxon'
import { buildApp } from '../app.js'
import { migrationCount, prepareDatabase } from '../bootstrap.js'
import { periodInterval, SLA_TIME_ZONE } from '../core/index.js'
import { demoKwartaal, samplesOf } from '../demo/kwartaal.js'
import { closeDue } from '../services/meldingen.js'

const { values } = parseArgs({ options: { periode: { type: 'string' }, out: { type: 'string' } } })
const now = Date.now()
const current = DateTime.fromMillis(now, { zone: SLA_TIME_ZONE })
const previous = current.startOf('quarter').minus({ days: 1 })
const periode = values.periode ?? `${previous.year}-Q${previous.quarter}`
if (!/^\d{4}-Q[1-4]$/.test(periode)) {
  process.stderr.write(`--periode must be a quarter like 2026-Q3, not '${periode}'\n`)
  process.exit(2)
}
const out = resolve(values.out ?? `demo-rapportage-${periode}.pdf`)
const dataDir = process.env.DEMO_DATA_DIR ?? './demo-data'
const key = 'demo-beheerder-sleutel-0123456789abcdef'

// The demo starts afresh, but never removes a folder it did not make itself.
const MARKER = join(dataDir, '.sla-monitor-demo')
if (existsSync(dataDir)) {
  if (!existsSync(MARKER)) {
    process.stderr.write(`${dataDir} exists and was not made by the demo: not touching it (set DEMO_DATA_DIR to another folder)\n`)
    process.exit(2)
  }
  rmSync(dataDir, { recursive: true, force: true })
}
mkdirSync(dataDir, { recursive: true })
writeFileSync(MARKER, 'made by npm run demo; removed and made again by the next run\n')
const started = performance.now()
const { handle } = await prepareDatabase({ databaseUrl: undefined, dataDir, bootstrapKey: key })
const app = await buildApp({ config: { corsOrigins: [], publicUrl: 'http://localhost:8080/api/v1' }, database: handle, migrationCount: migrationCount(), clock: Date.now })
await app.ready()

async function call (method: 'GET' | 'POST', url: string, payload?: unknown, headers: Record<string, string> = {}): Promise<{ status: number, json: any, raw: Buffer }> {
  const res = await app.inject({ method, url: `/api/v1${url}`, headers: { authorization: `Bearer ${key}`, ...headers }, ...(payload === undefined ? {} : { payload: payload as object }) })
  if (res.statusCode >= 400) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`)
  return { status: res.statusCode, json: String(res.headers['content-type']).startsWith('application/json') ? JSON.parse(res.body) : undefined, raw: res.rawPayload }
}

try {
  const q = demoKwartaal(periode, now)
  const leverancier = (await call('POST', '/leveranciers', { naam: 'Noordelijke Software BV', kvkNummer: '01234567' })).json.id as string
  const contract = (await call('POST', '/contracten', { leverancier, naam: 'Zaaksysteem en burgerportaal (SaaS)' })).json.id as string
  process.stdout.write(`demo ${periode}: ${q.meldingen.length} meldingen, ${q.diensten.length} diensten…\n`)
  for (const m of q.meldingen) {
    const { events, ...body } = m
    const id = (await call('POST', '/meldingen', { contract, ...body })).json.id as string
    if (events.length > 0) await call('POST', `/meldingen/${id}/gebeurtenissen`, events)
  }
  const { start, end: quarterEnd } = periodInterval(periode, SLA_TIME_ZONE)
  let samples = 0
  const ids = new Map<string, string>()
  for (const [i, d] of q.diensten.entries()) {
    const id = (await call('POST', '/diensten', { contract, naam: d.naam, omgeving: d.omgeving })).json.id as string
    ids.set(d.naam, id)
    let batch: unknown[] = []
    for (const s of samplesOf(d, start - 3_600_000, Math.min(quarterEnd + 3_600_000, now), 100 + i)) {
      batch.push(s)
      if (batch.length === 10_000) { await call('POST', `/diensten/${id}/metingen`, batch); samples += batch.length; batch = [] }
    }
    if (batch.length > 0) { await call('POST', `/diensten/${id}/metingen`, batch); samples += batch.length }
  }
  for (const o of q.onderhoud) await call('POST', `/diensten/${ids.get(o.dienst) ?? ''}/onderhoud`, { van: o.van, tot: o.tot, soort: o.soort, toelichting: o.toelichting })
  for (const u of q.uitsluitingen) await call('POST', `/diensten/${ids.get(u.dienst) ?? ''}/uitsluitingen`, { van: u.van, tot: u.tot, reden: u.reden, toelichting: u.toelichting })
  for (const r of q.restoretests) await call('POST', '/restoretests', { contract, ...r })
  await call('POST', '/gebruikersopgaven', { contract, periode, ...q.gebruikers })
  const closed = await closeDue(handle.db, now)
  const rapport = (await call('POST', '/rapportages', { contract, periode })).json
  const pdf = await call('GET', `/rapportages/${rapport.id as string}`, undefined, { accept: 'application/pdf' })
  writeFileSync(out, pdf.raw)
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  process.stdout.write([
    `${q.meldingen.length} meldingen (${closed.length} closed automatically), ${samples.toLocaleString('en-US')} samples of ${q.diensten.length} diensten stored in ${dataDir} (${seconds} s)`,
    `report ${periode} versie ${rapport.versie as number}: ${rapport.oordeel as string}; KPI ${rapport.kpi.oordeel as string}, ${rapport.overschrijdingen.length as number} breaches, ${rapport.voortgang.gemist as number} missed progress updates`,
    `PDF written to ${out}`,
    `look around: DATA_DIR=${dataDir} SLA_BOOTSTRAP_KEY=${key} npm start`,
    `  then: curl -H 'Authorization: Bearer ${key}' localhost:8080/api/v1/rapportages/${rapport.id as string}`,
    ''
  ].join('\n'))
} finally {
  await app.close()
  await handle.close()
}
