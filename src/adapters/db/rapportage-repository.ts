import {
  BIV_ASPECTEN, enumReader, GEBEURTENIS_TYPES, MELDING_TYPES, OMGEVINGEN, PRIORITEITEN, SLUITREDENEN, STATUSES,
  type BivAspect, type GebeurtenisType, type MeldingStatus, type MeldingType, type Omgeving, type Prioriteit, type Sluitreden
} from '../../core/index.js'
import { sql, type Kysely } from 'kysely'
import type { ReeksGrenzen } from '../../core/index.js'
import type { Scope } from './contracten-repository.js'
import type { Database, RapportageRow } from './schema.js'

/** What the report reads of a melding. */
export interface RapportMeldingRow {
  id: string
  kenmerk: string
  onderwerp: string
  type: MeldingType
  omgeving: Omgeving
  gevraagde_prioriteit: Prioriteit | null
  /** Epoch milliseconds. */
  gemeld_op: number
  biv: BivAspect[] | null
  major: boolean | null
  events: RapportGebeurtenisRow[]
}

export interface RapportGebeurtenisRow {
  id: string
  kenmerk: string | null
  type: GebeurtenisType
  /** Epoch milliseconds. */
  op: number
  status: MeldingStatus | null
  prioriteit: Prioriteit | null
  sluitreden: Sluitreden | null
  /** Only of security incidents: the report quotes their response and measures (SLA 7.3). */
  toelichting: string | null
}

// The enum columns as the core's unions (the database's check constraints hold them to these).
const readType = enumReader(GEBEURTENIS_TYPES, 'gebeurtenis type')
const readStatus = enumReader(STATUSES, 'status')
const readPrioriteit = enumReader(PRIORITEITEN, 'prioriteit')
const readSluitreden = enumReader(SLUITREDENEN, 'sluitreden')
const readMeldingType = enumReader(MELDING_TYPES, 'melding type')
const readOmgeving = enumReader(OMGEVINGEN, 'omgeving')
const readBiv = enumReader(BIV_ASPECTEN, 'BIV aspect')

type MeldingTuple = [string, string, string, string, string, number | null, number, string[] | null, boolean | null]

/**
 * Every melding of a contract reported before `end` with its events: a clock of any of them may
 * be decided in the period, except of one closed before the period began (its clocks were all
 * decided by then; an event after closing is kept and counts, so such a melding is read). Both as
 * one text each: the embedded database hands over one large text several times faster than a
 * row per event, and a line per event faster than JSON.
 */
export async function meldingenTot (db: Kysely<Database>, contractId: string, start: Date, end: Date): Promise<{ rows: RapportMeldingRow[], texts: string[] }> {
  const relevant = sql`m.contract_id = ${contractId} and m.gemeld_op < ${end}
    and not (m.status = 'gesloten' and m.gemeld_op < ${start} and not exists (select 1 from gebeurtenis l where l.melding_id = m.id and l.op >= ${start}))`
  const [meldingen, events, toelichtingen] = await Promise.all([
    sql<{ j: string | null }>`
      select json_agg(json_build_array(m.id, m.kenmerk, m.onderwerp, m.type, m.omgeving, m.gevraagde_prioriteit, (extract(epoch from m.gemeld_op) * 1000)::bigint, m.biv, m.major) order by m.id)::text as j
      from melding m where ${relevant}`.execute(db),
    // One line per event: melding|id|type|op|status|prioriteit|sluitreden|"kenmerk". The kenmerk
    // comes last, JSON-encoded, so it can hold '|' and never a raw newline. Unordered: sorting
    // 100,000 rows costs the embedded database more than sorting each melding's few here.
    sql<{ j: string | null }>`
      select string_agg(concat_ws('|', g.melding_id, g.id, g.type, (extract(epoch from g.op) * 1000)::bigint, coalesce(g.status, ''), coalesce(g.prioriteit::text, ''),
        coalesce(g.sluitreden, ''), coalesce(to_json(g.kenmerk)::text, 'null')), E'\n') as j
      from gebeurtenis g join melding m on m.id = g.melding_id where ${relevant}`.execute(db),
    // The texts of security incidents' events, which the report quotes (SLA 7.3).
    sql<{ j: string | null }>`
      select json_object_agg(g.id, g.toelichting order by g.id)::text as j
      from gebeurtenis g join melding m on m.id = g.melding_id where ${relevant} and m.type = 'beveiligingsincident' and g.toelichting is not null`.execute(db)
  ])
  const toelichting = JSON.parse(toelichtingen.rows[0]?.j ?? '{}') as Record<string, string>
  const byMelding = new Map<string, Array<{ e: RapportGebeurtenisRow, line: string }>>()
  for (const line of (events.rows[0]?.j ?? '').split('\n')) {
    if (line === '') continue
    const parts = line.split('|')
    const [meldingId, id, type, op, status, prioriteit, sluitreden] = parts as [string, string, string, string, string, string, string]
    const k = parts.length === 8 ? parts[7] as string : parts.slice(7).join('|')
    // Most kenmerken need no unescaping: skip JSON.parse for them (100,000 calls add up).
    const kenmerk = k === 'null' ? null : k.includes('\\') ? JSON.parse(k) as string : k.slice(1, -1)
    const e: RapportGebeurtenisRow = {
      id, kenmerk, type: readType(type), op: Number(op), status: status === '' ? null : readStatus(status), prioriteit: prioriteit === '' ? null : readPrioriteit(Number(prioriteit)),
      sluitreden: sluitreden === '' ? null : readSluitreden(sluitreden), toelichting: toelichting[id] ?? null
    }
    const list = byMelding.get(meldingId)
    if (list === undefined) byMelding.set(meldingId, [{ e, line }])
    else list.push({ e, line })
  }
  const text = meldingen.rows[0]?.j ?? null
  if (text === null) return { rows: [], texts: [] }
  const eventLines: string[] = []
  const rows = (JSON.parse(text) as MeldingTuple[]).map(([id, kenmerk, onderwerp, type, omgeving, gevraagdePrioriteit, gemeldOp, biv, major]) => {
    const list = (byMelding.get(id) ?? []).sort((a, b) => a.e.op - b.e.op || (a.e.id < b.e.id ? -1 : a.e.id > b.e.id ? 1 : 0))
    for (const x of list) eventLines.push(x.line)
    return {
      id, kenmerk, onderwerp, type: readMeldingType(type), omgeving: readOmgeving(omgeving), gevraagde_prioriteit: gevraagdePrioriteit === null ? null : readPrioriteit(gevraagdePrioriteit),
      gemeld_op: Number(gemeldOp), biv: biv === null ? null : biv.map(readBiv), major, events: list.map((x) => x.e)
    }
  })
  // The inputs as read, in a canonical order (meldingen by id, their events by time and id), for the report's hash.
  return { rows, texts: [text, eventLines.join('\n'), toelichtingen.rows[0]?.j ?? ''] }
}

const DAY = 86_400_000

/** Run bounds of several diensten over UTC days [fromDay, toDay], per dienst in time order (one text: see meldingenTot). */
export async function runBoundsOf (db: Kysely<Database>, dienstIds: readonly string[], fromDay: number, toDay: number): Promise<Map<string, ReeksGrenzen[]>> {
  const out = new Map<string, ReeksGrenzen[]>(dienstIds.map((id) => [id, []]))
  if (dienstIds.length === 0) return out
  const r = await sql<{ j: string | null }>`
    select string_agg(concat_ws('|', dienst_id, (extract(epoch from van) * 1000)::bigint, (extract(epoch from tot) * 1000)::bigint, case when beschikbaar then 1 else 0 end), E'\n' order by dienst_id, van) as j
    from meetreeks where dienst_id = any(${[...dienstIds]}::uuid[]) and van >= ${new Date(fromDay * DAY)} and van < ${new Date((toDay + 1) * DAY)}`.execute(db)
  for (const line of (r.rows[0]?.j ?? '').split('\n')) {
    if (line === '') continue
    const [dienst, van, tot, up] = line.split('|') as [string, string, string, string]
    out.get(dienst)?.push({ van: Number(van), tot: Number(tot), beschikbaar: up === '1' })
  }
  return out
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
