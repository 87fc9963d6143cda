import { randomUUID } from 'node:crypto'
import { sql, type Kysely, type Transaction } from 'kysely'
import type { BivAspect, GebeurtenisType, MeldingStatus, MeldingType, Omgeving, Prioriteit, Sluitreden } from '../../core/index.js'
import type { Scope } from './contracten-repository.js'
import type { ContractNormenRow, Database, GebeurtenisRow, MeldingRow } from './schema.js'

export interface NewMeldingRow {
  contractId: string
  kenmerk: string
  onderwerp: string
  type: MeldingType
  omgeving: Omgeving
  gevraagdePrioriteit: Prioriteit | null
  gemeldOp: Date
  prioriteit: Prioriteit
  keyId: string | null
  biv: BivAspect[] | null
  major: boolean | null
}

/**
 * Inserts a melding unless one with the same (contract, kenmerk) exists: the database's unique
 * constraint decides, so concurrent identical requests make exactly one. Returns the stored row
 * and whether this call made it.
 */
export async function insertMeldingOnce (db: Kysely<Database> | Transaction<Database>, m: NewMeldingRow): Promise<{ row: MeldingRow, created: boolean }> {
  const inserted = await db.insertInto('melding').values({
    contract_id: m.contractId, kenmerk: m.kenmerk, onderwerp: m.onderwerp, type: m.type, omgeving: m.omgeving,
    gevraagde_prioriteit: m.gevraagdePrioriteit, gemeld_op: m.gemeldOp, prioriteit: m.prioriteit, aangemaakt_door: m.keyId,
    biv: m.biv, major: m.major
  }).onConflict((oc) => oc.columns(['contract_id', 'kenmerk']).doNothing()).returningAll().executeTakeFirst()
  if (inserted !== undefined) return { row: inserted, created: true }
  const existing = await db.selectFrom('melding').selectAll().where('contract_id', '=', m.contractId).where('kenmerk', '=', m.kenmerk).executeTakeFirstOrThrow()
  return { row: existing, created: false }
}

/** A melding the scope may see, optionally locked for update (in a transaction). */
export async function getMelding (db: Kysely<Database> | Transaction<Database>, id: string, scope: Scope, lock = false): Promise<MeldingRow | undefined> {
  let q = db.selectFrom('melding').selectAll('melding').where('melding.id', '=', id)
  if (scope.leverancierId !== null) {
    q = q.innerJoin('contract', 'contract.id', 'melding.contract_id').where('contract.leverancier_id', '=', scope.leverancierId)
  }
  return await (lock ? q.forUpdate('melding') : q).executeTakeFirst()
}

/**
 * Locks a melding the scope may see for update, in a statement of its own, and returns its row
 * as it is now. Every write of a melding's events or derived columns (events, a batch of events,
 * a priority change, the closing job) takes this lock first and reads the events only in a later
 * statement of the same transaction (`readLocked`, `insertEventsLocked`).
 *
 * Why a statement of its own: under READ COMMITTED each statement reads the snapshot taken when
 * it started. A statement that waits for the row lock gets the locked row's newest version once
 * the other transaction commits, but everything else it reads (events in a subquery or join)
 * still comes from its old snapshot, without the events the other transaction just added, and
 * the derived columns it then writes are stale (issue 11: 126 to 152 of 300 meldingen after racing
 * pairs). A later statement starts after the lock was granted, so its snapshot holds every event
 * committed by earlier holders of the lock, and nobody adds one until this transaction ends:
 * writes to one melding are serialised, on one instance or several.
 */
export async function lockMelding (trx: Transaction<Database>, id: string, scope: Scope): Promise<MeldingRow | undefined> {
  return await getMelding(trx, id, scope, true)
}

type Json = Record<string, unknown>
const jsonDate = (v: unknown): Date => new Date(v as string)
const eventFromJson = (e: Json): GebeurtenisRow => ({ ...e, op: jsonDate(e.op), ontvangen_op: jsonDate(e.ontvangen_op) }) as unknown as GebeurtenisRow
const versionFromJson = (v: Json): ContractNormenRow => ({ ...v, aangemaakt_op: jsonDate(v.aangemaakt_op) }) as unknown as ContractNormenRow

// The events of a melding, in time order, and its contract's versions of terms, as JSON columns.
const eventsJson = (meldingId: string) => sql<Json[]>`(select coalesce(json_agg(g order by g.op, g.id), '[]'::json) from gebeurtenis g where g.melding_id = ${meldingId})`
const versionsJson = (contractId: string) => sql<Json[]>`(select coalesce(json_agg(v order by v.versie), '[]'::json) from contract_normen v where v.contract_id = ${contractId})`

/**
 * The events of a melding this transaction has locked (`lockMelding`, in an earlier statement),
 * and its contract's versions of terms: one round trip.
 */
export async function readLocked (trx: Transaction<Database>, melding: Pick<MeldingRow, 'id' | 'contract_id'>): Promise<{ events: GebeurtenisRow[], versions: ContractNormenRow[] }> {
  const r = await trx.selectNoFrom([eventsJson(melding.id).as('events'), versionsJson(melding.contract_id).as('versions')]).executeTakeFirstOrThrow()
  return { events: r.events.map(eventFromJson), versions: r.versions.map(versionFromJson) }
}

export interface MeldingFilters {
  contract?: string | undefined
  status?: MeldingStatus | undefined
  prioriteit?: Prioriteit | undefined
  type?: MeldingType | undefined
  gemeldVanaf?: Date | undefined
  gemeldTot?: Date | undefined
  actief?: boolean | undefined
  /** Priority at most this (1 = zeer hoog). */
  maxPrioriteit?: Prioriteit | undefined
  /** Only meldingen for which a ticket tool stated a deadline of its own (issue 12). */
  metBronDeadline?: boolean | undefined
  /** `prioriteit`: most urgent first, then by gemeldOp; default by gemeldOp. */
  order?: 'gemeld' | 'prioriteit'
}

/** A page of meldingen in a stable order (gemeldOp, id). */
export async function listMeldingen (db: Kysely<Database>, f: MeldingFilters, page: { offset: number, limit: number }, scope: Scope): Promise<{ rows: MeldingRow[], total: number }> {
  let q = db.selectFrom('melding')
  if (scope.leverancierId !== null) {
    q = q.where('contract_id', 'in', db.selectFrom('contract').select('id').where('leverancier_id', '=', scope.leverancierId))
  }
  if (f.contract !== undefined) q = q.where('contract_id', '=', f.contract)
  if (f.status !== undefined) q = q.where('status', '=', f.status)
  if (f.prioriteit !== undefined) q = q.where('prioriteit', '=', f.prioriteit)
  if (f.type !== undefined) q = q.where('type', '=', f.type)
  if (f.gemeldVanaf !== undefined) q = q.where('gemeld_op', '>=', f.gemeldVanaf)
  if (f.gemeldTot !== undefined) q = q.where('gemeld_op', '<', f.gemeldTot)
  if (f.actief !== undefined) q = q.where('actief', '=', f.actief)
  if (f.maxPrioriteit !== undefined) q = q.where('prioriteit', '<=', f.maxPrioriteit)
  if (f.metBronDeadline === true) q = q.where((eb) => eb.exists(eb.selectFrom('bron_deadline').select('bron_deadline.id').whereRef('bron_deadline.melding_id', '=', 'melding.id')))
  const ordered = f.order === 'prioriteit' ? q.selectAll().orderBy('prioriteit') : q.selectAll()
  const [rows, count] = await Promise.all([
    ordered.orderBy('gemeld_op').orderBy('id').offset(page.offset).limit(page.limit).execute(),
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
  ])
  return { rows, total: Number(count.n) }
}

/** The events of some meldingen, per melding, in storage order (the core orders them by time). */
export async function eventsOf (db: Kysely<Database> | Transaction<Database>, meldingIds: readonly string[]): Promise<Map<string, GebeurtenisRow[]>> {
  const out = new Map<string, GebeurtenisRow[]>()
  for (const id of meldingIds) out.set(id, [])
  if (meldingIds.length === 0) return out
  // One array parameter, not one parameter per id: much cheaper to plan for a page of 500.
  const rows = await db.selectFrom('gebeurtenis').selectAll()
    .where('melding_id', '=', sql<string>`any(${sql.val([...meldingIds])}::uuid[])`).orderBy('melding_id').orderBy('op').orderBy('id').execute()
  for (const r of rows) out.get(r.melding_id)?.push(r)
  return out
}

export interface NewGebeurtenisRow {
  kenmerk: string | null
  type: GebeurtenisType
  op: Date
  status: MeldingStatus | null
  prioriteit: Prioriteit | null
  sluitreden: Sluitreden | null
  toelichting: string | null
  /** The koppeling message it was derived from (issue 12). */
  bericht_id?: string | null
}

/**
 * Inserts events of a melding this transaction has locked (`lockMelding`, in an earlier
 * statement); an event whose (melding, kenmerk) exists is not inserted again. The same statement
 * reads the events the melding had before and its contract's versions, so a write costs no
 * extra round trip. Returns, in input order, each stored row and whether this call made it, and
 * all the melding's events now (in time order) with the versions.
 */
export async function insertEventsLocked (trx: Transaction<Database>, melding: Pick<MeldingRow, 'id' | 'contract_id'>, events: readonly NewGebeurtenisRow[], keyId: string | null): Promise<{ stored: Array<{ row: GebeurtenisRow, created: boolean }>, events: GebeurtenisRow[], versions: ContractNormenRow[] }> {
  if (events.length === 0) return { stored: [], ...await readLocked(trx, melding) }
  // Ids made here, so that each returned row can be matched to its input.
  const ids = events.map(() => randomUUID())
  // The statements of a WITH share one snapshot: `earlier` does not see what `ins` inserts.
  const r = await trx.with('ins', (db) => db.insertInto('gebeurtenis')
    .values(events.map((e, i) => ({ id: ids[i] as string, melding_id: melding.id, ...e, sleutel_id: keyId })))
    .onConflict((oc) => oc.columns(['melding_id', 'kenmerk']).doNothing()).returningAll())
    .selectNoFrom([
      sql<Json[]>`(select coalesce(json_agg(i), '[]'::json) from ins i)`.as('inserted'),
      eventsJson(melding.id).as('earlier'),
      versionsJson(melding.contract_id).as('versions')
    ]).executeTakeFirstOrThrow()
  const inserted = r.inserted.map(eventFromJson)
  const earlier = r.earlier.map(eventFromJson)
  const byId = new Map(inserted.map((x) => [x.id, x]))
  const byKenmerk = new Map(earlier.filter((x) => x.kenmerk !== null).map((x) => [x.kenmerk as string, x]))
  // A repeated kenmerk is among the earlier events, as every writer holds the melding's lock.
  // Should one ever insert without it, the row is committed by now: read it again.
  const missing = events.filter((e, i) => !byId.has(ids[i] as string) && !byKenmerk.has(e.kenmerk as string)).map((e) => e.kenmerk as string)
  if (missing.length > 0) {
    for (const x of await trx.selectFrom('gebeurtenis').selectAll().where('melding_id', '=', melding.id).where('kenmerk', 'in', missing).execute()) byKenmerk.set(x.kenmerk as string, x)
  }
  const stored = events.map((e, i) => {
    const made = byId.get(ids[i] as string)
    if (made !== undefined) return { row: made, created: true }
    const row = byKenmerk.get(e.kenmerk as string)
    if (row === undefined) throw new Error(`event ${e.kenmerk ?? ''} neither inserted nor found`)
    return { row, created: false }
  })
  const all = [...earlier, ...inserted].sort((a, b) => a.op.getTime() - b.op.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  return { stored, events: all, versions: r.versions.map(versionFromJson) }
}

export interface Derived {
  status: MeldingStatus
  prioriteit: Prioriteit
  actief: boolean
  automatischSluitenOp: Date | null
}

export async function updateDerived (trx: Kysely<Database> | Transaction<Database>, meldingId: string, d: Derived): Promise<MeldingRow> {
  return await trx.updateTable('melding').set({ status: d.status, prioriteit: d.prioriteit, actief: d.actief, automatisch_sluiten_op: d.automatischSluitenOp })
    .where('id', '=', meldingId).returningAll().executeTakeFirstOrThrow()
}

/**
 * Meldingen due for automatic closing, locked (as `lockMelding` does: read their events in a
 * later statement); rows another transaction holds are skipped. A row is returned as it is now.
 */
export async function lockDueForClosing (trx: Transaction<Database>, now: Date, limit: number): Promise<MeldingRow[]> {
  return await trx.selectFrom('melding').selectAll().where('status', '=', 'opgelost').where('automatisch_sluiten_op', '<=', now)
    .orderBy('automatisch_sluiten_op').orderBy('id').limit(limit).forUpdate().skipLocked().execute()
}
