import { sql, type Insertable, type Kysely } from 'kysely'
import type { Scope } from './contracten-repository.js'
import type { Database, DocumentRow, DocumentTable, ExitMijlpaalRow, ExitMijlpaalTable, OverlegRow, OverlegTable, ReleaseRow, ReleaseTable, RestoretestRow } from './schema.js'

// The records of the SLA's other obligations (issue 15): append-only (triggers), read per contract
// in recording order (volgnummer), the order in which a later record corrects an earlier one.

type RecordTable = 'overleg' | 'release' | 'document' | 'exit_mijlpaal'

/**
 * Adds a record unless the contract already has one with exactly these values (then that one is
 * returned, `created: false`): a repeated write adds nothing. The contract row is locked, so
 * concurrent repeats add one record.
 */
async function addOnce<R> (db: Kysely<Database>, table: RecordTable, values: Record<string, unknown> & { contract_id: string, sleutel_id: string | null }): Promise<{ row: R, created: boolean }> {
  return await db.transaction().execute(async (trx) => {
    await sql`select id from contract where id = ${values.contract_id} for update`.execute(trx)
    const untyped = trx as unknown as Kysely<Record<RecordTable, Record<string, unknown>>>
    let q = untyped.selectFrom(table).selectAll()
    for (const [k, v] of Object.entries(values)) if (k !== 'sleutel_id') q = q.where(k, 'is not distinct from', v ?? null)
    const same: R | undefined = await q.orderBy('volgnummer').limit(1).executeTakeFirst() as R | undefined
    if (same !== undefined) return { row: same, created: false }
    const row: R = await untyped.insertInto(table).values(values).returningAll().executeTakeFirstOrThrow() as R
    return { row, created: true }
  })
}

export const addOverleg = async (db: Kysely<Database>, v: Insertable<OverlegTable>): Promise<{ row: OverlegRow, created: boolean }> => await addOnce<OverlegRow>(db, 'overleg', { ...v, sleutel_id: v.sleutel_id ?? null })
export const addRelease = async (db: Kysely<Database>, v: Insertable<ReleaseTable>): Promise<{ row: ReleaseRow, created: boolean }> => await addOnce<ReleaseRow>(db, 'release', { ...v, sleutel_id: v.sleutel_id ?? null })
export const addDocument = async (db: Kysely<Database>, v: Insertable<DocumentTable>): Promise<{ row: DocumentRow, created: boolean }> => await addOnce<DocumentRow>(db, 'document', { ...v, sleutel_id: v.sleutel_id ?? null })
export const addExitMijlpaal = async (db: Kysely<Database>, v: Insertable<ExitMijlpaalTable>): Promise<{ row: ExitMijlpaalRow, created: boolean }> => await addOnce<ExitMijlpaalRow>(db, 'exit_mijlpaal', { ...v, sleutel_id: v.sleutel_id ?? null })

export interface Records {
  overleggen: OverlegRow[]
  releases: ReleaseRow[]
  documenten: DocumentRow[]
  exit: ExitMijlpaalRow[]
  restoretests: RestoretestRow[]
}

/** Every record of the given contracts, per contract, in recording order. */
export async function recordsOf (db: Kysely<Database>, contractIds: readonly string[]): Promise<Map<string, Records>> {
  const out = new Map<string, Records>()
  for (const id of contractIds) out.set(id, { overleggen: [], releases: [], documenten: [], exit: [], restoretests: [] })
  if (contractIds.length === 0) return out
  const ids = [...new Set(contractIds)]
  const [overleggen, releases, documenten, exit, restoretests] = await Promise.all([
    db.selectFrom('overleg').selectAll().where('contract_id', 'in', ids).orderBy('volgnummer').execute(),
    db.selectFrom('release').selectAll().where('contract_id', 'in', ids).orderBy('volgnummer').execute(),
    db.selectFrom('document').selectAll().where('contract_id', 'in', ids).orderBy('volgnummer').execute(),
    db.selectFrom('exit_mijlpaal').selectAll().where('contract_id', 'in', ids).orderBy('volgnummer').execute(),
    db.selectFrom('restoretest').selectAll().where('contract_id', 'in', ids).orderBy('uitgevoerd_op').orderBy('id').execute()
  ])
  for (const r of overleggen) out.get(r.contract_id)?.overleggen.push(r)
  for (const r of releases) out.get(r.contract_id)?.releases.push(r)
  for (const r of documenten) out.get(r.contract_id)?.documenten.push(r)
  for (const r of exit) out.get(r.contract_id)?.exit.push(r)
  for (const r of restoretests) out.get(r.contract_id)?.restoretests.push(r)
  return out
}

type Page = { offset: number, limit: number }
const pageOf = async <R> (rows: Promise<R[]>, count: Promise<{ n: string }>): Promise<{ rows: R[], total: number }> => {
  const [r, c] = await Promise.all([rows, count])
  return { rows: r, total: Number(c.n) }
}

/** Pages of one kind of record of one contract, in recording order. */
export const overlegPage = async (db: Kysely<Database>, c: string, p: Page): Promise<{ rows: OverlegRow[], total: number }> => await pageOf(
  db.selectFrom('overleg').selectAll().where('contract_id', '=', c).orderBy('volgnummer').offset(p.offset).limit(p.limit).execute(),
  db.selectFrom('overleg').where('contract_id', '=', c).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow())
export const releasePage = async (db: Kysely<Database>, c: string, p: Page): Promise<{ rows: ReleaseRow[], total: number }> => await pageOf(
  db.selectFrom('release').selectAll().where('contract_id', '=', c).orderBy('volgnummer').offset(p.offset).limit(p.limit).execute(),
  db.selectFrom('release').where('contract_id', '=', c).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow())
export const documentPage = async (db: Kysely<Database>, c: string, p: Page): Promise<{ rows: DocumentRow[], total: number }> => await pageOf(
  db.selectFrom('document').selectAll().where('contract_id', '=', c).orderBy('volgnummer').offset(p.offset).limit(p.limit).execute(),
  db.selectFrom('document').where('contract_id', '=', c).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow())
export const exitPage = async (db: Kysely<Database>, c: string, p: Page): Promise<{ rows: ExitMijlpaalRow[], total: number }> => await pageOf(
  db.selectFrom('exit_mijlpaal').selectAll().where('contract_id', '=', c).orderBy('volgnummer').offset(p.offset).limit(p.limit).execute(),
  db.selectFrom('exit_mijlpaal').where('contract_id', '=', c).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow())

/** The contracts a scope may see, with their leverancier, by name. */
export async function contractsInScope (db: Kysely<Database>, scope: Scope): Promise<Array<{ id: string, naam: string, leverancier_id: string, aangemaakt_op: Date }>> {
  let q = db.selectFrom('contract').select(['id', 'naam', 'leverancier_id', 'aangemaakt_op'])
  if (scope.leverancierId !== null) q = q.where('leverancier_id', '=', scope.leverancierId)
  return await q.orderBy('naam').orderBy('id').execute()
}
