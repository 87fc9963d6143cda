import { randomUUID } from 'node:crypto'
import { sql, type Kysely, type Transaction } from 'kysely'
import type { Scope } from './contracten-repository.js'
import type { ContractNormenRow, Database, GebeurtenisRow, MeldingRow } from './schema.js'

export interface NewMeldingRow {
  contractId: string
  kenmerk: string
  onderwerp: string
  type: string
  omgeving: string
  gevraagdePrioriteit: number | null
  gemeldOp: Date
  prioriteit: number
  keyId: string | null
  biv: string[] | null
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
 * A melding with its events and its contract's versions of terms, the melding row locked for
 * update: one round trip for everything a write needs to recompute it.
 */
export async function loadForUpdate (trx: Transaction<Database>, id: string, scope: Scope): Promise<{ row: MeldingRow, events: GebeurtenisRow[], versions: ContractNormenRow[] } | undefined> {
  const r = await sql<MeldingRow & { _events: Array<Record<string, unknown>> | null, _versions: Array<Record<string, unknown>> | null }>`
    select m.*,
      (select json_agg(g order by g.op, g.id) from gebeurtenis g where g.melding_id = m.id) as _events,
      (select json_agg(v order by v.versie) from contract_normen v where v.contract_id = m.contract_id) as _versions
    from melding m
    where m.id = ${id}
      and (${scope.leverancierId}::uuid is null or m.contract_id in (select c.id from contract c where c.leverancier_id = ${scope.leverancierId}::uuid))
    for update of m`.execute(trx)
  const found = r.rows[0]
  if (found === undefined) return undefined
  const { _events, _versions, ...row } = found
  const date = (v: unknown): Date => new Date(v as string)
  return {
    row: row as MeldingRow,
    events: (_events ?? []).map((e) => ({ ...e, op: date(e.op), ontvangen_op: date(e.ontvangen_op) }) as unknown as GebeurtenisRow),
    versions: (_versions ?? []).map((v) => ({ ...v, aangemaakt_op: date(v.aangemaakt_op) }) as unknown as ContractNormenRow)
  }
}

export interface MeldingFilters {
  contract?: string | undefined
  status?: string | undefined
  prioriteit?: number | undefined
  type?: string | undefined
  gemeldVanaf?: Date | undefined
  gemeldTot?: Date | undefined
  actief?: boolean | undefined
  /** Priority at most this (1 = zeer hoog). */
  maxPrioriteit?: number | undefined
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
  type: string
  op: Date
  status: string | null
  prioriteit: number | null
  sluitreden: string | null
  toelichting: string | null
  /** The koppeling message it was derived from (issue 12). */
  bericht_id?: string | null
}

/**
 * Inserts events of one melding in one statement; an event whose (melding, kenmerk) exists is
 * not inserted again. Returns, in input order, each stored row and whether this call made it.
 */
export async function insertEventsOnce (trx: Transaction<Database>, meldingId: string, events: readonly NewGebeurtenisRow[], keyId: string | null): Promise<Array<{ row: GebeurtenisRow, created: boolean }>> {
  if (events.length === 0) return []
  // Ids made here, so that each returned row can be matched to its input.
  const ids = events.map(() => randomUUID())
  const inserted = await trx.insertInto('gebeurtenis')
    .values(events.map((e, i) => ({ id: ids[i] as string, melding_id: meldingId, ...e, sleutel_id: keyId })))
    .onConflict((oc) => oc.columns(['melding_id', 'kenmerk']).doNothing()).returningAll().execute()
  const byId = new Map(inserted.map((r) => [r.id, r]))
  const missing = events.filter((_, i) => !byId.has(ids[i] as string)).map((e) => e.kenmerk as string)
  const existing = missing.length === 0
    ? new Map<string, GebeurtenisRow>()
    : new Map((await trx.selectFrom('gebeurtenis').selectAll().where('melding_id', '=', meldingId).where('kenmerk', 'in', missing).execute()).map((r) => [r.kenmerk as string, r]))
  return events.map((e, i) => {
    const made = byId.get(ids[i] as string)
    if (made !== undefined) return { row: made, created: true }
    const row = existing.get(e.kenmerk as string)
    if (row === undefined) throw new Error(`event ${e.kenmerk ?? ''} neither inserted nor found`)
    return { row, created: false }
  })
}

export interface Derived {
  status: string
  prioriteit: number
  actief: boolean
  automatischSluitenOp: Date | null
}

export async function updateDerived (trx: Kysely<Database> | Transaction<Database>, meldingId: string, d: Derived): Promise<MeldingRow> {
  return await trx.updateTable('melding').set({ status: d.status, prioriteit: d.prioriteit, actief: d.actief, automatisch_sluiten_op: d.automatischSluitenOp })
    .where('id', '=', meldingId).returningAll().executeTakeFirstOrThrow()
}

/** Ids of meldingen due for automatic closing, locked; rows another instance holds are skipped. */
export async function lockDueForClosing (trx: Transaction<Database>, now: Date, limit: number): Promise<string[]> {
  const r = await sql<{ id: string }>`select id from melding where status = 'opgelost' and automatisch_sluiten_op <= ${now}
    order by automatisch_sluiten_op, id limit ${limit} for update skip locked`.execute(trx)
  return r.rows.map((x) => x.id)
}
