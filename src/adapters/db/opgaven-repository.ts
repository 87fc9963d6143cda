import { sql, type Kysely } from 'kysely'
import type { RestoretestResultaat } from '../../core/index.js'
import type { Scope } from './contracten-repository.js'
import type { Database, GebruikersopgaveRow, RestoretestRow } from './schema.js'

// What a supplier reports itself for the quarterly report: users and rights (SLA 3.8) and restore
// tests (SLA 7.4). Neither is ever changed or deleted (triggers).

/** Contracts a scope may see, as a subquery. */
const contractsOf = (db: Kysely<Database>, leverancierId: string) => db.selectFrom('contract').select('id').where('leverancier_id', '=', leverancierId)

/** Reports of users and rights, newest first. */
export async function listGebruikersopgaven (db: Kysely<Database>, f: { contract?: string | undefined, periode?: string | undefined }, p: { offset: number, limit: number }, scope: Scope): Promise<{ rows: GebruikersopgaveRow[], total: number }> {
  let q = db.selectFrom('gebruikersopgave')
  if (scope.leverancierId !== null) q = q.where('contract_id', 'in', contractsOf(db, scope.leverancierId))
  if (f.contract !== undefined) q = q.where('contract_id', '=', f.contract)
  if (f.periode !== undefined) q = q.where('periode', '=', f.periode)
  const [rows, count] = await Promise.all([
    q.selectAll().orderBy('opgegeven_op', 'desc').orderBy('id', 'desc').offset(p.offset).limit(p.limit).execute(),
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
  ])
  return { rows, total: Number(count.n) }
}

/** Restore tests, most recent first. */
export async function listRestoretests (db: Kysely<Database>, f: { contract?: string | undefined }, p: { offset: number, limit: number }, scope: Scope): Promise<{ rows: RestoretestRow[], total: number }> {
  let q = db.selectFrom('restoretest')
  if (scope.leverancierId !== null) q = q.where('contract_id', 'in', contractsOf(db, scope.leverancierId))
  if (f.contract !== undefined) q = q.where('contract_id', '=', f.contract)
  const [rows, count] = await Promise.all([
    q.selectAll().orderBy('uitgevoerd_op', 'desc').orderBy('id', 'desc').offset(p.offset).limit(p.limit).execute(),
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
  ])
  return { rows, total: Number(count.n) }
}

/**
 * Adds a report of users and rights unless the last one of the quarter says the same (then that
 * one is returned, `created: false`): the contract row is locked, so concurrent repeats add one.
 */
export async function addGebruikersopgave (db: Kysely<Database>, o: { contract: string, periode: string, gebruikers: number, rechten: Array<{ recht: string, gebruikers: number }>, gevolgen: string, keyId: string | null }): Promise<{ row: GebruikersopgaveRow, created: boolean }> {
  return await db.transaction().execute(async (trx) => {
    await sql`select id from contract where id = ${o.contract} for update`.execute(trx)
    const last = await trx.selectFrom('gebruikersopgave').selectAll().where('contract_id', '=', o.contract).where('periode', '=', o.periode)
      .orderBy('opgegeven_op', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst()
    if (last !== undefined && last.gebruikers === o.gebruikers && last.gevolgen === o.gevolgen && JSON.stringify(last.rechten) === JSON.stringify(o.rechten)) return { row: last, created: false }
    const row = await trx.insertInto('gebruikersopgave').values({
      contract_id: o.contract, periode: o.periode, gebruikers: o.gebruikers, rechten: JSON.stringify(o.rechten), gevolgen: o.gevolgen, sleutel_id: o.keyId
    }).returningAll().executeTakeFirstOrThrow()
    return { row, created: true }
  })
}

/** Inserts a restore test once per (contract, kenmerk); a repeat returns the stored row (`created: false`). */
export async function insertRestoretestOnce (db: Kysely<Database>, r: { contract: string, kenmerk: string, uitgevoerdOp: Date, resultaat: RestoretestResultaat, toelichting: string, opvolging: string, keyId: string | null }): Promise<{ row: RestoretestRow, created: boolean }> {
  const made = await db.insertInto('restoretest').values({
    contract_id: r.contract, kenmerk: r.kenmerk, uitgevoerd_op: r.uitgevoerdOp, resultaat: r.resultaat, toelichting: r.toelichting, opvolging: r.opvolging, sleutel_id: r.keyId
  }).onConflict((oc) => oc.columns(['contract_id', 'kenmerk']).doNothing()).returningAll().executeTakeFirst()
  if (made !== undefined) return { row: made, created: true }
  return { row: await db.selectFrom('restoretest').selectAll().where('contract_id', '=', r.contract).where('kenmerk', '=', r.kenmerk).executeTakeFirstOrThrow(), created: false }
}
