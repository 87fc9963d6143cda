import { sql, type Kysely, type Transaction } from 'kysely'
import type { Reeks, ReeksGrenzen, UurAggregaat } from '../../core/index.js'
import type { Scope } from './contracten-repository.js'
import { decodeHistogram, decodeInstants, encodeHistogram, encodeInstants } from './meting-codec.js'
import type { Database, DienstRow } from './schema.js'

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

/** Adds samples' response times to their hours' aggregates. */
export async function addToHours (trx: Transaction<Database>, dienstId: string, hours: ReadonlyMap<number, UurAggregaat>): Promise<void> {
  if (hours.size === 0) return
  const existing = await trx.selectFrom('responstijd_uur').selectAll().where('dienst_id', '=', dienstId)
    .where('uur', '=', sql<Date>`any(${sql.val([...hours.keys()].map((h) => new Date(h).toISOString()))}::timestamptz[])`).execute()
  const byHour = new Map(existing.map((r) => [r.uur.getTime(), r]))
  const rows = [...hours.values()].map((h) => {
    const old = byHour.get(h.uur)
    const histogram = old === undefined ? new Map<number, number>() : decodeHistogram(old.histogram)
    for (const [k, c] of h.histogram) histogram.set(k, (histogram.get(k) ?? 0) + c)
    return { dienst_id: dienstId, uur: new Date(h.uur), aantal: (old?.aantal ?? 0) + h.aantal, som_ms: (old?.som_ms ?? 0) + h.somMs, histogram: Buffer.from(encodeHistogram(histogram)) }
  })
  await trx.insertInto('responstijd_uur').values(rows)
    .onConflict((oc) => oc.columns(['dienst_id', 'uur']).doUpdateSet((eb) => ({ aantal: eb.ref('excluded.aantal'), som_ms: eb.ref('excluded.som_ms'), histogram: eb.ref('excluded.histogram') })))
    .execute()
  await addToDays(trx, dienstId, hours)
}

const utcDate = (t: number): string => new Date(t).toISOString().slice(0, 10)

/** Adds the same aggregates to their UTC days' rows (see the responstijd_dag migration). */
async function addToDays (trx: Transaction<Database>, dienstId: string, hours: ReadonlyMap<number, UurAggregaat>): Promise<void> {
  const days = new Map<string, { aantal: number, somMs: number, histogram: Map<number, number> }>()
  for (const h of hours.values()) {
    const key = utcDate(h.uur)
    let d = days.get(key)
    if (d === undefined) { d = { aantal: 0, somMs: 0, histogram: new Map() }; days.set(key, d) }
    d.aantal += h.aantal
    d.somMs += h.somMs
    for (const [k, c] of h.histogram) d.histogram.set(k, (d.histogram.get(k) ?? 0) + c)
  }
  const existing = await trx.selectFrom('responstijd_dag').selectAll().where('dienst_id', '=', dienstId).where('dag', 'in', [...days.keys()]).execute()
  for (const old of existing) {
    const d = days.get(old.dag)
    if (d === undefined) continue
    d.aantal += old.aantal
    d.somMs += old.som_ms
    for (const [k, c] of decodeHistogram(old.histogram)) d.histogram.set(k, (d.histogram.get(k) ?? 0) + c)
  }
  await trx.insertInto('responstijd_dag').values([...days].map(([dag, d]) => ({ dienst_id: dienstId, dag, aantal: d.aantal, som_ms: d.somMs, histogram: Buffer.from(encodeHistogram(d.histogram)) })))
    .onConflict((oc) => oc.columns(['dienst_id', 'dag']).doUpdateSet((eb) => ({ aantal: eb.ref('excluded.aantal'), som_ms: eb.ref('excluded.som_ms'), histogram: eb.ref('excluded.histogram') })))
    .execute()
}

/** Run bounds of the UTC days from `fromDay` to `toDay`, in time order. */
export async function runBounds (db: Kysely<Database>, dienstId: string, fromDay: number, toDay: number): Promise<ReeksGrenzen[]> {
  const rows = await db.selectFrom('meetreeks').select(['van', 'tot', 'beschikbaar']).where('dienst_id', '=', dienstId)
    .where('van', '>=', new Date(fromDay * DAY)).where('van', '<', new Date((toDay + 1) * DAY)).orderBy('van').execute()
  return rows.map((r) => ({ van: r.van.getTime(), tot: r.tot.getTime(), beschikbaar: r.beschikbaar }))
}

export async function hoursBetween (db: Kysely<Database>, dienstId: string, from: Date, to: Date): Promise<UurAggregaat[]> {
  const rows = await db.selectFrom('responstijd_uur').selectAll().where('dienst_id', '=', dienstId).where('uur', '>=', from).where('uur', '<', to).execute()
  return rows.map((r) => ({ uur: r.uur.getTime(), aantal: r.aantal, somMs: r.som_ms, histogram: decodeHistogram(r.histogram) }))
}
