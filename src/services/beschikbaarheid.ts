import type { Kysely } from 'kysely'
import { DateTime } from 'luxon'
import {
  addToDays, getDienst, insertDienst, insertOnderhoud, insertUitsluiting, listDiensten, onderhoudOf, replaceRunsOfDay,
  responseTimesByDay, runBounds, runsOfDays, uitsluitingenOf, type DagSom
} from '../adapters/db/beschikbaarheid-repository.js'
import type { Scope } from '../adapters/db/contracten-repository.js'
import { getContract, versionsOf } from '../adapters/db/contracten-repository.js'
import type { Database, DienstRow, OnderhoudRow, UitsluitingRow } from '../adapters/db/schema.js'
import {
  bucketOf, computeMaand, mergeDay, SLA_TIME_ZONE, utcDay, versionInForce, vensters, windowDate,
  type Instant, type MaandResultaat, type Meting, type Omgeving, type Onderhoud, type OnderhoudSoort, type ReeksGrenzen, type ResponstijdAggregaat, type VoorwaardenVersie
} from '../core/index.js'
import { invalid, ServiceError } from './errors.js'
import { fromRow, slaContext } from './voorwaarden.js'
import { signaleerMaanden } from './signalen.js'

const DAY = 86_400_000

/** The rows of diensten, exclusions and maintenance, as the HTTP layer maps them. */
export type { DienstRow, OnderhoudRow, UitsluitingRow } from '../adapters/db/schema.js'

const dienstNotFound = (id: string): ServiceError => new ServiceError('not-found', `dienst ${id} does not exist, or this key may not see it`)

async function dienstOrNotFound (db: Kysely<Database>, id: string, scope: Scope): Promise<DienstRow> {
  const row = await getDienst(db, id, scope)
  if (row === undefined) throw dienstNotFound(id)
  return row
}

/** A new monitored service of an existing contract; its probe's interval in whole seconds, PT1S–PT24H. */
export async function createDienst (db: Kysely<Database>, d: { contract: string, naam: string, omgeving: Omgeving, meetintervalMs: number }, keyId: string | null): Promise<DienstRow> {
  if (d.meetintervalMs < 1000 || d.meetintervalMs > 86_400_000 || d.meetintervalMs % 1000 !== 0) throw invalid([{ name: 'meetinterval', reason: 'must be whole seconds between PT1S and PT24H' }])
  if (await getContract(db, d.contract, { leverancierId: null }) === undefined) throw invalid([{ name: 'contract', reason: `contract ${d.contract} does not exist` }])
  return await insertDienst(db, { contractId: d.contract, naam: d.naam, omgeving: d.omgeving, meetintervalMs: d.meetintervalMs, keyId })
}

export async function dienstenPage (db: Kysely<Database>, page: { offset: number, limit: number }, scope: Scope, contract?: string): Promise<{ rows: DienstRow[], total: number }> {
  return await listDiensten(db, page, scope, contract)
}

export async function dienstView (db: Kysely<Database>, id: string, scope: Scope): Promise<DienstRow> {
  return await dienstOrNotFound(db, id, scope)
}

function checkedWindow (van: number, tot: number): { van: Date, tot: Date } {
  if (tot <= van) throw invalid([{ name: 'tot', reason: 'must lie after van' }])
  return { van: new Date(van), tot: new Date(tot) }
}

/** An exclusion window of a dienst (R-BES-3); only the gemeente records them, so no scope. */
export async function addUitsluiting (db: Kysely<Database>, dienstId: string, u: { van: number, tot: number, reden: string, toelichting: string }, keyId: string | null): Promise<UitsluitingRow> {
  const dienst = await dienstOrNotFound(db, dienstId, { leverancierId: null })
  return await insertUitsluiting(db, { dienstId: dienst.id, ...checkedWindow(u.van, u.tot), reden: u.reden, toelichting: u.toelichting, keyId })
}

export async function uitsluitingenVan (db: Kysely<Database>, dienstId: string, scope: Scope): Promise<UitsluitingRow[]> {
  return await uitsluitingenOf(db, [(await dienstOrNotFound(db, dienstId, scope)).id])
}

/** Planned maintenance or an upgrade of a dienst (R-BES-6); its omgeving defaults to the dienst's. */
export async function addOnderhoud (db: Kysely<Database>, dienstId: string, o: { van: number, tot: number, soort: OnderhoudSoort, omgeving: Omgeving | undefined, toelichting: string }, scope: Scope, keyId: string | null): Promise<OnderhoudRow> {
  const dienst = await dienstOrNotFound(db, dienstId, scope)
  return await insertOnderhoud(db, { dienstId: dienst.id, ...checkedWindow(o.van, o.tot), soort: o.soort, omgeving: o.omgeving ?? dienst.omgeving, toelichting: o.toelichting, keyId })
}

export async function onderhoudVan (db: Kysely<Database>, dienstId: string, scope: Scope): Promise<OnderhoudRow[]> {
  return await onderhoudOf(db, [(await dienstOrNotFound(db, dienstId, scope)).id])
}

/**
 * Stores a batch of samples of a dienst as a whole: merged into the runs of the UTC days they
 * touch (each sample counted once, whatever the order or repeats), and the response times of
 * new samples inside a service window added to their hour's aggregate. Sample instants are kept
 * to the second. The dienst row is locked, so concurrent batches of one dienst apply in turn.
 */
export async function ingest (db: Kysely<Database>, dienstId: string, batch: readonly Meting[], scope: Scope, now?: Instant): Promise<{ ontvangen: number, nieuw: number }> {
  const samples = batch.map((s) => (s.op % 1000 === 0 ? s : { ...s, op: Math.floor(s.op / 1000) * 1000 }))
  return await db.transaction().execute(async (trx) => {
    const dienst = await getDienst(trx, dienstId, scope, true)
    if (dienst === undefined) throw new ServiceError('not-found', `dienst ${dienstId} does not exist, or this key may not see it`)
    const interval = dienst.meetinterval_ms
    const byDay = new Map<number, Meting[]>()
    for (const s of samples) {
      const d = utcDay(s.op)
      const list = byDay.get(d)
      if (list === undefined) byDay.set(d, [s])
      else list.push(s)
    }
    const existing = await runsOfDays(trx, dienstId, [...byDay.keys()], interval)
    const sums = new Map<string, DagSom>()
    let nieuw = 0
    for (const [day, list] of byDay) {
      const merged = mergeDay(existing.get(day) ?? [], list, interval)
      nieuw += merged.nieuw.length
      if (merged.nieuw.length === 0 && merged.reeksen.length === (existing.get(day) ?? []).length &&
          merged.reeksen.every((r, i) => r.beschikbaar === existing.get(day)?.[i]?.beschikbaar)) continue
      await replaceRunsOfDay(trx, dienstId, day, merged.reeksen, interval)
      for (const s of merged.nieuw) {
        if (s.responstijdMs === undefined) continue
        if (windowDate(s.op, SLA_TIME_ZONE) === null) continue // R-BES-7 counts only the window's samples
        const dag = new Date(s.op).toISOString().slice(0, 10)
        let a = sums.get(dag)
        if (a === undefined) { a = { aantal: 0, somMs: 0, histogram: new Map() }; sums.set(dag, a) }
        const k = bucketOf(s.responstijdMs)
        a.aantal++
        a.somMs += s.responstijdMs
        a.histogram.set(k, (a.histogram.get(k) ?? 0) + 1)
      }
    }
    await addToDays(trx, dienstId, sums)
    // Issue 14: downtime may put a month below its norm, or beyond reach of it.
    const down = [...new Set(samples.filter((x) => !x.beschikbaar).map((x) => DateTime.fromMillis(x.op, { zone: SLA_TIME_ZONE }).toFormat('yyyy-LL')))]
    if (down.length > 0 && now !== undefined) await signaleerMaanden(trx, dienst, down, now)
    return { ontvangen: samples.length, nieuw }
  })
}

/** What the month computation of a dienst reads; each list may reach beyond the month. */
export interface MaandData {
  readonly reeksen: readonly ReeksGrenzen[]
  readonly responstijden: readonly ResponstijdAggregaat[]
  readonly uitsluitingen: readonly UitsluitingRow[]
  readonly onderhoud: readonly OnderhoudRow[]
}

/** The bounds of a month of runs to read: from the day before (runs hold into it) to the day after. */
export function monthReach (month: string, interval: number): { start: number, end: number, fromDay: number, toDay: number } {
  const start = DateTime.fromISO(`${month}-01`, { zone: SLA_TIME_ZONE }).toMillis()
  const end = DateTime.fromISO(`${month}-01`, { zone: SLA_TIME_ZONE }).plus({ months: 1 }).toMillis()
  const reach = Math.ceil((2 * interval) / DAY)
  return { start, end, fromDay: utcDay(start) - 1 - reach, toDay: utcDay(end) + 1 + reach }
}

/** The month of a dienst (R-BES) from its data, judged by the availability norm in force at the month's first window. */
export function maandResultaat (dienst: DienstRow, month: string, data: MaandData, versions: readonly VoorwaardenVersie[]): MaandResultaat {
  const { start, end } = monthReach(month, dienst.meetinterval_ms)
  const days = vensters(month, SLA_TIME_ZONE)
  const terms = versionInForce(versions, days[0]?.venster.start ?? start, SLA_TIME_ZONE)
  const overlaps = (r: { van: Date, tot: Date }): boolean => r.van.getTime() < end && r.tot.getTime() > start
  return computeMaand({
    maand: month,
    timeZone: SLA_TIME_ZONE,
    interval: dienst.meetinterval_ms,
    reeksen: data.reeksen,
    uitsluitingen: data.uitsluitingen.filter(overlaps).map((u) => ({ start: u.van.getTime(), end: u.tot.getTime() })),
    onderhoud: data.onderhoud.filter(overlaps).map((o): Onderhoud => ({ id: o.id, start: o.van.getTime(), end: o.tot.getTime(), soort: o.soort, omgeving: o.omgeving })),
    responstijden: data.responstijden,
    norm: terms.beschikbaarheidsnorm,
    // The memoised calendar of these terms: a contract with extra closed days would otherwise build
    // (and precompute) a new one for every dienst and month.
    kantooruren: slaContext(terms).calendar('kantooruren')
  })
}

export interface MaandView {
  readonly dienst: DienstRow
  readonly result: MaandResultaat
  readonly uitsluitingen: ReadonlyArray<{ id: string, van: number, tot: number, reden: string }>
}

/** The month of a dienst (R-BES), judged by the contract's availability norm in force at the month's start. */
export async function maand (db: Kysely<Database>, dienstId: string, month: string, scope: Scope): Promise<MaandView> {
  const dienst = await dienstOrNotFound(db, dienstId, scope)
  const { start: monthStart, end: monthEnd, fromDay, toDay } = monthReach(month, dienst.meetinterval_ms)
  const [reeksen, responstijden, uitsluitingen, onderhoud, versions] = await Promise.all([
    runBounds(db, dienstId, fromDay, toDay),
    responseTimesByDay(db, [dienstId], new Date(monthStart), new Date(monthEnd)).then((m) => m.get(dienstId) ?? []),
    uitsluitingenOf(db, [dienstId], { from: new Date(monthStart), to: new Date(monthEnd) }),
    onderhoudOf(db, [dienstId], { from: new Date(monthStart), to: new Date(monthEnd) }),
    versionsOf(db, [dienst.contract_id])
  ])
  const result = maandResultaat(dienst, month, { reeksen, responstijden, uitsluitingen, onderhoud }, (versions.get(dienst.contract_id) ?? []).map(fromRow))
  return { dienst, result, uitsluitingen: uitsluitingen.map((u) => ({ id: u.id, van: u.van.getTime(), tot: u.tot.getTime(), reden: u.reden })) }
}
