import { sql, type Kysely } from 'kysely'
import type { ReeksGrenzen, UurAggregaat } from '../../core/index.js'
import type { Scope } from './contracten-repository.js'
import { decodeHistogram } from './meting-codec.js'
import type { Database, OnderhoudRow, RapportageRow, UitsluitingRow } from './schema.js'

/** What the report reads of a melding. */
export interface RapportMeldingRow {
  id: string
  kenmerk: string
  onderwerp: string
  type: string
  omgeving: string
  gevraagde_prioriteit: number | null
  gemeld_op: Date
  biv: string[] | null
  major: boolean | null
}

/** Every melding of a contract reported before `end`: a clock of any of them may be decided in the period. */
export async function meldingenTot (db: Kysely<Database>, contractId: string, end: Date): Promise<RapportMeldingRow[]> {
  return await db.selectFrom('melding')
    .select(['id', 'kenmerk', 'onderwerp', 'type', 'omgeving', 'gevraagde_prioriteit', 'gemeld_op', 'biv', 'major'])
    .where('contract_id', '=', contractId).where('gemeld_op', '<', end).orderBy('id').execute()
}

export interface RapportGebeurtenisRow {
  id: string
  melding_id: string
  kenmerk: string | null
  type: string
  op: Date
  status: string | null
  prioriteit: number | null
  sluitreden: string | null
  /** Only of security incidents: the report quotes their response and measures (SLA 7.3). */
  toelichting: string | null
}

/** The events of those meldingen, in one query (a join, not a list of ids). */
export async function gebeurtenissenTot (db: Kysely<Database>, contractId: string, end: Date): Promise<RapportGebeurtenisRow[]> {
  const r = await sql<RapportGebeurtenisRow>`
    select g.id, g.melding_id, g.kenmerk, g.type, g.op, g.status, g.prioriteit, g.sluitreden,
      case when m.type = 'beveiligingsincident' then g.toelichting end as toelichting
    from gebeurtenis g join melding m on m.id = g.melding_id
    where m.contract_id = ${contractId} and m.gemeld_op < ${end}
    order by g.melding_id, g.op, g.id`.execute(db)
  return r.rows.map((e) => ({ ...e, op: e.op instanceof Date ? e.op : new Date(e.op) }))
}

const DAY = 86_400_000

/** Run bounds of several diensten over UTC days [fromDay, toDay], per dienst in time order. */
export async function runBoundsOf (db: Kysely<Database>, dienstIds: readonly string[], fromDay: number, toDay: number): Promise<Map<string, ReeksGrenzen[]>> {
  const out = new Map<string, ReeksGrenzen[]>(dienstIds.map((id) => [id, []]))
  if (dienstIds.length === 0) return out
  const rows = await db.selectFrom('meetreeks').select(['dienst_id', 'van', 'tot', 'beschikbaar'])
    .where('dienst_id', '=', sql<string>`any(${sql.val([...dienstIds])}::uuid[])`)
    .where('van', '>=', new Date(fromDay * DAY)).where('van', '<', new Date((toDay + 1) * DAY))
    .orderBy('dienst_id').orderBy('van').execute()
  for (const r of rows) out.get(r.dienst_id)?.push({ van: r.van.getTime(), tot: r.tot.getTime(), beschikbaar: r.beschikbaar })
  return out
}

/**
 * Response-time aggregates of several diensten between two instants, summed per UTC day in SQL
 * (histograms concatenated; they decode as their sum). All stored hours lie in a service window,
 * and a UTC day's window hours belong to one local window, so the day's first hour stands for
 * them in the month computation.
 */
export async function dailyResponseTimesOf (db: Kysely<Database>, dienstIds: readonly string[], from: Date, to: Date): Promise<Map<string, UurAggregaat[]>> {
  const out = new Map<string, UurAggregaat[]>(dienstIds.map((id) => [id, []]))
  if (dienstIds.length === 0) return out
  const r = await sql<{ dienst_id: string, uur: Date, aantal: string | number, som_ms: number, histogram: Uint8Array }>`
    select dienst_id, min(uur) as uur, sum(aantal) as aantal, sum(som_ms) as som_ms, string_agg(histogram, ''::bytea order by uur) as histogram
    from responstijd_uur
    where dienst_id = any(${[...dienstIds]}::uuid[]) and uur >= ${from} and uur < ${to}
    group by dienst_id, date_trunc('day', uur at time zone 'UTC')
    order by dienst_id, min(uur)`.execute(db)
  for (const x of r.rows) {
    out.get(x.dienst_id)?.push({ uur: new Date(x.uur).getTime(), aantal: Number(x.aantal), somMs: Number(x.som_ms), histogram: decodeHistogram(x.histogram) })
  }
  return out
}

export async function uitsluitingenOf (db: Kysely<Database>, dienstIds: readonly string[], from: Date, to: Date): Promise<UitsluitingRow[]> {
  if (dienstIds.length === 0) return []
  return await db.selectFrom('uitsluiting').selectAll().where('dienst_id', 'in', [...dienstIds]).where('van', '<', to).where('tot', '>', from).orderBy('dienst_id').orderBy('van').orderBy('id').execute()
}

export async function onderhoudOf (db: Kysely<Database>, dienstIds: readonly string[], from: Date, to: Date): Promise<OnderhoudRow[]> {
  if (dienstIds.length === 0) return []
  return await db.selectFrom('onderhoud').selectAll().where('dienst_id', 'in', [...dienstIds]).where('van', '<', to).where('tot', '>', from).orderBy('dienst_id').orderBy('van').orderBy('id').execute()
}

/** The rows of the report list a scope may see, newest first. */
export async function listRapportages (db: Kysely<Database>, f: { contract?: string | undefined, periode?: string | undefined }, page: { offset: number, limit: number }, scope: Scope): Promise<{ rows: Array<Omit<RapportageRow, 'inhoud'>>, total: number }> {
  let q = db.selectFrom('rapportage')
  if (scope.leverancierId !== null) q = q.where('contract_id', 'in', db.selectFrom('contract').select('id').where('leverancier_id', '=', scope.leverancierId))
  if (f.contract !== undefined) q = q.where('contract_id', '=', f.contract)
  if (f.periode !== undefined) q = q.where('periode', '=', f.periode)
  const [rows, count] = await Promise.all([
    q.select(['id', 'contract_id', 'periode', 'versie', 'gegenereerd_op', 'gegenereerd_door', 'invoer_hash'])
      .orderBy('gegenereerd_op', 'desc').orderBy('versie', 'desc').orderBy('id').offset(page.offset).limit(page.limit).execute(),
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
  ])
  return { rows, total: Number(count.n) }
}

export async function getRapportage (db: Kysely<Database>, id: string, scope: Scope): Promise<RapportageRow | undefined> {
  let q = db.selectFrom('rapportage').selectAll().where('id', '=', id)
  if (scope.leverancierId !== null) q = q.where('contract_id', 'in', db.selectFrom('contract').select('id').where('leverancier_id', '=', scope.leverancierId))
  return await q.executeTakeFirst()
}
