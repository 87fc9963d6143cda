import { sql, type Kysely, type Transaction } from 'kysely'
import type { Omgeving, OnderhoudSoort, Reeks, ReeksGrenzen, ResponstijdAggregaat } from '../../core/index.js'
import type { Scope } from './contracten-repository.js'
import { decodeHistogram, decodeInstants, encodeHistogram, encodeInstants } from './meting-codec.js'
import type { Database, DienstRow, OnderhoudRow, UitsluitingRow } from './schema.js'

export async function getDienst (db: Kysely<Database> | Transaction<Database>, id: string, scope: Scope, lock = false): Promise<DienstRow | undefined> {
  let q = db.selectFrom('dienst').selectAll('dienst').where('dienst.id', '=', id)
  if (scope.leverancierId !== null) {
    q = q.where('dienst.contract_id', 'in', db.selectFrom('contract').select('contract.id').where('contract.leverancier_id', '=', scope.leverancierId))
  }
  return await (lock ? q.forUpdate() : q).executeTakeFirst()
}

export async function listDiensten (db: Kysely<Database>, page: { offset: number, limit: number }, scope: Scope, contract?: string): Promise<{ rows: DienstRow[], total: number }> {
  let q = db.selectFrom('dienst')
  if (scope.leverancierId !== null) q = q.where('contract_id', 'in', db.selectFrom('contract').select('id').where('leverancier_id', '=', scope.leverancierId))
  if (contract !== undefined) q = q.where('contract_id', '=', contract)
  const [rows, count] = await Promise.all([
    q.selectAll().orderBy('naam').orderBy('id').offset(page.offset).limit(page.limit).execute(),
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
  ])
  return { rows, total: Number(count.n) }
}

export async function insertDienst (db: Kysely<Database>, d: { contractId: string, naam: string, omgeving: Omgeving, meetintervalMs: number, keyId: string | null }): Promise<DienstRow> {
  return await db.insertInto('dienst').values({ contract_id: d.contractId, naam: d.naam, omgeving: d.omgeving, meetinterval_ms: d.meetintervalMs, aangemaakt_door: d.keyId })
    .returningAll().executeTakeFirstOrThrow()
}

export async function insertUitsluiting (db: Kysely<Database>, u: { dienstId: string, van: Date, tot: Date, reden: string, toelichting: string, keyId: string | null }): Promise<UitsluitingRow> {
  return await db.insertInto('uitsluiting').values({ dienst_id: u.dienstId, van: u.van, tot: u.tot, reden: u.reden, toelichting: u.toelichting, sleutel_id: u.keyId })
    .returningAll().executeTakeFirstOrThrow()
}

export async function insertOnderhoud (db: Kysely<Database>, o: { dienstId: string, van: Date, tot: Date, soort: OnderhoudSoort, omgeving: Omgeving, toelichting: string, keyId: string | null }): Promise<OnderhoudRow> {
  return await db.insertInto('onderhoud').values({ dienst_id: o.dienstId, van: o.van, tot: o.tot, soort: o.soort, omgeving: o.omgeving, toelichting: o.toelichting, sleutel_id: o.keyId })
    .returningAll().executeTakeFirstOrThrow()
}

/**
 * The exclusion windows, or the planned maintenance, of some diensten: all of them, or those that
 * overlap `window`; by dienst, then in time order.
 */
export async function uitsluitingenOf (db: Kysely<Database>, dienstIds: readonly string[], window?: { from: Date, to: Date }): Promise<UitsluitingRow[]> {
  if (dienstIds.length === 0) return []
  let q = db.selectFrom('uitsluiting').selectAll().where('dienst_id', 'in', [...dienstIds])
  if (window !== undefined) q = q.where('van', '<', window.to).where('tot', '>', window.from)
  return await q.orderBy('dienst_id').orderBy('van').orderBy('id').execute()
}

export async function onderhoudOf (db: Kysely<Database>, dienstIds: readonly string[], window?: { from: Date, to: Date }): Promise<OnderhoudRow[]> {
  if (dienstIds.length === 0) return []
  let q = db.selectFrom('onderhoud').selectAll().where('dienst_id', 'in', [...dienstIds])
  if (window !== undefined) q = q.where('van', '<', window.to).where('tot', '>', window.from)
  return await q.orderBy('dienst_id').orderBy('van').orderBy('id').execute()
}

const DAY = 86_400_000

/** The stored runs of some UTC days (days since the epoch), with their sample instants. */
export async function runsOfDays (trx: Transaction<Database>, dienstId: string, days: readonly number[], interval: number): Promise<Map<number, Reeks[]>> {
  const out = new Map<number, Reeks[]>()
  if (days.length === 0) return out
  for (const d of days) out.set(d, [])
  // A run never crosses a UTC midnight, so its first sample names its day.
  const rows = await trx.selectFrom('meetreeks').selectAll().where('dienst_id', '=', dienstId)
    .where('van', '>=', new Date(Math.min(...days) * DAY)).where('van', '<', new Date((Math.max(...days) + 1) * DAY)).orderBy('van').execute()
  for (const r of rows) out.get(Math.floor(r.van.getTime() / DAY))?.push({ beschikbaar: r.beschikbaar, tijdstippen: decodeInstants(r.van.getTime(), r.tijdstippen, interval) })
  return out
}

/** Replaces the runs of one UTC day (they are derived from that day's samples). */
export async function replaceRunsOfDay (trx: Transaction<Database>, dienstId: string, day: number, runs: readonly Reeks[], interval: number): Promise<void> {
  await trx.deleteFrom('meetreeks').where('dienst_id', '=', dienstId).where('van', '>=', new Date(day * DAY)).where('van', '<', new Date((day + 1) * DAY)).execute()
  if (runs.length === 0) return
  await trx.insertInto('meetreeks').values(runs.map((r) => ({
    dienst_id: dienstId,
    van: new Date(r.tijdstippen[0] as number),
    tot: new Date(r.tijdstippen[r.tijdstippen.length - 1] as number),
    beschikbaar: r.beschikbaar,
    aantal: r.tijdstippen.length,
    tijdstippen: Buffer.from(encodeInstants(r.tijdstippen, interval))
  }))).execute()
}

/** Response-time sums of one UTC day of a dienst (only its service window's samples). */
export interface DagSom { aantal: number, somMs: number, histogram: Map<number, number> }

/** Adds samples' response times to their UTC days' rows (see the responstijd_dag migration). */
export async function addToDays (trx: Transaction<Database>, dienstId: string, days: ReadonlyMap<string, DagSom>): Promise<void> {
  if (days.size === 0) return
  const sums = new Map([...days].map(([dag, d]) => [dag, { aantal: d.aantal, somMs: d.somMs, histogram: new Map(d.histogram) }]))
  const existing = await trx.selectFrom('responstijd_dag').selectAll().where('dienst_id', '=', dienstId).where('dag', 'in', [...sums.keys()]).execute()
  for (const old of existing) {
    const d = sums.get(old.dag)
    if (d === undefined) continue
    d.aantal += old.aantal
    d.somMs += old.som_ms
    for (const [k, c] of decodeHistogram(old.histogram)) d.histogram.set(k, (d.histogram.get(k) ?? 0) + c)
  }
  await trx.insertInto('responstijd_dag').values([...sums].map(([dag, d]) => ({ dienst_id: dienstId, dag, aantal: d.aantal, som_ms: d.somMs, histogram: Buffer.from(encodeHistogram(d.histogram)) })))
    .onConflict((oc) => oc.columns(['dienst_id', 'dag']).doUpdateSet((eb) => ({ aantal: eb.ref('excluded.aantal'), som_ms: eb.ref('excluded.som_ms'), histogram: eb.ref('excluded.histogram') })))
    .execute()
}

/**
 * Response-time sums of some diensten per UTC day between two instants. All stored response
 * times lie in a service window, and a UTC day's window lies within that day, so each day stands
 * at 12:00 UTC, inside the window of its own local date (what the month computation checks).
 * One text, the histograms in hex: the embedded database decodes bytea ~8x slower.
 */
export async function responseTimesByDay (db: Kysely<Database>, dienstIds: readonly string[], from: Date, to: Date): Promise<Map<string, ResponstijdAggregaat[]>> {
  const out = new Map<string, ResponstijdAggregaat[]>(dienstIds.map((id) => [id, []]))
  if (dienstIds.length === 0) return out
  const r = await sql<{ j: string | null }>`
    select string_agg(concat_ws('|', dienst_id, dag, aantal, som_ms, encode(histogram, 'hex')), E'\n' order by dienst_id, dag) as j
    from responstijd_dag
    where dienst_id = any(${[...dienstIds]}::uuid[]) and dag >= ${from.toISOString().slice(0, 10)}::date and dag <= ${new Date(to.getTime() - 1).toISOString().slice(0, 10)}::date`.execute(db)
  for (const line of (r.rows[0]?.j ?? '').split('\n')) {
    if (line === '') continue
    const [dienst, dag, aantal, som, hex] = line.split('|') as [string, string, string, string, string]
    out.get(dienst)?.push({ op: Date.parse(`${dag}T12:00:00Z`), aantal: Number(aantal), somMs: Number(som), histogram: decodeHistogram(Buffer.from(hex, 'hex')) })
  }
  return out
}

/** Run bounds of the UTC days from `fromDay` to `toDay`, in time order. */
export async function runBounds (db: Kysely<Database>, dienstId: string, fromDay: number, toDay: number): Promise<ReeksGrenzen[]> {
  const rows = await db.selectFrom('meetreeks').select(['van', 'tot', 'beschikbaar']).where('dienst_id', '=', dienstId)
    .where('van', '>=', new Date(fromDay * DAY)).where('van', '<', new Date((toDay + 1) * DAY)).orderBy('van').execute()
  return rows.map((r) => ({ van: r.van.getTime(), tot: r.tot.getTime(), beschikbaar: r.beschikbaar }))
}
