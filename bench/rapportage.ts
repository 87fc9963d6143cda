// Quarterly report (issue 6): time to generate a quarter's report as JSON (read, compute, store)
// and to render its PDF, for 10,000 meldingen with 100,000 events and 100 diensten with a
// quarter of minute samples; against reading the same input rows with bare queries.
import { sql, type Kysely } from 'kysely'
import type { Database } from '../src/adapters/db/schema.js'
import { encodeHistogram, encodeInstants } from '../src/adapters/db/meting-codec.js'
import { prepareDatabase } from '../src/bootstrap.js'
import { bucketOf, effectivePriority, periodInterval, SLA_TIME_ZONE, windowDate, type MeldingType, type Omgeving, type Prioriteit } from '../src/core/index.js'
import { demoKwartaal } from '../src/demo/kwartaal.js'
import { rapportagePdf } from '../src/http/representations/rapportage-pdf.js'
import { genereerRapportage } from '../src/services/rapportages.js'
import { toStored, STANDAARD_VOORWAARDEN } from '../src/services/voorwaarden.js'
import { line, mulberry32, withPgDatabase } from './util.js'

const PERIODE = '2026-Q1'
const MELDINGEN = 10_000
const EVENTS = 100_000
const DIENSTEN = 100
const MIN = 60_000
const DAY = 86_400_000
const HOUR = 3_600_000

export async function fill (db: Kysely<Database>): Promise<string> {
  const lev = await db.insertInto('leverancier').values({ naam: 'Bench BV', kvk_nummer: null }).returning('id').executeTakeFirstOrThrow()
  const contract = await db.insertInto('contract').values({ leverancier_id: lev.id, naam: 'Bench-contract' }).returning('id').executeTakeFirstOrThrow()
  await db.insertInto('contract_normen').values({ contract_id: contract.id, versie: 1, geldig_vanaf: '1970-01-01', normen: JSON.stringify(toStored(STANDAARD_VOORWAARDEN)) }).execute()
  const { start, end } = periodInterval(PERIODE, SLA_TIME_ZONE)

  // Meldingen with realistic lifecycles (the demo's), padded with remarks to 10 events each.
  const q = demoKwartaal(PERIODE, end + 30 * DAY, { seed: 7, meldingen: MELDINGEN, diensten: 0 })
  for (let i = 0; i < q.meldingen.length; i += 1000) {
    const chunk = q.meldingen.slice(i, i + 1000)
    const rows = await db.insertInto('melding').values(chunk.map((m) => ({
      contract_id: contract.id, kenmerk: m.kenmerk, onderwerp: m.onderwerp, type: m.type, omgeving: m.omgeving, gevraagde_prioriteit: m.prioriteit ?? null,
      gemeld_op: m.gemeldOp, prioriteit: effectivePriority(m.type as MeldingType, m.omgeving as Omgeving, m.prioriteit as Prioriteit | undefined).prioriteit,
      biv: m.beveiliging?.biv ?? null, major: m.beveiliging?.major ?? null
    }))).returning(['id', 'kenmerk']).execute()
    const ids = new Map(rows.map((r) => [r.kenmerk, r.id]))
    const events = chunk.flatMap((m) => {
      const own = m.events.map((e) => ({ melding_id: ids.get(m.kenmerk) as string, kenmerk: e.kenmerk, type: e.type, op: e.op, status: e.status ?? null, prioriteit: null, sluitreden: e.sluitreden ?? null, toelichting: e.toelichting ?? null }))
      const pad = Array.from({ length: Math.max(0, EVENTS / MELDINGEN - own.length) }, (_, k) => ({
        melding_id: ids.get(m.kenmerk) as string, kenmerk: `${m.kenmerk}-opm-${k}`, type: 'opmerking' as const, op: new Date(Date.parse(m.gemeldOp) + (k + 1) * 7 * MIN).toISOString(), status: null, prioriteit: null, sluitreden: null, toelichting: 'telefonisch afgestemd'
      }))
      return [...own, ...pad]
    })
    for (let j = 0; j < events.length; j += 2000) await db.insertInto('gebeurtenis').values(events.slice(j, j + 2000)).execute()
  }

  // 100 diensten, minute samples over the quarter: runs and response-time sums per UTC day, as ingest stores them.
  const rnd = mulberry32(99)
  for (let d = 0; d < DIENSTEN; d++) {
    const dienst = await db.insertInto('dienst').values({ contract_id: contract.id, naam: `Dienst ${String(d + 1).padStart(3, '0')}`, omgeving: 'productie', meetinterval_ms: MIN }).returning('id').executeTakeFirstOrThrow()
    const outages = Array.from({ length: 4 }, () => { const s = start + Math.floor(rnd() * (end - start) / MIN) * MIN; return [s, s + Math.floor(5 + rnd() * 300) * MIN] as const })
    const runs: Array<{ dienst_id: string, van: Date, tot: Date, beschikbaar: boolean, aantal: number, tijdstippen: Buffer }> = []
    const days: Array<{ dienst_id: string, dag: string, aantal: number, som_ms: number, histogram: Buffer }> = []
    for (let day = start - (start % DAY); day < end; day += DAY) {
      let current: number[] = []
      let state = true
      const flush = (): void => {
        if (current.length === 0) return
        runs.push({ dienst_id: dienst.id, van: new Date(current[0] as number), tot: new Date(current[current.length - 1] as number), beschikbaar: state, aantal: current.length, tijdstippen: Buffer.from(encodeInstants(current, MIN)) })
        current = []
      }
      for (let t = Math.max(day, start - HOUR); t < Math.min(day + DAY, end + HOUR); t += MIN) {
        const up = !outages.some(([s, e]) => t >= s && t < e)
        if (up !== state) { flush(); state = up }
        current.push(t)
      }
      flush()
      // The day's response-time sums, as ingest keeps them: the window's minute samples only.
      const histogram = new Map<number, number>()
      let som = 0
      let aantal = 0
      for (let h = day; h < day + DAY; h += HOUR) {
        if (h < start || h >= end || windowDate(h, SLA_TIME_ZONE) === null || windowDate(h + HOUR - 1, SLA_TIME_ZONE) === null) continue
        for (let k = 0; k < 60; k++) { const v = Math.round(120 + rnd() * 300); som += v; aantal++; const b = bucketOf(v); histogram.set(b, (histogram.get(b) ?? 0) + 1) }
      }
      if (aantal > 0) days.push({ dienst_id: dienst.id, dag: new Date(day).toISOString().slice(0, 10), aantal, som_ms: som, histogram: Buffer.from(encodeHistogram(histogram)) })
    }
    for (let j = 0; j < runs.length; j += 1000) await db.insertInto('meetreeks').values(runs.slice(j, j + 1000)).execute()
    for (let j = 0; j < days.length; j += 1000) await db.insertInto('responstijd_dag').values(days.slice(j, j + 1000)).execute()
  }
  await sql`analyze`.execute(db)
  return contract.id
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number

async function run (label: string, databaseUrl: string | undefined): Promise<void> {
  const { handle } = await prepareDatabase({ databaseUrl, dataDir: databaseUrl === undefined ? 'memory://' : '', bootstrapKey: undefined })
  try {
    const t0 = performance.now()
    const contract = await fill(handle.db)
    const filled = (performance.now() - t0) / 1000
    const { start, end } = periodInterval(PERIODE, SLA_TIME_ZONE)
    const now = end + 20 * DAY
    const json: number[] = []
    const pdf: number[] = []
    const bare: number[] = []
    let doc: Awaited<ReturnType<typeof genereerRapportage>> | undefined
    // Each measured five times in a row (median), so that one's garbage does not land in another's time.
    for (let i = 0; i < 5; i++) {
      const a = performance.now()
      doc = await genereerRapportage(handle.db, contract, PERIODE, { leverancierId: null }, null, now)
      json.push(performance.now() - a)
    }
    const parsed = JSON.parse(doc?.inhoud ?? '{}')
    for (let i = 0; i < 5; i++) {
      const b = performance.now()
      const bytes = await rapportagePdf(parsed)
      pdf.push(performance.now() - b)
      if (bytes.length < 10_000) throw new Error('PDF too small')
    }
    for (let i = 0; i < 5; i++) {
      // Baseline: the same input rows read with bare queries, nothing computed.
      const c = performance.now()
      await Promise.all([
        sql`select g.* from gebeurtenis g join melding m on m.id = g.melding_id where m.contract_id = ${contract} and m.gemeld_op < ${new Date(end)}`.execute(handle.db),
        sql`select * from melding where contract_id = ${contract} and gemeld_op < ${new Date(end)}`.execute(handle.db),
        sql`select van, tot, beschikbaar from meetreeks where van >= ${new Date(start - 2 * DAY)} and van < ${new Date(end + 2 * DAY)}`.execute(handle.db),
        sql`select * from responstijd_dag where dag >= ${new Date(start).toISOString().slice(0, 10)}::date and dag < ${new Date(end).toISOString().slice(0, 10)}::date`.execute(handle.db)
      ])
      bare.push(performance.now() - c)
    }
    const r = JSON.parse(doc?.inhoud ?? '{}')
    const facts = `${r.herkomst.aantallen.meldingen as number} meldingen, ${r.herkomst.aantallen.gebeurtenissen as number} events, ${r.herkomst.aantallen.diensten as number} diensten; filled in ${filled.toFixed(0)} s`
    line(`rapportage-json-${label}`, median(json), `ms per quarter report, generated and stored (${facts}; target < 1000)`, median(json) / median(bare), `bare reads of its input rows ${Math.round(median(bare))} ms`)
    line(`rapportage-pdf-${label}`, median(pdf), `ms to render its PDF (${r.overschrijdingen.length as number} breaches listed; target < 3000)`, median(pdf) / median(json), 'the JSON generation')
  } finally {
    await handle.close()
  }
}

export async function benchRapportage (): Promise<void> {
  await run('embedded', undefined)
  const base = process.env.DATABASE_URL
  if (base !== undefined && base !== '') await withPgDatabase(base, 'bench_rapportage', async (url) => { await run('postgres', url) })
}
